# Comprehensions (list/set/dict, nested, filtered), generator expressions and generator functions.
import linea_core as lineapy

words = ["apple", "bob", "kayak", "linea", "noon"]
threshold = 4
squares = [n * n for n in range(6)]
evens = {n for n in squares if n % 2 == 0}
lengths = {w: len(w) for w in words if len(w) > threshold}
pairs = [(w, c) for w in words[:2] for c in w if c != "b"]
matrix = [[r * c for c in range(3)] for r in range(3)]
flat = [x for row in matrix for x in row]
palindromes = sum(1 for w in words if w == w[::-1])


def countdown(n):
    while n > 0:
        yield n
        n -= 1


stream = countdown(5)
top = next(stream)
second = next(stream)
remaining = list(stream)
gen = (len(w) for w in words)
longest = max(gen)
print(squares, evens, lengths, pairs, flat, palindromes, top, second, remaining, longest)

lineapy.save(squares, "squares")
lineapy.save(evens, "evens")
lineapy.save(lengths, "lengths")
lineapy.save(pairs, "pairs")
lineapy.save(flat, "flat")
lineapy.save(palindromes, "palindromes")
lineapy.save(top, "top")
lineapy.save(remaining, "remaining")
lineapy.save(longest, "longest")
