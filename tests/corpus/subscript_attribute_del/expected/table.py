table = {}
table["a"], table["b"] = 1, 20
