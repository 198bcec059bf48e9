"""An artifact's code is computed once and read back, and never when its inputs changed.

``get_code()`` of an artifact from a long session must not load and slice the whole
session graph in every process (issue 7): the code is recorded when the session ends,
or by the first ``get_code()`` that computes it, stamped with the options, the slicing
engine and the graph's revision (``linea_core.api.recorded_code``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import linea_core as lineapy
from linea_core.api import recorded_code
from linea_core.context import current_context
from linea_core.graph.model import Block, Node
from linea_core.store.repository import Store

SCRIPT = """\
import linea_core as lineapy
a = 1
unrelated = 5
b = a + 1
lineapy.save(b, "b")
print(unrelated)
"""
SLICE = "a = 1\nb = a + 1\n"


def _traced(folder: Path) -> Store:
    """Trace :data:`SCRIPT` as a script file; the store it was recorded in."""
    script = folder / "job.py"
    script.write_text(SCRIPT)
    lineapy.trace(str(script))
    return current_context().store


def _rows(store: Store) -> list[tuple[int, str, str, int, str]]:
    with store.database.read() as connection:
        rows = connection.raw.execute(
            "SELECT artifact_id, variant, engine, graph_revision, code FROM artifact_code"
        ).fetchall()
    return [tuple(row) for row in rows]


def _forbid_graph_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Store, session_id: str) -> object:
        raise AssertionError("the session graph was loaded")

    monkeypatch.setattr(Store, "load_graph_revision", refuse)
    monkeypatch.setattr(Store, "load_graph", refuse)


def test_a_traced_run_records_the_code_and_get_code_reads_it_without_the_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _traced(tmp_path)
    [(artifact_id, variant, engine, _, code)] = _rows(store)
    assert (variant, engine, code) == (
        recorded_code.DEFAULT_VARIANT,
        recorded_code.engine_key(),
        SLICE,
    )
    _forbid_graph_loads(monkeypatch)
    assert lineapy.get("b").get_code() == SLICE


def test_code_computed_from_the_store_is_recorded_by_the_first_get_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _traced(tmp_path)
    store.database.write(lambda c: c.raw.execute("DELETE FROM artifact_code"))
    commented = lineapy.get("b").get_code(include_non_slice_as_comment=True)
    assert "unrelated = 5" in commented and commented != SLICE
    first = lineapy.get("b").get_code()
    assert first == SLICE
    variants = sorted(row[1] for row in _rows(store))
    assert variants == sorted([recorded_code.DEFAULT_VARIANT, recorded_code.variant(False, True)])
    _forbid_graph_loads(monkeypatch)
    assert lineapy.get("b").get_code(include_non_slice_as_comment=True) == commented


def test_code_naming_where_values_are_stored_is_never_recorded(tmp_path: Path) -> None:
    store = _traced(tmp_path)
    before = _rows(store)
    lineapy.get("b").get_code(use_lineapy_serialization=False)
    assert _rows(store) == before


def test_code_from_another_engine_is_computed_again(tmp_path: Path) -> None:
    store = _traced(tmp_path)
    store.database.write(
        lambda c: c.raw.execute(
            "UPDATE artifact_code SET engine = 'older-linea', code = 'stale = 1\n'"
        )
    )
    assert lineapy.get("b").get_code() == SLICE
    # ... and recorded again, for this engine
    [(_, _, engine, _, code)] = _rows(store)
    assert (engine, code) == (recorded_code.engine_key(), SLICE)


def test_code_recorded_before_the_graph_changed_is_computed_again(tmp_path: Path) -> None:
    """A notebook session keeps adding cells after a save; each write of the graph
    bumps its revision, so code sliced from the older graph is not returned."""
    store = _traced(tmp_path)
    artifact = lineapy.get("b")
    store.database.write(lambda c: c.raw.execute("UPDATE artifact_code SET code = 'stale = 1\n'"))
    assert lineapy.get("b").get_code() == "stale = 1\n"  # the stamp still matches
    session_id = artifact.get_metadata()["lineapy"]["session_id"]
    graph = store.load_graph(session_id)
    cell = Block(index=len(graph.blocks), source="later = 2\n", filename="<cell>")
    node = Node(id=len(graph.nodes), block=cell.index, lineno=1, end_lineno=1, source="later = 2")
    store.append_graph(session_id, [cell], [node])
    assert lineapy.get("b").get_code() == SLICE


def test_deleting_an_artifact_deletes_its_recorded_code(tmp_path: Path) -> None:
    store = _traced(tmp_path)
    assert len(_rows(store)) == 1
    lineapy.delete("b", version="all")
    assert _rows(store) == []


def test_session_code_reads_only_the_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _traced(tmp_path)
    _forbid_graph_loads(monkeypatch)
    assert lineapy.get("b").get_session_code() == SCRIPT


def test_engine_key_names_linea_python_and_the_engine_source() -> None:
    key = recorded_code.engine_key()
    assert key.startswith(lineapy.__version__ + "/py")
    assert len(key) <= 80
    assert key == recorded_code.engine_key()


def test_a_session_records_the_latest_version_of_each_name_and_older_ones_on_demand(
    tmp_path: Path,
) -> None:
    script = tmp_path / "epochs.py"
    script.write_text(
        "import linea_core as lineapy\n"
        "w = 0\n"
        "for epoch in range(3):\n"
        "    w = w + 1\n"
        "    lineapy.save(w, 'weights')\n"
    )
    lineapy.trace(str(script))
    store = current_context().store
    [(artifact_id, _, _, _, code)] = _rows(store)
    assert artifact_id == store.get_artifact("weights", 2).id
    assert code == lineapy.get("weights", version=2).get_code()
    first = lineapy.get("weights", version=0)
    first_code = first.get_code()
    assert first_code != code
    namespace: dict[str, object] = {}
    exec(compile(first_code, "<slice>", "exec"), namespace)
    assert namespace["weights"] == 1
    assert len(_rows(store)) == 2
