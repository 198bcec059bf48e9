# scikit-learn has no annotation pack: `fit` changing the estimator must still be caught.
import linea_core as lineapy
import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.preprocessing import StandardScaler

rng = np.random.default_rng(0)
X = rng.normal(size=(50, 3))
y = X @ np.array([1.5, -2.0, 0.5]) + rng.normal(scale=0.1, size=50)
scaler = StandardScaler()
scaler.fit(X)
X_scaled = scaler.transform(X)
model = LinearRegression()
model.fit(X_scaled, y)
baseline = LinearRegression().fit(X, y)
print(model.score(X_scaled, y), baseline.score(X, y))
coef = model.coef_

lineapy.save(model, "model")
lineapy.save(coef, "coef")
lineapy.save(scaler, "scaler")
