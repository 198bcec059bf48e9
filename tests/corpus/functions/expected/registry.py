registry = []
def register(name):
    registry.append(name.upper())
register("alpha")
register("beta")
for extra in ["gamma", "delta"]:
    register(extra)
