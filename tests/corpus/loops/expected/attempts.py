attempts = 0
while True:
    attempts += 1
    if attempts * attempts > 50:
        break
