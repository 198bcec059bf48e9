"""An artifact's code comes from the graph stored with it, sliced by the real slicer."""

from __future__ import annotations

import linea_core as lineapy
from linea_core.context import current_context
from linea_core.slicing.builder import GraphBuilder

FIRST_SESSION = "import linea_core as lineapy\na = 1\nb = 2\nc = a + 10\nlineapy.save(c, 'c')\n"
SECOND_SESSION = (
    "import linea_core as lineapy\nx = lineapy.get('c').get_value()\ny = x * 2\n"
    "lineapy.save(y, 'y')\n"
)


def _record_sessions() -> None:
    """Store two sessions' graphs and artifacts as a traced run would have."""
    store = current_context().store
    first = GraphBuilder("session-1")
    first.block(FIRST_SESSION)
    first.depend(3, (1, ["a"])).depend(4, (0, ["lineapy"]), (3, ["c"]))
    store.append_graph("session-1", first.graph.blocks, first.graph.nodes)
    store.save_artifact(
        "c", 11, session_id="session-1", slice_root=GraphBuilder.root(4, (3, ["c"]))
    )
    second = GraphBuilder("session-2")
    second.block(SECOND_SESSION)
    second.depend(1, (0, ["lineapy"])).depend(2, (1, ["x"]))
    second.depend(3, (0, ["lineapy"]), (2, ["y"]))
    store.append_graph("session-2", second.graph.blocks, second.graph.nodes)
    store.save_artifact(
        "y", 22, session_id="session-2", slice_root=GraphBuilder.root(3, (2, ["y"]))
    )


def test_get_code_is_the_slice() -> None:
    _record_sessions()
    artifact = lineapy.get("c")
    assert artifact.get_code() == "a = 1\nc = a + 10\n"
    assert artifact.execute() == 11


def test_get_session_code_is_everything_the_session_ran() -> None:
    _record_sessions()
    assert lineapy.get("c").get_session_code() == FIRST_SESSION


def test_code_without_lineapy_serialization_reads_the_stored_value() -> None:
    _record_sessions()
    artifact = lineapy.get("y")
    assert "lineapy.get('c').get_value()" in artifact.get_code()
    plain = artifact.get_code(use_lineapy_serialization=False)
    assert "lineapy." not in plain and "import pickle" in plain
    namespace: dict[str, object] = {}
    exec(compile(plain, "<slice>", "exec"), namespace)
    assert namespace["y"] == 22


def test_artifact_store_export_names_the_session() -> None:
    _record_sessions()
    export = {row["artifact_name"]: row for row in lineapy.artifact_store().export}
    assert export["c"]["session_id"] == "session-1"
    assert export["y"]["node_id"] == 3
