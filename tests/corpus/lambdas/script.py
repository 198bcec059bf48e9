# Lambdas: as values, as sort keys, returning lambdas, with defaults, inside containers.
import linea_core as lineapy

offset = 10
shift = lambda v: v + offset
shifted = shift(1)
people = [("ann", 31), ("bob", 25), ("cid", 40)]
by_age = sorted(people, key=lambda p: p[1])
compose = lambda f, g: lambda x: f(g(x))
inc_then_double = compose(lambda x: x * 2, lambda x: x + 1)
result = inc_then_double(5)
defaults = lambda a, b=offset: a + b
offset = 1000
with_default = defaults(1)
ops = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b}
applied = {name: op(3, 4) for name, op in ops.items()}

lineapy.save(shifted, "shifted")
lineapy.save(by_age, "by_age")
lineapy.save(result, "result")
lineapy.save(with_default, "with_default")
lineapy.save(applied, "applied")
