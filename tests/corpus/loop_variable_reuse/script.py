# A loop reusing an earlier loop's variable does not need that loop (nor the saves in it).
import linea_core as lineapy

items = [1, 2, 3]
for i in items:
    print(i)
total = 0
for i in range(4):
    total += i
lineapy.save(total, "total")
