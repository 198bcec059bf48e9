var = 20
mode = "default"
if var > 18:
    mode = "large"
