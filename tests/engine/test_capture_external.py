"""Files written and read by traced code: writer nodes, reader edges, file_system roots."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import linea_core
from linea_core.capture.session import TracingSession
from linea_core.graph.model import ExternalState

pytestmark = pytest.mark.engine


def run(code: str, session: TracingSession | None = None) -> TracingSession:
    session = session or TracingSession(annotations=None)
    session.run_block(textwrap.dedent(code).lstrip("\n"), "<test>")
    return session


def by_source(session: TracingSession, prefix: str):  # noqa: ANN201
    [node] = [n for n in session.graph.nodes if n.source.startswith(prefix)]
    return node


def test_write_then_read_links_reader_to_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    s = run(
        """
        with open("out.txt", "w") as fh:
            fh.write("hello")
        other = 1
        with open("out.txt") as fh:
            text = fh.read()
        """
    )
    writer = by_source(s, 'with open("out.txt", "w")')
    reader = by_source(s, 'with open("out.txt") as')
    assert writer.external_writes == frozenset({ExternalState.FILE_SYSTEM})
    assert reader.external_writes == frozenset()
    assert writer.id in {edge.producer for edge in reader.deps}
    assert s.namespace["text"] == "hello"


def test_library_writes_are_seen_through_the_audit_hook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    s = run(
        """
        import numpy as np
        arr = np.arange(3)
        np.save("arr.npy", arr)
        loaded = np.load("arr.npy")
        """
    )
    saver = by_source(s, "np.save(")
    loader = by_source(s, "loaded = ")
    assert ExternalState.FILE_SYSTEM in saver.external_writes
    assert saver.id in {edge.producer for edge in loader.deps}


# The traced code leaves its file to the garbage collector, as notebook code often does.
@pytest.mark.filterwarnings("ignore:unclosed file:ResourceWarning")
def test_reads_of_unrelated_files_add_no_edges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "input.txt").write_text("x")
    s = run(
        """
        with open("a.txt", "w") as fh:
            fh.write("a")
        data = open("input.txt").read()
        """
    )
    reader = by_source(s, "data = ")
    assert reader.deps == ()


def test_file_system_slice_root_lists_every_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = linea_core.trace(
        """
        import os
        import linea_core as lineapy
        with open("one.txt", "w") as fh:
            fh.write("1")
        unrelated = [1, 2]
        os.remove("one.txt")
        with open("two.txt", "a") as fh:
            fh.write("2")
        art = lineapy.save(lineapy.file_system, "files")
        """
    )
    root = result.artifacts["files"]._record.slice_root
    writers = [result.graph.node(edge.producer).source.splitlines()[0] for edge in root.edges]
    assert writers == [
        'with open("one.txt", "w") as fh:',
        'os.remove("one.txt")',
        'with open("two.txt", "a") as fh:',
    ]
    assert result.artifacts["files"].get_value() is ExternalState.FILE_SYSTEM


def test_linea_own_writes_are_not_user_file_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = linea_core.trace(
        """
        import linea_core as lineapy
        x = [1, 2, 3]
        lineapy.save(x, "x")
        """
    )
    save_node = result.graph.nodes[-1]
    assert save_node.external_writes == frozenset()


def test_bytecode_cache_writes_of_local_imports_are_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    (tmp_path / "local_mod_linea_ext.py").write_text("VALUE = 1\n")
    try:
        s = run("import local_mod_linea_ext\n")
    finally:
        sys.modules.pop("local_mod_linea_ext", None)
    assert s.graph.nodes[0].external_writes == frozenset()
