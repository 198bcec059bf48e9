import types
point = types.SimpleNamespace(x=1, y=2, tmp=0)
point.x = 10
point.z = point.x + point.y
del point.tmp
