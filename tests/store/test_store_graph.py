"""Sessions and their graphs round-trip, and a flush is one transaction."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from linea_core.graph.model import (
    Block,
    Edge,
    ExternalState,
    Node,
    NodeKind,
    SessionGraph,
    SliceRoot,
)
from linea_core.store import graph_rows
from linea_core.store.errors import SessionNotFoundError
from linea_core.store.repository import Store


def _graph(session_id: str, blocks: int, nodes_per_block: int) -> SessionGraph:
    graph = SessionGraph(session_id)
    for b in range(blocks):
        lines = [f"x{b}_{i} = {i}" for i in range(nodes_per_block)]
        graph.blocks.append(Block(index=b, source="\n".join(lines) + "\n", filename=f"<cell {b}>"))
        for i, line in enumerate(lines):
            node_id = len(graph.nodes)
            deps = (Edge(node_id - 1, frozenset({"a", "b"}), frozenset({"c"})),) if node_id else ()
            graph.nodes.append(
                Node(
                    id=node_id,
                    block=b,
                    lineno=i + 1,
                    end_lineno=i + 1,
                    source=line,
                    kind=NodeKind.OPAQUE if i % 3 == 0 else NodeKind.STATEMENT,
                    deps=deps,
                    external_writes=frozenset({ExternalState.FILE_SYSTEM})
                    if i % 2
                    else frozenset(),
                    note="could not analyse" if i % 3 == 0 else "",
                )
            )
    return graph


def test_graph_round_trips(store: Store) -> None:
    graph = _graph("sess-a", blocks=3, nodes_per_block=4)
    store.append_graph(graph.session_id, graph.blocks, graph.nodes)
    assert store.load_graph("sess-a") == graph


def test_graph_is_appended_in_parts(store: Store) -> None:
    graph = _graph("sess-b", blocks=2, nodes_per_block=3)
    store.append_graph("sess-b", graph.blocks[:1], graph.nodes[:3])
    store.append_graph("sess-b", graph.blocks[1:], graph.nodes[3:])
    assert store.load_graph("sess-b") == graph


def test_resending_a_flush_is_harmless(store: Store) -> None:
    graph = _graph("sess-c", blocks=1, nodes_per_block=3)
    store.append_graph("sess-c", graph.blocks, graph.nodes[:2])
    store.append_graph("sess-c", graph.blocks, graph.nodes)
    assert store.load_graph("sess-c") == graph


def test_a_provisional_node_is_replaced_by_its_final_version(store: Store) -> None:
    """save() flushes the statement still running; its final node comes later."""
    graph = _graph("sess-f", blocks=1, nodes_per_block=3)
    last = graph.nodes[-1]
    provisional = dataclasses.replace(last, deps=last.deps[:0], note="provisional")
    store.append_graph("sess-f", graph.blocks, [*graph.nodes[:-1], provisional])
    assert store.load_graph("sess-f").nodes[-1] == provisional
    store.append_graph("sess-f", [], [last])
    assert store.load_graph("sess-f") == graph


def test_flush_of_many_nodes_is_one_transaction(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = _graph("sess-d", blocks=5, nodes_per_block=200)
    transactions: list[int] = []
    database = store.database
    real_write = database.write

    def counting_write(work: Any) -> Any:
        transactions.append(1)
        return real_write(work)

    monkeypatch.setattr(database, "write", counting_write)
    store.append_graph("sess-d", graph.blocks, graph.nodes)
    assert transactions == [1]
    assert len(store.load_graph("sess-d").nodes) == 1000


def test_session_record(store: Store) -> None:
    store.ensure_session("sess-e", name="first", working_dir="/work", entry_path="run.py")
    store.ensure_session("sess-e")  # idempotent, keeps the name
    info = store.session_info("sess-e")
    assert (info.name, info.working_dir, info.entry_path) == ("first", "/work", "run.py")
    assert info.python_version
    store.ensure_session("sess-e", name="renamed")
    assert store.session_info("sess-e").name == "renamed"


def test_unknown_session(store: Store) -> None:
    with pytest.raises(SessionNotFoundError, match="nope"):
        store.load_graph("nope")


def test_every_graph_model_field_is_persisted() -> None:
    """A field added to the graph model must be stored too (graph_rows + a migration)."""
    handled = {
        Node: {
            "id",
            "block",
            "lineno",
            "end_lineno",
            "source",
            "kind",
            "deps",
            "external_writes",
            "note",
        },
        Edge: {"producer", "names", "via"},
        SliceRoot: {"save_node", "edges", "value_in_save", "site", "missing"},
        Block: {"index", "source", "filename"},
    }
    for cls, fields in handled.items():
        actual = {field.name for field in dataclasses.fields(cls)}
        assert actual == fields, (
            f"{cls.__name__} fields changed to {sorted(actual)}: persist them in "
            "linea_core/store/graph_rows.py (and add a migration if a column is needed)"
        )
    root = SliceRoot(7, (Edge(1, frozenset({"x"}), frozenset({"y"})),), value_in_save=True)
    assert graph_rows.slice_root_from_json(graph_rows.slice_root_to_json(root)) == root
    # Edges written before ``via`` existed read back with an empty one.
    assert graph_rows.edges_from_json([[3, ["a"]]]) == (Edge(3, frozenset({"a"})),)
