"""Running a slice on its own: the value it returns and the errors it raises."""

from __future__ import annotations

from pathlib import Path

import pytest

from linea_core.codegen import artifact_code, execute_artifact
from linea_core.graph.model import Edge, ExternalState
from linea_core.slicing import SliceExecutionError, SlicingError
from linea_core.slicing.builder import GraphBuilder

pytestmark = pytest.mark.engine


def test_returns_the_saved_variable_recomputed_from_scratch() -> None:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "items = [3, 1]\n"
        "items.append(2)\n"
        "items.sort()\n"
        "lineapy.save(items, 'items')\n"
    )
    b.depend(2, (1, {"items"})).depend(3, (1, {"items"}), (2, {"items"}))
    root = b.root(4, (1, {"items"}), (2, {"items"}), (3, {"items"}))
    value = execute_artifact(b.graph, root, "items")
    assert value == [1, 2, 3]
    # A fresh namespace each time: the list is rebuilt, not shared.
    assert execute_artifact(b.graph, root, "items") is not value


def test_returns_a_value_computed_inside_the_save_call() -> None:
    b = GraphBuilder()
    b.block("import linea_core as lineapy\nx = 20\nlineapy.save(x // 3, 'third of x')\n")
    b.depend(2, (0, {"lineapy"}), (1, {"x"}))
    assert execute_artifact(b.graph, b.root(2, (1, {"x"}), value_in_save=True), "third of x") == 6


def test_returns_an_attribute_reference() -> None:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "class Box:\n"
        "    pass\n"
        "box = Box()\n"
        "box.content = 'gift'\n"
        "lineapy.save(box.content, 'content')\n"
    )
    b.depend(2, (1, {"Box"})).depend(3, (2, {"box"}))
    root = b.root(4, (2, {"box"}), (3, {"box"}))
    assert execute_artifact(b.graph, root, "content") == "gift"


def test_file_system_artifact_redoes_the_writes(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        f"path = {str(target)!r}\n"
        "with open(path, 'w') as fh:\n"
        "    fh.write('hello')\n"
        "print('unrelated')\n"
        "lineapy.save(lineapy.file_system, 'files')\n",
        external_writes={2: [ExternalState.FILE_SYSTEM]},
    )
    b.depend(2, (1, {"path"}))
    b.depend(4, (0, {"lineapy"}))
    root = b.root(4, Edge(2, frozenset()))
    assert execute_artifact(b.graph, root, "files") is ExternalState.FILE_SYSTEM
    assert target.read_text() == "hello"


def test_a_failing_slice_raises_with_the_cause_chained() -> None:
    b = GraphBuilder()
    b.block("import linea_core as lineapy\nx = 1 / 0\nlineapy.save(x, 'x')\n")
    b.depend(2, (0, {"lineapy"}), (1, {"x"}))
    with pytest.raises(SliceExecutionError, match="ZeroDivisionError") as info:
        execute_artifact(b.graph, b.root(2, (1, {"x"})), "x")
    assert isinstance(info.value.__cause__, ZeroDivisionError)
    tb = info.value.__cause__.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    assert tb.tb_frame.f_code.co_filename == "<linea slice of x>"


def test_a_slice_missing_its_variable_is_reported() -> None:
    b = GraphBuilder()
    b.block("import linea_core as lineapy\nx = 1\nlineapy.save(x, 'x')\n")
    # No edge from the root to ``x = 1``: the slice is empty and ``x`` undefined.
    with pytest.raises(SliceExecutionError, match="'x' could not be evaluated"):
        execute_artifact(b.graph, b.root(2), "x")


def test_save_outside_recorded_statements_returns_the_root_variable() -> None:
    """``save`` called after the last statement: the root names that statement."""
    b = GraphBuilder()
    b.block("x = [1]\nx.append(2)\nprint(x)\n")
    b.depend(1, (0, {"x"})).depend(2, (0, {"x"}), (1, {"x"}))
    root = b.root(2, (0, {"x"}), (1, {"x"}))
    assert artifact_code(b.graph, root, artifact_name="x") == "x = [1]\nx.append(2)\n"
    assert execute_artifact(b.graph, root, "x") == [1, 2]
    # The last statement is part of the slice when the value depends on it.
    root = b.root(2, (1, {"x"}), (2, {"x"}))
    assert artifact_code(b.graph, root, artifact_name="x") == ("x = [1]\nx.append(2)\nprint(x)\n")


def test_a_root_without_any_variable_cannot_yield_a_value() -> None:
    b = GraphBuilder()
    b.block("x = 1\nprint(x)\n")
    with pytest.raises(SlicingError, match="cannot tell which value"):
        execute_artifact(b.graph, b.root(1, Edge(0, frozenset())), "x")


def test_kept_get_lines_load_the_stored_artifact() -> None:
    """The slice keeps ``lineapy.get(...)`` and its import; running it reads the store."""
    import linea_core

    linea_core.save([5, 3, 4], "prices")
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "prices = lineapy.get('prices').get_value()\n"
        "cheapest = min(prices)\n"
        "lineapy.save(cheapest, 'cheapest')\n"
    )
    b.depend(1, (0, {"lineapy"})).depend(2, (1, {"prices"}))
    b.depend(3, (0, {"lineapy"}), (2, {"cheapest"}))
    assert execute_artifact(b.graph, b.root(3, (2, {"cheapest"})), "cheapest") == 3
