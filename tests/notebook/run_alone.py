"""Run one artifact's code in this fresh process and compare the value with the stored one.

Usage: python run_alone.py NAME [VERSION]. Prints "same value" and exits 0 when the
code, run on its own as a ``__main__`` script, recomputes the saved value.
"""

from __future__ import annotations

import sys
from typing import Any


def same(a: Any, b: Any) -> bool:
    """Equal values, including pandas/numpy objects and fitted estimators (by their state)."""
    if type(a) is not type(b):
        return False
    if hasattr(a, "equals") and callable(a.equals):
        return bool(a.equals(b))
    module = type(a).__module__
    if module.startswith("numpy"):
        import numpy

        return bool(numpy.array_equal(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if module.startswith("sklearn"):
        return same(vars(a), vars(b))
    return bool(a == b)


def main() -> None:
    import linea_core as lineapy

    name = sys.argv[1]
    version = int(sys.argv[2]) if len(sys.argv) > 2 else None
    artifact = lineapy.get(name, version)
    recomputed = artifact.execute()  # get_code()'s text, run as a fresh __main__
    if not same(recomputed, artifact.get_value()):
        print(f"different value: {recomputed!r} != {artifact.get_value()!r}")
        sys.exit(1)
    print("same value")


if __name__ == "__main__":
    main()
