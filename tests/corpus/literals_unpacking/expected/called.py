base = {"a": 1, "b": 2}
def kw(**kwargs):
    return sorted(kwargs.items())
called = kw(**base, z=26)
