numbers = [4, 7, 1, 9, 3, 8]
odd_sum = 0
for n in numbers:
    if n % 2 == 0:
        continue
    odd_sum += n
