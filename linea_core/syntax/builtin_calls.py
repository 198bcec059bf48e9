"""How Python's built-in functions use their arguments, for pruning.

Annotation packs say *whether* a call changes its arguments (``print`` is pure,
``next`` is not); they cannot say per argument that a pure call still *iterates* it,
and iterating an iterator consumes it (``sum(gen)`` leaves ``gen`` exhausted) or runs
a generator's code. That is a property of the built-in itself, known from the
language: some only look at their arguments (``len(x)``, ``print(x)``), others iterate
them or call them (``sorted(xs, key=f)``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

from linea_core.syntax.analysis import object_roots

#: Built-ins that neither iterate nor call their arguments: a pure call of one exposes
#: none of them (conversions run ``__str__``/``__int__``/... which packs vouch for).
INSPECTING = frozenset(
    {
        "abs", "ascii", "bin", "bool", "callable", "chr", "complex", "divmod", "float",
        "format", "getattr", "hasattr", "hash", "hex", "id", "int", "isinstance",
        "issubclass", "len", "oct", "ord", "pow", "print", "range", "repr", "round",
        "str", "type",
    }
)  # fmt: skip

#: Built-ins that may iterate an argument (or call one: ``key=``, ``map(f, ...)``): a
#: pure call of one still exposes the arguments that may be iterators or callables.
ITERATING = frozenset(
    {
        "all", "any", "bytearray", "bytes", "dict", "enumerate", "filter", "frozenset",
        "iter", "list", "map", "max", "min", "reversed", "set", "sorted", "sum", "tuple",
        "zip",
    }
)  # fmt: skip

BUILTINS = INSPECTING | ITERATING


def exposed_arguments(
    call: ast.Call,
    pure_call: Callable[[ast.Call], bool],
    may_be_iterator: Callable[[str], bool],
) -> Iterable[ast.expr] | None:
    """The arguments of ``call`` (a call of a module-level name) it may change.

    None means "all of them": the callee is not a built-in this module knows, the
    call spreads ``*args``/``**kwargs`` (which iterates them), or ``pure_call`` says
    the packs do not declare it pure. ``may_be_iterator(name)`` is False when the
    object bound to ``name`` is plain data (a list, an int...), never an iterator or a
    callable.
    """
    func = call.func
    assert isinstance(func, ast.Name)
    name = func.id
    inspecting = name in INSPECTING
    if not inspecting and name not in ITERATING:
        return None
    if any(isinstance(arg, ast.Starred) for arg in call.args) or any(
        keyword.arg is None for keyword in call.keywords
    ):
        return None
    if not pure_call(call):
        return None
    if inspecting:
        return ()
    values = [*call.args, *(keyword.value for keyword in call.keywords)]
    return [v for v in values if any(may_be_iterator(n) for n in object_roots(v))]
