import functools
def twice(fn):
    @functools.wraps(fn)
    def wrapper(*args):
        return fn(fn(*args))

    return wrapper
@twice
def add_three(x):
    return x + 3
six_more = add_three(1)
