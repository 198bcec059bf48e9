vector = [0, 0, 0]
vector[1] = 7
