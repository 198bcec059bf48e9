items = []
items.append("a")
items.extend(["b", "c"])
items.insert(0, "z")
items.sort()
