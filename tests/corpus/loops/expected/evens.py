numbers = [4, 7, 1, 9, 3, 8]
evens = []
for n in numbers:
    if n % 2 == 0:
        evens.append(n)
