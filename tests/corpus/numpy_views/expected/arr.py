import numpy as np
arr = np.arange(10)
window = arr[2:5]
window[:] = 0
np.add(arr, 1, out=arr)
mask = arr > 3
arr[mask] = 3
