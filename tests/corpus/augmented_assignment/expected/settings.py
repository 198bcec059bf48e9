settings = {"debug": False}
settings |= {"level": 2}
settings["level"] += 1
