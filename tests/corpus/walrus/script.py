# Assignment expressions in if tests, comprehensions (binding in the enclosing scope) and while loops.
import linea_core as lineapy

data = [5, 3, 8, 1, 9, 2]
if (n := len(data)) > 3:
    size_label = "big"
else:
    size_label = "small"
doubled = [y for x in data if (y := x * 2) > 6]
last_y = y
it = iter(data)
chunks = []
while (item := next(it, None)) is not None:
    if item > 4:
        chunks.append(item)
print(f"{n} items")
total = (s := sum(data)) + s

lineapy.save(size_label, "size_label")
lineapy.save(n, "n")
lineapy.save(doubled, "doubled")
lineapy.save(last_y, "last_y")
lineapy.save(chunks, "chunks")
lineapy.save(total, "total")
