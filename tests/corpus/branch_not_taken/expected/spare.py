count = 0
spare = "kept"
if count > 5:
    del spare
