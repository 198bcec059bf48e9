raw = [4, 8, 15, 16, 23, 42]
scaled = [v * 10 for v in raw]
