first, *middle, last = range(6)
pair = (first, last)
