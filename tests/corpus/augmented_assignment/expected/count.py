count = 0
count += 5
count -= 1
count *= 3
