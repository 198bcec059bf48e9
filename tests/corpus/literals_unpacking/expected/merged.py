base = {"a": 1, "b": 2}
extra = {"c": 3}
merged = {**base, **extra, "d": 4}
