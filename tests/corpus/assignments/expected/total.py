x, y = 10, 20
x, y = y, x
first, *middle, last = range(6)
(m, n), (o, *rest) = (1, 2), [3, 4, 5]
total = x + y + len(middle) + m + o
