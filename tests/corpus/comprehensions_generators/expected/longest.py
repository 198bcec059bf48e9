words = ["apple", "bob", "kayak", "linea", "noon"]
gen = (len(w) for w in words)
longest = max(gen)
