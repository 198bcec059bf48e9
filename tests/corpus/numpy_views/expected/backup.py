import numpy as np
arr = np.arange(10)
window = arr[2:5]
window[:] = 0
backup = arr.copy()
backup[0] = -1
