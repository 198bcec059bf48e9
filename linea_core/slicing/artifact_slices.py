"""Several artifacts of one session sliced together: what pipeline generation needs.

A pipeline turns each artifact's slice into a function and factors the statements
artifacts share into functions of their own. For that it needs, per artifact, which
statements its slice keeps, and per statement one text that serves every artifact
keeping it, with the names that text reads and binds. This module is that documented
interface, on top of :class:`~linea_core.slicing.closure.Slicer`:

* each artifact is sliced on its own, exactly as ``get_code`` slices it;
* a compound statement two slices prune differently (a loop updating ``a`` and ``b``,
  one artifact needing ``a``, the other ``b``) is pruned once more for the union of
  the names both need, so one text computes what every artifact needs from it;
* ``lineapy.get(NAME).get_value()`` is rewritten by the caller's ``value_loader_source``
  (a pipeline replaces it with a parameter or a plain-Python load).

Reads and binds come from :func:`linea_core.syntax.analyse` over the emitted text:
``reads`` includes names read by functions the statement defines (they read them when
called), so a function holding the statement must receive them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from linea_core.graph.model import ExternalState, NodeKind, SessionGraph, SliceRoot
from linea_core.slicing.closure import KeptNode, Slicer, ValueLoaderSource
from linea_core.slicing.linea_calls import LineaNames, find_linea_names
from linea_core.slicing.statements import StatementCache


@dataclass(frozen=True)
class SlicedStatement:
    """One statement kept by at least one of the artifacts' slices.

    ``text`` is the code to emit (the user's statement, pruned or rewritten where a
    slice needed less of it); ``setup`` are lines it needs first (imports of a value
    loader). ``reads`` / ``binds`` are module-level names the text may read / bind;
    ``analysed`` is False when the text could not be analysed (then ``reads`` and
    ``binds`` are empty and callers must be conservative). ``uses_linea`` says the
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
    pruned = slicer._pruned(node, needed, nameless=False)
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
        return SlicedStatement(
            node_id, node.block, node.lineno, kept.text, node.kind, frozenset(), frozenset(),
            False, uses_linea, kept.setup,
        )  # fmt: skip
    return SlicedStatement(
        node_id=node_id,
        block=node.block,
        lineno=node.lineno,
        text=kept.text,
        kind=node.kind,
        reads=facts.reads | facts.body_reads,
        binds=facts.binds | facts.body_binds,
        analysed=facts.opaque_reason is None,
        uses_linea=uses_linea,
        setup=kept.setup,
    )


def _calls_linea(stmt: object, names: LineaNames) -> bool:
    import ast

    assert isinstance(stmt, ast.stmt)
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return False
    for sub in ast.walk(stmt):
        if isinstance(sub, ast.Name) and (sub.id in names.modules or sub.id in names.functions):
            return True
    return False
