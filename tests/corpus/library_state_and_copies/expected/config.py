import copy
config = {"layers": [8, 4], "name": "net"}
trial = copy.copy(config)
trial["layers"].append(2)
