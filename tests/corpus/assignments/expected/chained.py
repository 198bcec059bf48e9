a = b = []
b.append(1)
