"""The module a class says it comes from, as a string every caller can compare.

A class's ``__module__`` is not always a string: a compiled extension type (Cython's
``cython_function_or_method`` on Python 3.10, for one) exposes it as a member descriptor
meant for its instances. Code that asks a type where it comes from goes through here so
such a type is treated as "from nowhere known" instead of crashing the caller.
"""

from __future__ import annotations

__all__ = ["module_of_type"]


def module_of_type(tp: type) -> str:
    """``tp.__module__`` when it is a string, else ``""``."""
    module = getattr(tp, "__module__", None)
    return module if isinstance(module, str) else ""
