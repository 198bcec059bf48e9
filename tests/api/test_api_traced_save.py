"""save() inside a traced session stores the graph with the artifact; get_code reads it back."""

from __future__ import annotations

from pathlib import Path

import pytest

import linea_core as lineapy
from linea_core.capture.session import TracingSession
from linea_core.context import current_context
from linea_core.graph.model import ExternalState
from linea_core.store.errors import SerializationError

SCRIPT = (
    "import linea_core as lineapy\n"
    "a = 1\n"
    "b = 2\n"
    "c = a + 10\n"
    "art = lineapy.save(c, 'c')\n"
    "d = c * 2\n"
)


def _traced(*blocks: str) -> TracingSession:
    session = TracingSession(name="exploration", annotations=None)
    for block in blocks:
        session.run_block(block)
    session.close()
    return session


def test_traced_save_records_code_and_session() -> None:
    session = _traced(SCRIPT)
    artifact = lineapy.get("c")
    assert artifact.get_value() == 11
    assert artifact.get_code() == "a = 1\nc = a + 10\n"
    assert artifact.execute() == 11
    assert artifact.get_session_code() == SCRIPT
    store = current_context().store
    assert store.session_info(session.session_id).name == "exploration"
    # The save statement's node was flushed while running; its final version and the
    # statements after it were written when the session closed.
    assert len(store.load_graph(session.session_id).nodes) == 6
    assert session.namespace["art"] == artifact


def test_traced_external_state_save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _traced(
        "import linea_core as lineapy\n"
        "with open('out.txt', 'w') as f:\n    f.write('x')\n"
        "lineapy.save(lineapy.file_system, 'written')\n"
    )
    artifact = lineapy.get("written")
    assert artifact.get_value() is ExternalState.FILE_SYSTEM
    assert "open('out.txt', 'w')" in artifact.get_code()
    assert (tmp_path / "out.txt").read_text() == "x"


def test_unpicklable_value_in_a_traced_session_saves_nothing() -> None:
    session = TracingSession(annotations=None)
    with pytest.raises(SerializationError, match="_thread.lock"):
        session.run_block(
            "import threading\nimport linea_core as lineapy\n"
            "lineapy.save(threading.Lock(), 'lock')\n"
        )
    session.close()
    assert len(lineapy.artifact_store()) == 0
