offset = 10
shift = lambda v: v + offset
shifted = shift(1)
