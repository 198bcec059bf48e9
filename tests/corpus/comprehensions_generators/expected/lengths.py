words = ["apple", "bob", "kayak", "linea", "noon"]
threshold = 4
lengths = {w: len(w) for w in words if len(w) > threshold}
