defaults = {"debug": True, "level": 1}
active = defaults
if active["level"] > 0:
    defaults.pop("debug")
    n_options = len(active)
