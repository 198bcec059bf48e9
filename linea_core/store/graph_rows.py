"""Conversion between the graph model and table rows (JSON columns for edges).

Rows read back are mappings (``row["column"]``); JSON columns are written as JSON text."""

from __future__ import annotations

from typing import Any

from linea_core.graph.model import Block, Edge, ExternalState, Node, NodeKind, SliceRoot
from linea_core.store.database import read_json, to_json


def edges_to_json(edges: tuple[Edge, ...]) -> list[list[Any]]:
    """``[[producer, [names...], [via...]], ...]``; sets sorted so equal graphs give equal JSON."""
    return [[edge.producer, sorted(edge.names), sorted(edge.via)] for edge in edges]


def edges_from_json(data: list[Any]) -> tuple[Edge, ...]:
    edges = []
    for item in data:
        producer, names, *rest = item
        # A two-element edge has no ``via`` (an empty one: always followed).
        via = rest[0] if rest else ()
        edges.append(Edge(producer=int(producer), names=frozenset(names), via=frozenset(via)))
    return tuple(edges)


def block_to_row(session_id: str, block: Block) -> dict[str, Any]:
    return {
        "session_id": session_id,
        "index": block.index,
        "source": block.source,
        "filename": block.filename,
    }


def block_from_row(row: Any) -> Block:
    return Block(index=row["index"], source=row["source"], filename=row["filename"])


def node_to_row(session_id: str, node: Node) -> dict[str, Any]:
    return {
        "session_id": session_id,
        "id": node.id,
        "block": node.block,
        "lineno": node.lineno,
        "end_lineno": node.end_lineno,
        "source": node.source,
        "kind": NodeKind(node.kind).value,
        # A flush writes every statement of a session: skip the encoder for the usual
        # edge-less / effect-free node.
        "deps": to_json(edges_to_json(node.deps)) if node.deps else "[]",
        "external_writes": (
            to_json(sorted(ExternalState(state).value for state in node.external_writes))
            if node.external_writes
            else "[]"
        ),
        "note": node.note,
    }


def node_from_row(row: Any) -> Node:
    return Node(
        id=row["id"],
        block=row["block"],
        lineno=row["lineno"],
        end_lineno=row["end_lineno"],
        source=row["source"],
        kind=NodeKind(row["kind"]),
        deps=edges_from_json(read_json(row["deps"])),
        external_writes=frozenset(
            ExternalState(state) for state in read_json(row["external_writes"])
        ),
        note=row["note"],
    )


def slice_root_to_json(root: SliceRoot) -> dict[str, Any]:
    return {
        "save_node": root.save_node,
        "edges": edges_to_json(root.edges),
        "value_in_save": root.value_in_save,
    }


def slice_root_from_json(data: dict[str, Any]) -> SliceRoot:
    return SliceRoot(
        save_node=int(data["save_node"]),
        edges=edges_from_json(data["edges"]),
        value_in_save=bool(data.get("value_in_save", False)),
    )
