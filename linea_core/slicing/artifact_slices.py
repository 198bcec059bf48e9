"""The slicing API for tools built on slices (refactoring into functions, pipelines).

For several artifacts of one session, :func:`artifact_slices` gives each artifact's
kept statements in execution order, with the exact text a slice emits for each (pruned
compound statements included) and the module-level names each kept statement reads and
binds, so a caller can tell which statements artifacts share and which names flow from
one group of statements into another. All slices of one call share one
:class:`~linea_core.slicing.closure.Slicer`, so shared statements are parsed once.

:func:`slice_artifacts` is the same for pipeline generation, one step further: per
kept statement ONE text serving every artifact that keeps it (a compound statement two
slices prune differently, a loop updating ``a`` and ``b`` with one artifact needing
``a`` and the other ``b``, is pruned once more for the union of the names they need),
``lineapy.get(NAME).get_value()`` rewritten by the caller's ``value_loader_source``,
and each artifact's value expression and external state.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from linea_core.graph.model import ExternalState, NodeKind, SessionGraph, SliceRoot
from linea_core.slicing.closure import KeptNode, Slicer, ValueLoaderSource
from linea_core.slicing.linea_calls import LineaNames, find_linea_names
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


# -- several artifacts merged, for pipelines -------------------------------------


@dataclass(frozen=True)
class SlicedStatement:
    """One statement kept by at least one of the artifacts' slices.

    ``text`` is the code to emit (the user's statement, pruned or rewritten where a
    slice needed less of it); ``setup`` are lines it needs first (imports of a value
    loader). ``reads`` / ``binds`` are module-level names the text may read / bind;
    ``analysed`` is False when the text could not be analysed (then ``reads`` and
    ``binds`` are every name bound before it, as in :func:`artifact_slices`: nothing
    moves across it). ``uses_linea`` says the
    text still calls linea (a ``lineapy.get`` that could not be rewritten, a save).
    """

    node_id: int
    block: int
    lineno: int
    text: str
    kind: NodeKind
    reads: frozenset[str]
    binds: frozenset[str]
    analysed: bool
    uses_linea: bool
    setup: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArtifactSlice:
    """The statements one artifact's slice keeps, and how to read its value after them.

    ``value_source`` is an expression giving the value once ``nodes`` ran (None for
    external-state artifacts, see ``external_state``).
    """

    name: str
    root: SliceRoot
    nodes: tuple[int, ...]
    value_source: str | None
    external_state: ExternalState | None


@dataclass(frozen=True)
class SessionSlices:
    """Slices of several artifacts of one session over a shared set of statements."""

    graph: SessionGraph
    artifacts: tuple[ArtifactSlice, ...]
    statements: dict[int, SlicedStatement]
    linea_names: LineaNames


def slice_artifacts(
    graph: SessionGraph,
    targets: Sequence[tuple[str, SliceRoot]],
    *,
    value_loader_source: ValueLoaderSource | None = None,
    slicer: Slicer | None = None,
) -> SessionSlices:
    """Slice each ``(artifact name, root)`` of ``graph`` and merge their statements."""
    slicer = slicer if slicer is not None else Slicer(graph)
    cache = slicer.cache
    per_node: dict[int, list[KeptNode]] = {}
    artifacts: list[ArtifactSlice] = []
    for name, root in targets:
        piece = slicer.slice(root, artifact_name=name, value_loader_source=value_loader_source)
        for node_id, kept in piece.kept.items():
            per_node.setdefault(node_id, []).append(kept)
        artifacts.append(
            ArtifactSlice(
                name=name,
                root=root,
                nodes=tuple(piece.kept),
                value_source=piece.value_source,
                external_state=piece.external_state,
            )
        )
    names = find_linea_names(graph.nodes, cache)
    statements = {
        node_id: _statement(graph, slicer, cache, names, node_id, versions)
        for node_id, versions in sorted(per_node.items())
    }
    return SessionSlices(graph, tuple(artifacts), statements, names)


def _merged(
    graph: SessionGraph, slicer: Slicer, node_id: int, versions: list[KeptNode]
) -> KeptNode:
    """One kept form of a node serving every slice that keeps it."""
    first = versions[0]
    if all(v.text == first.text for v in versions[1:]):
        return first
    whole = next((v for v in versions if v.whole), None)
    if whole is not None:
        return whole
    node = graph.nodes[node_id]
    needed = frozenset().union(*(v.needed for v in versions))
    # The same pruning get_code applies, for the union of what the slices need.
    pruned = slicer._pruned(node, node.source, needed, nameless=False, stops=False)
    if pruned is None:
        return KeptNode(node_id, node.source, needed, True)
    return KeptNode(node_id, pruned.text, needed, False)


def _statement(
    graph: SessionGraph,
    slicer: Slicer,
    cache: StatementCache,
    names: LineaNames,
    node_id: int,
    versions: list[KeptNode],
) -> SlicedStatement:
    kept = _merged(graph, slicer, node_id, versions)
    node = graph.nodes[node_id]
    facts = cache.facts(kept.text)
    stmt = cache.statement(kept.text)
    uses_linea = stmt is not None and _calls_linea(stmt, names)
    if facts is None:
        # As artifact_slices does: nothing can be moved across a statement linea
        # cannot analyse, so it reads and binds every name bound before it.
        everything = _everything_bound_before(graph, node_id, cache)
        reads, binds, analysed = everything, everything, False
    else:
        reads = facts.reads | facts.body_reads
        binds = facts.binds | facts.body_binds | facts.deletes
        analysed = facts.opaque_reason is None
    return SlicedStatement(
        node_id=node_id,
        block=node.block,
        lineno=node.lineno,
        text=kept.text,
        kind=node.kind,
        reads=reads,
        binds=binds,
        analysed=analysed,
        uses_linea=uses_linea,
        setup=kept.setup,
    )


def _calls_linea(stmt: ast.stmt, names: LineaNames) -> bool:
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return False
    for sub in ast.walk(stmt):
        if isinstance(sub, ast.Name) and (sub.id in names.modules or sub.id in names.functions):
            return True
    return False
