def power(base, exp=2, *, mod=None):
    result = base ** exp
    # reduce when asked

    if mod is not None:
        result %= mod
    return result
cubed_mod = power(3, 3, mod=5)
