# def: late-bound globals, defaults and keyword-only args, closures with nonlocal state,
# decorators (user-defined and functools), functions mutating globals and their arguments.
import linea_core as lineapy
import functools

factor = 2


def scale(v):
    return v * factor


factor = 3
scaled = scale(5)


def power(base, exp=2, *, mod=None):
    result = base ** exp
    # reduce when asked

    if mod is not None:
        result %= mod
    return result


squared = power(7)
cubed_mod = power(3, 3, mod=5)


def make_counter(start):
    count = start

    def step(by=1):
        nonlocal count
        count += by
        return count

    return step


counter = make_counter(10)
counter()
counter(5)
counter_value = counter()


def twice(fn):
    @functools.wraps(fn)
    def wrapper(*args):
        return fn(fn(*args))

    return wrapper


@twice
def add_three(x):
    return x + 3


six_more = add_three(1)
calls = 0


def tracked(x):
    global calls
    calls += 1
    return x * 2


doubled = [tracked(i) for i in range(4)]
for i in range(3):
    if i % 2 == 0:
        tracked(i)
registry = []


def register(name):
    registry.append(name.upper())


register("alpha")
print(registry)
register("beta")
for extra in ["gamma", "delta"]:
    register(extra)
    print("registered", extra)
pending = []


def enqueue(item):
    pending.append(item)


jobs = ["build", "test"]
for job in jobs:
    if job == "deploy":
        pending.clear()
        break
    print("ran", job)
else:
    enqueue("all done")

rate = 1


def bump(step):
    global rate
    rate += step


adjusted = {}
if rate > 0:
    bump(2)
    adjusted["rate"] = rate
    print(adjusted)


def fill(bucket, n):
    for i in range(n):
        bucket.append(i)
    return len(bucket)


box = []
filled = fill(box, 3)


@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


fib_20 = fib(20)

lineapy.save(scaled, "scaled")
lineapy.save(squared, "squared")
lineapy.save(cubed_mod, "cubed_mod")
lineapy.save(counter_value, "counter_value")
lineapy.save(six_more, "six_more")
lineapy.save(calls, "calls")
lineapy.save(doubled, "doubled")
lineapy.save(registry, "registry")
lineapy.save(pending, "pending")
lineapy.save(adjusted, "adjusted")
lineapy.save(box, "box")
lineapy.save(filled, "filled")
lineapy.save(fib_20, "fib_20")
