# In-place changes are history: list and dict methods, item and attribute assignment,
# aliasing through plain names and through a container element.
import linea_core as lineapy
import types

items = []
items.append("a")
items.extend(["b", "c"])
items.insert(0, "z")
items.sort()
config = {"lr": 0.1}
config.update({"epochs": 5}, seed=1)
config.setdefault("batch", 32)
vector = [0, 0, 0]
vector[1] = 7
obj = types.SimpleNamespace()
obj.name = "model"
obj.tags = []
obj.tags.append("v1")
a = [1, 2]
b = a
b.append(3)
c = b
c += [4]
snapshot = list(a)
snapshot.append("copy only")
nested = {"inner": []}
inner = nested["inner"]
inner.append(1)
train = [1, 2]
test = [3, 4]
test[0] = 9
train.pop()
splits = [train, test]
defaults = {"debug": True, "level": 1}
active = defaults
if active["level"] > 0:
    defaults.pop("debug")
    n_options = len(active)
print(items, config, vector, obj, a, snapshot, nested, splits, n_options)

lineapy.save(items, "items")
lineapy.save(config, "config")
lineapy.save(vector, "vector")
lineapy.save(obj, "obj")
lineapy.save(a, "a")
lineapy.save(snapshot, "snapshot")
lineapy.save(nested, "nested")
lineapy.save(splits, "splits")
lineapy.save(test, "test")
lineapy.save(n_options, "n_options")
