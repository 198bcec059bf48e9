flags = 0b0001
flags |= 0b0100
flags <<= 1
