flags = {"seen": [1]}
count = 0
if count > 0:
    flags["seen"] = [2]
    flags["extra"] = count
