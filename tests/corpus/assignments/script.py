# Assignment forms: chained, tuple/list destructuring, starred and nested targets.
import linea_core as lineapy

a = b = []
b.append(1)
x, y = 10, 20
x, y = y, x
[p, q] = "pq"
first, *middle, last = range(6)
(m, n), (o, *rest) = (1, 2), [3, 4, 5]
unused_a, unused_b = "no", "use"
head, *_ = [7, 8, 9]
total = x + y + len(middle) + m + o
pair = (first, last)
label = p + q

lineapy.save(a, "chained")
lineapy.save(total, "total")
lineapy.save(pair, "pair")
lineapy.save(rest, "nested_rest")
lineapy.save(label, "label")
