"""The slicing API for tools built on slices (refactoring into functions, pipelines).

For several artifacts of one session, :func:`artifact_slices` gives each artifact's
kept statements in execution order, with the exact text a slice emits for each (pruned
compound statements included) and the module-level names each kept statement reads and
binds, so a caller can tell which statements artifacts share and which names flow from
one group of statements into another. All slices of one call share one
:class:`~linea_core.slicing.closure.Slicer`, so shared statements are parsed once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from linea_core.graph.model import SessionGraph, SliceRoot
from linea_core.slicing.closure import Slicer
from linea_core.slicing.statements import StatementCache


@dataclass(frozen=True)
class SliceStatement:
    """One kept statement of an artifact's slice.

    ``text`` is the code the slice emits for it (the original statement, or the
    pruned compound statement). ``reads`` are the module-level names that code may
    read, the globals read by bodies of functions it defines included (they are read
    when the functions are called); ``binds`` are the names it may bind or delete.
    ``needed`` are the names later statements of this slice use from it. ``whole`` is
    False when ``text`` is a pruned or rewritten form of the recorded statement.
    """

    node_id: int
    text: str
    reads: frozenset[str]
    binds: frozenset[str]
    needed: frozenset[str]
    whole: bool


def artifact_slices(
    graph: SessionGraph, roots: Mapping[str, SliceRoot], *, slicer: Slicer | None = None
) -> dict[str, list[SliceStatement]]:
    """Artifact name -> its slice's statements in execution order (``get_code`` defaults).

    A statement whose text cannot be analysed (an opaque one) reports the names of
    every statement before it as ``reads``: nothing can be moved across it.
    """
    slicer = slicer if slicer is not None else Slicer(graph)
    cache: StatementCache = slicer.cache
    result: dict[str, list[SliceStatement]] = {}
    for name, root in roots.items():
        piece = slicer.slice(root, artifact_name=name)
        statements: list[SliceStatement] = []
        for node_id, kept in piece.kept.items():
            facts = cache.facts(kept.text)
            if facts is None:
                reads = _everything_bound_before(graph, node_id, cache)
                binds = reads
            else:
                reads = facts.reads | facts.body_reads
                binds = facts.binds | facts.deletes
            statements.append(
                SliceStatement(node_id, kept.text, reads, binds, kept.needed, kept.whole)
            )
        result[name] = statements
    return result


def _everything_bound_before(
    graph: SessionGraph, node_id: int, cache: StatementCache
) -> frozenset[str]:
    names: set[str] = set()
    for node in graph.nodes[:node_id]:
        facts = cache.facts(node.source)
        if facts is not None:
            names |= facts.binds
    return frozenset(names)
