import statistics
scores = [3, 5, 8]
scores.append(13)
mean_score = statistics.mean(scores)
