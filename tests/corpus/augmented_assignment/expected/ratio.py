ratio = 7
ratio /= 2
ratio **= 2
