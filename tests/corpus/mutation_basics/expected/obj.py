import types
obj = types.SimpleNamespace()
obj.name = "model"
obj.tags = []
obj.tags.append("v1")
