var = 10
if var > 5:
    var += 10
else:
    var += 20
