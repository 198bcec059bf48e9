config = {"mode": "fast", "level": 3}
match config:
    case {"mode": "fast", **rest}:
        speed = rest["level"] * 10
    case {"mode": mode}:
        speed = 1
