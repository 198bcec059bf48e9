raw = ["1", "x", "3", "", "5"]
errors = 0
for token in raw:
    try:
        value = int(token)
    except ValueError:
        errors += 1
