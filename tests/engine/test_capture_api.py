"""``linea_core.trace``/``tag`` and the seam ``save`` uses: slice roots, node kinds, flushing."""

from __future__ import annotations

from typing import Any

import pytest

import linea_core
from linea_core.capture.runtime import active_session
from linea_core.capture.session import TracingSession
from linea_core.errors import LineaError
from linea_core.graph.model import Block, Node, NodeKind

pytestmark = pytest.mark.engine


def test_trace_returns_values_artifacts_and_graph() -> None:
    result = linea_core.trace(
        """
        import linea_core as lineapy
        a = [1, 2]
        noise = "x"
        total = sum(a)
        art = lineapy.save(total, "total")
        """
    )
    assert result.values["total"] == 3
    assert "__builtins__" not in result.values
    assert set(result.artifacts) == {"total"}
    artifact = result.artifacts["total"]
    assert artifact.get_value() == 3
    assert artifact.get_code() == "a = [1, 2]\ntotal = sum(a)\n"
    assert result.graph is result.session.graph
    assert active_session() is None


def test_trace_without_saves_writes_nothing_to_the_store() -> None:
    result = linea_core.trace("x = 1\n")
    assert result.artifacts == {}
    assert result.session.store is None


def test_save_root_for_a_name_is_its_binder_and_history() -> None:
    result = linea_core.trace(
        """
        import linea_core as lineapy
        a = []
        a.append(1)
        b = 5
        lineapy.save(a, "a")
        """
    )
    root = result.artifacts["a"]._record.slice_root
    assert root.value_in_save is False
    assert root.save_node == 4
    assert {edge.producer for edge in root.edges} == {1, 2}


def test_value_computed_inside_save_sets_value_in_save() -> None:
    result = linea_core.trace(
        """
        import linea_core as lineapy
        a = [1, 2, 3]
        other = 0
        lineapy.save(len(a) * 2, "m")
        """
    )
    artifact = result.artifacts["m"]
    root = artifact._record.slice_root
    assert root.value_in_save is True
    # linea's own module is only needed to call save: not a dependency of the value
    assert {edge.producer for edge in root.edges} == {1}
    assert artifact.get_value() == 6
    assert artifact.execute() == 6


def test_save_and_get_are_recognised_by_identity_not_spelling() -> None:
    linea_core.trace(
        """
        import linea_core as lp
        lp.save(41, "first")
        """
    )
    result = linea_core.trace(
        """
        from linea_core import get as fetch, save as keep
        import linea_core as anything
        def save(x, name):
            return x
        v = fetch("first").get_value() + 1
        keep(v, "second")
        save(v, "not linea")
        anything.save(v, "third")
        """
    )
    kinds = {node.source: node.kind for node in result.graph.nodes}
    assert kinds['v = fetch("first").get_value() + 1'] is NodeKind.ARTIFACT_GET
    assert kinds['keep(v, "second")'] is NodeKind.ARTIFACT_SAVE
    assert kinds['save(v, "not linea")'] is NodeKind.STATEMENT
    assert kinds['anything.save(v, "third")'] is NodeKind.ARTIFACT_SAVE
    assert set(result.artifacts) == {"second", "third"}


def test_save_does_not_count_as_a_mutation_of_its_argument() -> None:
    result = linea_core.trace(
        """
        import linea_core as lineapy
        data = {"a": [1]}
        lineapy.save(data, "d1")
        after = len(data)
        """
    )
    after = result.session.edges_of("after")
    producers = {edge.producer for edge in after}
    assert 2 not in producers
    node = [n for n in result.graph.nodes if n.source == "after = len(data)"][0]
    assert {edge.producer for edge in node.deps} == {1}


def test_get_code_works_inside_the_traced_script() -> None:
    result = linea_core.trace(
        """
        import linea_core as lineapy
        x = [1]
        x.append(2)
        code = lineapy.save(x, "x").get_code()
        """
    )
    assert result.values["code"] == "x = [1]\nx.append(2)\n"


def test_tag_names_the_session_and_is_harmless_outside() -> None:
    linea_core.tag("outside")  # no session: nothing happens
    result = linea_core.trace(
        """
        import linea_core as lineapy
        lineapy.tag("my run")
        v = 1
        lineapy.save(v, "v")
        """
    )
    assert result.session.name == "my run"
    store = result.session.store
    assert store.session_info(result.session.session_id).name == "my run"
    with pytest.raises(LineaError):
        linea_core.tag("")


def test_trace_name_argument_and_file_system_db_markers() -> None:
    assert linea_core.file_system.value == "file_system"
    assert linea_core.db.value == "db"
    result = linea_core.trace("import linea_core\nlinea_core.save(3, 'three')\n", name="named")
    assert result.session.name == "named"


class RecordingStore:
    """Records how the session writes to a store (no database involved)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def ensure_session(self, session_id: str, **kwargs: Any) -> None:
        self.calls.append(("ensure_session", kwargs.get("name")))

    def append_graph(self, session_id: str, blocks: list[Block], nodes: list[Node]) -> None:
        self.calls.append(("append_graph", ([b.index for b in blocks], [n.id for n in nodes])))


def test_flush_writes_pending_blocks_and_nodes_in_one_call() -> None:
    session = TracingSession(annotations=None)
    session.run_block("a = 1\nb = 2\n")
    store = RecordingStore()
    session.flush(store)
    session.run_block("c = 3\n")
    session.flush(store)
    session.flush(store)
    session.name = "renamed"
    session.run_block("d = 4\n")
    session.close()
    assert store.calls == [
        ("ensure_session", None),
        ("append_graph", ([0], [0, 1])),
        ("append_graph", ([1], [2])),
        ("ensure_session", "renamed"),
        ("append_graph", ([2], [3])),
    ]


def test_flush_during_a_statement_includes_the_provisional_node() -> None:
    session = TracingSession(annotations=None)
    store = RecordingStore()
    session.namespace["flush_now"] = lambda: session.flush(store)
    session.run_block("a = [1]\nflush_now() or a.append(2)\nb = 1\n")
    session.close()
    appended = [payload for kind, payload in store.calls if kind == "append_graph"]
    assert appended[0] == ([0], [0, 1])  # node 1 is the statement still running
    assert appended[1] == ([], [1, 2])  # re-sent final node 1 is harmless (first write wins)


def test_run_after_close_is_refused() -> None:
    session = TracingSession(annotations=None)
    session.close()
    with pytest.raises(LineaError):
        session.run_block("x = 1\n")


def test_save_inside_opaque_code_depends_on_everything_before() -> None:
    with pytest.warns(UserWarning, match="opaque"):
        result = linea_core.trace(
            """
            import linea_core as lineapy
            base = [1, 2]
            extra = 3
            exec("lineapy.save(sum(base) + extra, 'total')")
            """
        )
    root = result.artifacts["total"]._record.slice_root
    assert root.value_in_save is True
    assert {edge.producer for edge in root.edges} == {0, 1, 2}


def test_reload_inside_a_traced_run_fetches_the_packs_again() -> None:
    s = TracingSession()
    s.run_block("import linea_core as lineapy\ndata = [3, 1]\ndata.sort()\n")
    first = s.state.calls.index
    assert first is not None and callable(first.effects_for)
    s.run_block("lineapy.reload()\n")
    assert s.state.calls._index is not first  # forgotten, fetched again on next use
    s.run_block("data.append(5)\n")
    again = s.state.calls.index
    assert again is not None and again is not first and callable(again.effects_for)
    assert s.namespace["data"] == [1, 3, 5]
