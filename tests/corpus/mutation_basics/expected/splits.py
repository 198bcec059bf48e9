train = [1, 2]
test = [3, 4]
test[0] = 9
train.pop()
splits = [train, test]
