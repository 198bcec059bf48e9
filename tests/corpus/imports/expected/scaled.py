from helpers import normalize, Scaler
scaled = Scaler(10).apply([1, 2])
