data = [5, 3, 8, 1, 9, 2]
total = (s := sum(data)) + s
