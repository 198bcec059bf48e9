ops = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b}
applied = {name: op(3, 4) for name, op in ops.items()}
