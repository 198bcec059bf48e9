registry = []
def register(name):
    registry.append(name.upper())
register("alpha")
register("beta")
