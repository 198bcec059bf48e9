words = ["apple", "bob", "kayak", "linea", "noon"]
palindromes = sum(1 for w in words if w == w[::-1])
