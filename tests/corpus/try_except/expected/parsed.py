raw = ["1", "x", "3", "", "5"]
parsed = []
for token in raw:
    try:
        value = int(token)
    except ValueError:
        continue
    else:
        value *= 10
    parsed.append(value)
