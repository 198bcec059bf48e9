data = [5, 3, 8, 1, 9, 2]
doubled = [y for x in data if (y := x * 2) > 6]
