import numpy as np
from sklearn.preprocessing import StandardScaler
rng = np.random.default_rng(0)
X = rng.normal(size=(50, 3))
scaler = StandardScaler()
scaler.fit(X)
