"""Sessions as sequences of blocks: notebook cells run out of order, re-run, failing."""

from __future__ import annotations

import pytest

from linea_core.capture.runtime import active_session
from linea_core.capture.session import TracingSession

pytestmark = pytest.mark.engine


def depends(session: TracingSession, name: str) -> list[str]:
    todo = [edge.producer for edge in session.edges_of(name)]
    seen: set[int] = set()
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(edge.producer for edge in session.graph.node(node).deps)
    return [session.graph.node(i).source for i in sorted(seen)]


def test_cells_run_out_of_order_use_the_latest_bindings() -> None:
    s = TracingSession(annotations=None)
    s.run_block("x = 1\n", "<cell 1>")
    s.run_block("y = x * 10\n", "<cell 2>")
    s.run_block("x = 5\n", "<cell 3>")
    s.run_block("y = x * 10\n", "<cell 2>")  # cell 2 re-run after cell 3
    assert s.namespace["y"] == 50
    assert depends(s, "y") == ["x = 5", "y = x * 10"]
    assert [b.filename for b in s.graph.blocks] == ["<cell 1>", "<cell 2>", "<cell 3>", "<cell 2>"]


def test_a_failing_cell_leaves_the_session_usable() -> None:
    s = TracingSession(annotations=None)
    s.run_block("data = [1, 2]\n")
    with pytest.raises(KeyError):
        s.run_block("data.append(3)\n{}['missing']\nnever = 1\n")
    assert active_session() is None
    s.run_block("n = len(data)\n")
    assert s.namespace["n"] == 3
    assert depends(s, "n") == ["data = [1, 2]", "data.append(3)", "n = len(data)"]
    assert "never" not in s.namespace


def test_host_namespace_is_used_as_is() -> None:
    namespace = {"__name__": "__main__", "preset": [1]}
    s = TracingSession(annotations=None, namespace=namespace)
    s.run_block("preset.append(2)\ncopy = list(preset)\n")
    assert namespace["copy"] == [1, 2]
    assert s.module is None
    # names the host put there have no binder node, but their later history is recorded
    assert depends(s, "preset") == ["preset.append(2)"]


def test_functions_defined_in_one_cell_and_called_in_another() -> None:
    s = TracingSession(annotations=None)
    s.run_block("registry = {}\n", "<cell 1>")
    s.run_block("def register(k, v):\n    registry[k] = v\n", "<cell 2>")
    s.run_block("register('a', 1)\nunrelated = 2\n", "<cell 3>")
    s.run_block("keys = sorted(registry)\n", "<cell 4>")
    assert s.namespace["keys"] == ["a"]
    assert depends(s, "keys") == [
        "registry = {}",
        "def register(k, v):\n    registry[k] = v",
        "register('a', 1)",
        "keys = sorted(registry)",
    ]


def test_redefining_a_function_changes_what_its_calls_depend_on() -> None:
    s = TracingSession(annotations=None)
    s.run_block("a = 1\nb = 2\n")
    s.run_block("def f():\n    return a\n")
    s.run_block("def f():\n    return b\n")
    s.run_block("r = f()\n")
    assert depends(s, "r") == ["b = 2", "def f():\n    return b", "r = f()"]


def test_future_import_in_a_cell_applies_to_later_cells() -> None:
    s = TracingSession(annotations=None)
    s.run_block("from __future__ import annotations\n", "<cell 1>")
    s.run_block("def g(x: Missing) -> None:\n    pass\nhint = g.__annotations__['x']\n")
    assert s.namespace["hint"] == "Missing"
