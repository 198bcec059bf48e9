import numpy as np
matrix = np.ones((3, 3))
row = matrix[0]
row *= 5
flat = matrix.reshape(-1)
flat[-1] = 42
