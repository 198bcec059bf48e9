raw = ["1", "x", "3", "", "5"]
parsed = []
errors = 0
for token in raw:
    try:
        value = int(token)
    except ValueError:
        errors += 1
        continue
    else:
        value *= 10
    parsed.append(value)
try:
    ratio = sum(parsed) / errors
except ZeroDivisionError:
    ratio = float("inf")
