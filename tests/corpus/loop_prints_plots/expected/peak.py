values = [3, 1, 4, 1, 5, 9, 2, 6]
running = []
total = 0
for step, v in enumerate(values):
    total += v
    running.append(total)
peak = 0
for v in running:
    if v > peak:
        peak = v
