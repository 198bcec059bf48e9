# try / except / else / finally, at top level and inside a loop with continue.
import linea_core as lineapy

raw = ["1", "x", "3", "", "5"]
parsed = []
errors = 0
checked = 0
for token in raw:
    try:
        value = int(token)
    except ValueError:
        errors += 1
        continue
    else:
        value *= 10
    finally:
        checked += 1
    parsed.append(value)
try:
    ratio = sum(parsed) / errors
except ZeroDivisionError:
    ratio = float("inf")
log = []
try:
    log.append("start")
    risky = {"a": 1}["b"]
except (KeyError, IndexError) as exc:
    log.append(f"missing {exc}")
finally:
    log.append("done")
print(parsed, errors, checked, ratio, log)

lineapy.save(parsed, "parsed")
lineapy.save(errors, "errors")
lineapy.save(ratio, "ratio")
lineapy.save(log, "log")
