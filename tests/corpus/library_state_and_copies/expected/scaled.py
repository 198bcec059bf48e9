import numpy as np
np.random.seed(0)
noise = np.random.rand(3)
weights = np.random.normal(0, 1, size=(2, 2))
scale = 2
scaled = weights * scale
