values = [3, 1, 4, 1, 5, 9, 2, 6]
total = 0
for step, v in enumerate(values):
    total += v
