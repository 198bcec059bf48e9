var = 10
if var > 5:
    var += 10
else:
    var += 20
mode = "default"
if var > 18:
    mode = "large"
