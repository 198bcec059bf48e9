data = [5, 3, 8, 1, 9, 2]
it = iter(data)
chunks = []
while (item := next(it, None)) is not None:
    if item > 4:
        chunks.append(item)
