scores = [3, 5, 8]
scores.append(13)
doubled = [s * 2 for s in scores
     if s > 4]
