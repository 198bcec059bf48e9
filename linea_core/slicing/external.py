"""Pruning a compound statement for the files or databases it wrote.

An edge from external state carries no names (capture only knows that the statement
as a whole wrote a file), so names cannot say what to keep. Inside a loop or ``with``
block, anything that calls out to something other than a known side-effect-free
built-in may be the writer (``out.write``, ``df.to_csv``, ``np.save``, a user
function): those calls are kept, with the objects they go through; ``print(preview)``
and bookkeeping on plain values are not. A call whose target cannot even be named
(``handlers[0](x)`` is fine, ``(lambda: w())()`` is not) keeps the statement whole.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

#: Built-ins that never write files or databases (``print`` only without ``file=``).
_NO_EXTERNAL_EFFECT = frozenset(
    {
        "abs", "all", "any", "bool", "chr", "dict", "divmod", "enumerate", "float",
        "format", "frozenset", "hash", "id", "int", "isinstance", "issubclass", "iter",
        "len", "list", "max", "min", "next", "ord", "pow", "print", "range", "repr",
        "reversed", "round", "set", "sorted", "str", "sum", "tuple", "type", "zip",
    }
)  # fmt: skip


@dataclass(frozen=True)
class ExternalNeeds:
    """What pruning must keep so that a statement still performs its external writes."""

    names: frozenset[str]  # objects the writes may go through (``out`` in ``out.write``)
    calls: frozenset[str]  # callees whose calls stay (``open``, ``save_report``)


def external_needs(stmt: ast.stmt, user_names: frozenset[str]) -> ExternalNeeds | None:
    """What keeps ``stmt``'s external writes, or None when it must stay whole.

    ``user_names`` are names the user bound (so ``print`` there is not the built-in).
    """
    bound_here = {
        n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }
    shadowed = user_names | bound_here
    print_to_file = any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Name)
        and n.func.id == "print"
        and any(k.arg == "file" or k.arg is None for k in n.keywords)
        for n in ast.walk(stmt)
    )
    roots: set[str] = set()
    for node in ast.walk(stmt):
        if not isinstance(node, ast.Call):
            continue
        root = _callee_root(node.func)
        if root is None:
            return None
        if isinstance(root, ast.Constant):
            continue  # a method of a literal: ``", ".join(parts)``
        name = root.id
        if name in _NO_EXTERNAL_EFFECT and name not in shadowed:
            if name != "print" or not print_to_file:
                continue
        roots.add(name)
    handles = {
        n.id
        for item in ast.walk(stmt)
        if isinstance(item, ast.withitem) and item.optional_vars is not None
        for n in ast.walk(item.optional_vars)
        if isinstance(n, ast.Name)
    }
    return ExternalNeeds(frozenset(roots | handles), frozenset(roots))


def _callee_root(func: ast.expr) -> ast.Name | ast.Constant | None:
    """The name (or literal) a callee expression starts from, if it starts from one."""
    node = func
    while True:
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, (ast.Name, ast.Constant)):
            return node
        else:
            return None
