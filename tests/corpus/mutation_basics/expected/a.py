a = [1, 2]
b = a
b.append(3)
c = b
c += [4]
