"""Conversion between the graph model and table rows (JSON columns for edges).

Rows read back are mappings (``row["column"]``); JSON columns are written as JSON text."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from linea_core.graph.model import (
    Block,
    Edge,
    ExternalState,
    Node,
    NodeKind,
    SaveSite,
    SliceRoot,
)
from linea_core.store.database import read_json, to_json


def edges_to_json(edges: tuple[Edge, ...]) -> list[list[Any]]:
    """``[[producer, [names...], [via...]], ...]``; sets sorted so equal graphs give equal JSON."""
    return [[edge.producer, sorted(edge.names), sorted(edge.via)] for edge in edges]


def edges_from_json(
    data: list[Any], names_cache: dict[tuple[str, ...], frozenset[str]] | None = None
) -> tuple[Edge, ...]:
    """Edges from their JSON form; ``names_cache`` shares equal name sets between edges."""
    cache: dict[tuple[str, ...], frozenset[str]] = {} if names_cache is None else names_cache

    def names(items: list[str]) -> frozenset[str]:
        key = tuple(items)
        found = cache.get(key)
        if found is None:
            found = cache[key] = frozenset(items)
        return found

    edges = []
    for item in data:
        producer, edge_names, *rest = item
        # A two-element edge has no ``via`` (an empty one: always followed).
        via = rest[0] if rest else []
        edges.append(Edge(producer=int(producer), names=names(edge_names), via=names(via)))
    return tuple(edges)


def _decode_column(values: list[Any]) -> list[Any]:
    """A JSON column of many rows in one decode (text on SQLite; psycopg decodes already)."""
    if values and all(isinstance(value, str) for value in values):
        decoded: list[Any] = json.loads("[" + ",".join(values) + "]")
        return decoded
    return [read_json(value) for value in values]


def nodes_from_rows(rows: Sequence[Any]) -> list[Node]:
    """A whole session's nodes at once: loading a 10,000-statement graph is on
    ``get_code()``'s path, so JSON is decoded in one call per column and equal name
    sets are shared instead of rebuilt per edge."""
    deps = _decode_column([row["deps"] for row in rows])
    writes = _decode_column([row["external_writes"] for row in rows])
    names_cache: dict[tuple[str, ...], frozenset[str]] = {}
    return [
        Node(
            id=row["id"],
            block=row["block"],
            lineno=row["lineno"],
            end_lineno=row["end_lineno"],
            source=row["source"],
            kind=NodeKind(row["kind"]),
            deps=edges_from_json(node_deps, names_cache),
            external_writes=frozenset(ExternalState(state) for state in node_writes),
            note=row["note"],
        )
        for row, node_deps, node_writes in zip(rows, deps, writes, strict=True)
    ]


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


def slice_root_to_json(root: SliceRoot) -> dict[str, Any]:
    data: dict[str, Any] = {
        "save_node": root.save_node,
        "edges": edges_to_json(root.edges),
        "value_in_save": root.value_in_save,
    }
    site = root.site
    if site is not None:
        data["site"] = [site.node, site.line, site.column, site.run, site.armed]
    if root.missing:
        data["missing"] = root.missing
    return data


def slice_root_from_json(data: dict[str, Any]) -> SliceRoot:
    site = data.get("site")
    return SliceRoot(
        save_node=int(data["save_node"]),
        edges=edges_from_json(data["edges"]),
        value_in_save=bool(data.get("value_in_save", False)),
        site=(
            SaveSite(int(site[0]), int(site[1]), int(site[2]), int(site[3]), bool(site[4]))
            if site
            else None
        ),
        missing=str(data.get("missing", "")),
    )
