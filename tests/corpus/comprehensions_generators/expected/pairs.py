words = ["apple", "bob", "kayak", "linea", "noon"]
pairs = [(w, c) for w in words[:2] for c in w if c != "b"]
