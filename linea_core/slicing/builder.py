"""Build session graphs from code and explicit edges, without running anything.

Slicing only reads the graph, so its behaviour can be pinned down on graphs whose
every edge is written by hand: tests of slicing then do not depend on what capture
happens to record, and tools can reconstruct a graph from stored rows the same way.
Nodes get their kind from the statement's shape (imports, calls to linea's ``save``
and ``get``), which callers may override.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping

from linea_core.graph.model import (
    Block,
    Edge,
    ExternalState,
    Node,
    NodeKind,
    SessionGraph,
    SliceRoot,
)
from linea_core.slicing.linea_calls import LineaNames

EdgeSpec = tuple[int, Iterable[str]] | tuple[int, Iterable[str], Iterable[str]]


def _kind_of(stmt: ast.stmt, names: LineaNames) -> NodeKind:
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return NodeKind.IMPORT
    for sub in ast.walk(stmt):
        if isinstance(sub, ast.Call):
            if names.is_call_to(sub.func, "save"):
                return NodeKind.ARTIFACT_SAVE
            if names.is_call_to(sub.func, "get"):
                return NodeKind.ARTIFACT_GET
    return NodeKind.STATEMENT


def edge(producer: int, names: Iterable[str], via: Iterable[str] | None = None) -> Edge:
    """An edge whose ``via`` defaults to ``names`` (the consumer spelled them the same)."""
    name_set = frozenset(names)
    return Edge(producer, name_set, name_set if via is None else frozenset(via))


def _segment(lines: list[str], stmt: ast.stmt) -> str:
    """``ast.get_source_segment`` without re-splitting the whole source per statement."""
    assert stmt.end_lineno is not None and stmt.end_col_offset is not None
    chunk = [line.encode("utf-8") for line in lines[stmt.lineno - 1 : stmt.end_lineno]]
    if len(chunk) == 1:
        return chunk[0][stmt.col_offset : stmt.end_col_offset].decode("utf-8")
    chunk[0] = chunk[0][stmt.col_offset :]
    chunk[-1] = chunk[-1][: stmt.end_col_offset]
    return b"".join(chunk).decode("utf-8")


class GraphBuilder:
    """Accumulates blocks; each top-level statement becomes a node with no edges yet."""

    def __init__(self, session_id: str = "handmade") -> None:
        self.graph = SessionGraph(session_id)
        self._names = LineaNames()

    def block(
        self,
        source: str,
        *,
        kinds: Mapping[int, NodeKind] | None = None,
        notes: Mapping[int, str] | None = None,
        external_writes: Mapping[int, Iterable[ExternalState]] | None = None,
    ) -> list[int]:
        """Add a block; return its node ids. ``kinds``/``notes`` are keyed by position."""
        index = len(self.graph.blocks)
        self.graph.blocks.append(Block(index, source, f"<cell {index + 1}>"))
        ids: list[int] = []
        lines = source.splitlines(keepends=True)
        for position, stmt in enumerate(ast.parse(source).body):
            node_id = len(self.graph.nodes)
            text = _segment(lines, stmt)
            kind = (kinds or {}).get(position) or _kind_of(stmt, self._names)
            self.graph.nodes.append(
                Node(
                    id=node_id,
                    block=index,
                    lineno=stmt.lineno,
                    end_lineno=stmt.end_lineno or stmt.lineno,
                    source=text,
                    kind=kind,
                    external_writes=frozenset((external_writes or {}).get(position, ())),
                    note=(notes or {}).get(position, ""),
                )
            )
            ids.append(node_id)
        return ids

    def depend(self, consumer: int, *edges: Edge | EdgeSpec) -> GraphBuilder:
        """Add edges from ``consumer``: ``Edge`` objects or ``(producer, names[, via])``."""
        node = self.graph.nodes[consumer]
        added = tuple(e if isinstance(e, Edge) else edge(*e) for e in edges)
        self.graph.nodes[consumer] = Node(
            id=node.id,
            block=node.block,
            lineno=node.lineno,
            end_lineno=node.end_lineno,
            source=node.source,
            kind=node.kind,
            deps=node.deps + added,
            external_writes=node.external_writes,
            note=node.note,
        )
        return self

    @staticmethod
    def root(save_node: int, *edges: Edge | EdgeSpec, value_in_save: bool = False) -> SliceRoot:
        """A slice root for the save statement ``save_node``."""
        return SliceRoot(
            save_node,
            tuple(e if isinstance(e, Edge) else edge(*e) for e in edges),
            value_in_save=value_in_save,
        )
