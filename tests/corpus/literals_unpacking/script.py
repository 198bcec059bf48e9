# Every kind of literal, and * / ** unpacking in displays and calls.
import linea_core as lineapy

base = {"a": 1, "b": 2}
extra = {"c": 3}
merged = {**base, **extra, "d": 4}
head = [1, 2]
tail = (3, 4)
combined = [*head, *tail, 5]
as_tuple = (*combined, "end")
as_set = {*head, *tail}
numbers = [0x1F, 0o17, 0b101, 1_000_000, 2.5e-3, 3j, -7]
texts = ("plain", 'single', """triple""", r"raw\n", b"bytes", "implicit" "concat")
singletons = [None, True, False, ...]
nested = {
    "list": [1, [2, [3]]],
    "tuple": (1,),
    "empty": ({}, [], (), set()),
}


def kw(**kwargs):
    return sorted(kwargs.items())


def pos(*args):
    return args


called = kw(**base, z=26)
spread = pos(*head, *tail)

lineapy.save(merged, "merged")
lineapy.save(combined, "combined")
lineapy.save(as_tuple, "as_tuple")
lineapy.save(as_set, "as_set")
lineapy.save(numbers, "numbers")
lineapy.save(texts, "texts")
lineapy.save(singletons, "singletons")
lineapy.save(nested, "nested")
lineapy.save(called, "called")
lineapy.save(spread, "spread")
