"""Parsed views of node sources, shared by one slicing pass or one long-lived slicer.

Slicing only needs the syntax tree of a few statements (compound statements it
prunes, the save and get statements it rewrites), so trees are parsed on demand and
cached by source text; a session of thousands of simple statements is never
re-parsed. The cache belongs to a :class:`StatementCache` instance, never to the
module, so two sessions cannot see each other's entries.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from linea_core.graph.model import Node
from linea_core.syntax import StatementFacts, analyse, is_compound
from linea_core.syntax.kinds import COMPOUND_KEYWORDS


class StatementCache:
    """Parses (and statically analyses) each distinct statement source once."""

    def __init__(self) -> None:
        self._trees: dict[str, ast.stmt | None] = {}
        self._facts: dict[str, StatementFacts | None] = {}

    def facts(self, source: str) -> StatementFacts | None:
        """Static facts of the statement in ``source``; None if it cannot be analysed."""
        try:
            return self._facts[source]
        except KeyError:
            pass
        stmt = self.statement(source)
        found: StatementFacts | None = None
        if stmt is not None:
            try:
                found = analyse(stmt)
            except Exception:  # the analyser does not know a construct: callers stay safe
                found = None
        self._facts[source] = found
        return found

    def statement(self, source: str) -> ast.stmt | None:
        """The single statement ``source`` holds, or None if it does not parse as one.

        A source that does not parse on its own (e.g. a notebook line magic already
        transformed by the front end) is simply kept whole by the callers.
        """
        try:
            return self._trees[source]
        except KeyError:
            pass
        tree: ast.stmt | None
        try:
            body = ast.parse(source).body
        except (SyntaxError, ValueError):
            tree = None
        else:
            tree = body[0] if len(body) == 1 else None
        self._trees[source] = tree
        return tree


_KEYWORD_STARTS = frozenset(word[:2] for word in COMPOUND_KEYWORDS)
_KEYWORD = re.compile(r"[A-Za-z_]+")


def may_be_prunable(source: str) -> bool:
    """Cheap pre-check on the text, so simple statements are never parsed.

    Only statements starting with a compound keyword can be prunable (``match`` is a
    soft keyword, so ``match = 1`` passes here and is rejected after parsing).
    """
    if source[:2] not in _KEYWORD_STARTS:
        return False
    found = _KEYWORD.match(source)
    return found is not None and found.group() in COMPOUND_KEYWORDS


def is_prunable(stmt: ast.stmt) -> bool:
    """Whether ``stmt`` is a compound statement whose body slicing may cut down.

    Function and class definitions are kept whole: their bodies run later, when
    called, and the graph records the call site, not the body.
    """
    return is_compound(stmt)


def loaded_names(tree: ast.AST) -> frozenset[str]:
    """Every name ``tree`` reads anywhere, nested scopes included.

    A superset of what the code reads at top level is what slicing needs: it only
    decides which dependency edges the code may still use, and following an extra
    edge can make a slice larger, never wrong.
    """
    return frozenset(
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Load, ast.Del))
    )


def segment(source: str, node: ast.AST) -> str:
    """The exact source text of ``node`` within ``source`` (which ``node`` was parsed from)."""
    text = ast.get_source_segment(source, node)
    if text is None:  # pragma: no cover - every parsed expression has positions
        return ast.unparse(node)
    return text


def names_rebound_by_functions(nodes: Iterable[Node], cache: StatementCache) -> frozenset[str]:
    """Module-level names the session's functions may rebind (``global x; x = ...``).

    Calling such a function rebinds the name without the calling statement saying so.
    ``"*"`` in the result means a definition could not be analysed: any name may be.
    Only sources mentioning ``global`` are parsed, so this is a cheap scan.
    """
    names: set[str] = set()
    for node in nodes:
        source = node.source
        if "global" in source:
            facts = cache.facts(source)
            if facts is None:
                return frozenset({"*"})
            names |= facts.body_binds
    return frozenset(names)
