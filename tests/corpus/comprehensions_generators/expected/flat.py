matrix = [[r * c for c in range(3)] for r in range(3)]
flat = [x for row in matrix for x in row]
