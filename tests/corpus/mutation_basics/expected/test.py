test = [3, 4]
test[0] = 9
