# Subscript and attribute assignment, and del of items, slices, attributes and names.
import linea_core as lineapy
import types

grid = [[0] * 3 for _ in range(3)]
grid[1][1] = 5
grid[0] = [9, 9, 9]
grid[2][0:2] = [7, 7]
scores = {"ann": 1, "bob": 2, "cid": 3}
scores["dan"] = 4
del scores["bob"]
queue = [1, 2, 3, 4, 5]
del queue[0]
del queue[-2:]
point = types.SimpleNamespace(x=1, y=2, tmp=0)
point.x = 10
point.z = point.x + point.y
del point.tmp
table = {}
table["a"], table["b"] = 1, 20
scratch = [1, 2, 3]
scratch[0] = 100
del scratch
print(grid, scores, queue, point, table)

lineapy.save(grid, "grid")
lineapy.save(scores, "scores")
lineapy.save(queue, "queue")
lineapy.save(point, "point")
lineapy.save(table, "table")
