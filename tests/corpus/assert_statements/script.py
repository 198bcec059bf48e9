# assert: checks that only read are dropped; an assert whose test mutates a value is history of it.
import linea_core as lineapy

stack = [1, 2, 3]
assert len(stack) == 3, "unexpected size"
assert stack.pop() == 3
limit = 10
assert all(v < limit for v in stack), f"values must stay under {limit}"
checked = sum(stack)

lineapy.save(stack, "stack")
lineapy.save(checked, "checked")
