a = [1, 2]
b = a
b.append(3)
c = b
c += [4]
snapshot = list(a)
snapshot.append("copy only")
