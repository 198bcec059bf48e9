log = ["start"]
