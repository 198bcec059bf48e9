numbers = [4, 7, 1, 9, 3, 8]
target = 9
for i, n in enumerate(numbers):
    if n == target:
        position = i
        break
else:
    position = None
