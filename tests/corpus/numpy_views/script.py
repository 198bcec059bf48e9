# numpy views share a buffer with their base: writing through a view changes the base.
import linea_core as lineapy
import numpy as np

arr = np.arange(10)
window = arr[2:5]
window[:] = 0
backup = arr.copy()
backup[0] = -1
matrix = np.ones((3, 3))
row = matrix[0]
row *= 5
flat = matrix.reshape(-1)
flat[-1] = 42
transposed = matrix.T
col_sum = transposed.sum(axis=1)
np.add(arr, 1, out=arr)
mask = arr > 3
arr[mask] = 3
print(arr, backup, matrix, col_sum)

lineapy.save(arr, "arr")
lineapy.save(backup, "backup")
lineapy.save(matrix, "matrix")
lineapy.save(col_sum, "col_sum")
