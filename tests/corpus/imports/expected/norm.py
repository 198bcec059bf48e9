from helpers import normalize, Scaler
norm = normalize([1, 2, 3])
