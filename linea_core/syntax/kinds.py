"""The kinds of statements the engine treats differently, defined once.

*Compound* statements (``if``/``for``/``while``/``try``/``with``/``match``, their async
forms and ``try``/``except*``) hold other statements that may or may not run: their
bindings are uncertain, slicing prunes their bodies, and names they rebind may be stale
when one of their calls runs. Definitions (``def``/``class``) hold bodies that run
later, when called, so they are kept whole.
"""

from __future__ import annotations

import ast

# Exact tuple types, so that ``isinstance(node, LOOPS)`` narrows ``node`` for type checkers.
LOOPS: tuple[type[ast.For], type[ast.AsyncFor], type[ast.While]] = (
    ast.For,
    ast.AsyncFor,
    ast.While,
)
TRIES: tuple[type[ast.stmt], ...] = (
    ast.Try,
    *((ast.TryStar,) if hasattr(ast, "TryStar") else ()),  # Python 3.11+
)
WITHS: tuple[type[ast.With], type[ast.AsyncWith]] = (ast.With, ast.AsyncWith)
COMPOUND: tuple[type[ast.stmt], ...] = (ast.If, *LOOPS, *TRIES, *WITHS, ast.Match)
DEFINITIONS: tuple[type[ast.stmt], ...] = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)

#: The first word of every :data:`COMPOUND` statement's source, for a check on the text
#: that spares parsing simple statements. ``async`` also starts ``async def`` and
#: ``match`` is a soft keyword (``match = 1``): a parse and :func:`is_compound` decide.
COMPOUND_KEYWORDS = frozenset({"if", "for", "while", "try", "with", "match", "async"})


def is_compound(stmt: ast.stmt) -> bool:
    """Whether ``stmt`` holds statements that may run zero, one or many times."""
    return isinstance(stmt, COMPOUND)


__all__ = ["COMPOUND", "COMPOUND_KEYWORDS", "DEFINITIONS", "LOOPS", "TRIES", "WITHS", "is_compound"]
