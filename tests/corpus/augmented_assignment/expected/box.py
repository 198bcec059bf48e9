import types
box = types.SimpleNamespace(size=1)
box.size += 10
