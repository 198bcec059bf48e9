config = {"lr": 0.1}
config.update({"epochs": 5}, seed=1)
config.setdefault("batch", 32)
