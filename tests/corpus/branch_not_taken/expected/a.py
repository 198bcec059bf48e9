a = 10
if a < 20:
    pass
else:
    a += 20
