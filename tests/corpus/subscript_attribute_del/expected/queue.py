queue = [1, 2, 3, 4, 5]
del queue[0]
del queue[-2:]
