log = []
try:
    log.append("start")
    risky = {"a": 1}["b"]
except (KeyError, IndexError) as exc:
    log.append(f"missing {exc}")
finally:
    log.append("done")
