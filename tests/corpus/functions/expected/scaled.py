def scale(v):
    return v * factor
factor = 3
scaled = scale(5)
