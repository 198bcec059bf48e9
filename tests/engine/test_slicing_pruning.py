"""Compound statements pruned by the real ``linea_core.slicing.pruning.prune``, on hand-built graphs."""

from __future__ import annotations

import pytest

from linea_core.codegen import artifact_code, execute_artifact
from linea_core.slicing.builder import GraphBuilder

pytestmark = pytest.mark.engine


def _code(b: GraphBuilder, save: int, *edges, **options) -> str:  # noqa: ANN002, ANN003
    return artifact_code(b.graph, b.root(save, *edges), artifact_name="out", **options)


def test_print_of_an_int_loop_variable_is_pruned() -> None:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "total = 0\n"
        "for i in range(3):\n"
        "    total += i\n"
        "    print(i)\n"
        "lineapy.save(total, 'out')\n"
    )
    b.depend(2, (1, {"total"}))
    b.depend(3, (0, {"lineapy"}), (2, {"total"}))
    assert _code(b, 3, (2, {"total"})) == "total = 0\nfor i in range(3):\n    total += i\n"


def test_both_branches_of_an_if_keep_what_they_need() -> None:
    """Upstream's "unvisited conditional" issue: the branch not taken still works."""
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "x = 5\n"
        "if x > 10:\n"
        "    y = x * 2\n"
        "    print('big')\n"
        "else:\n"
        "    y = 0\n"
        "    z = 3\n"
        "lineapy.save(y, 'out')\n"
    )
    b.depend(2, (1, {"x"}))
    b.depend(3, (0, {"lineapy"}), (2, {"y"}))
    code = _code(b, 3, (2, {"y"}))
    assert code == "x = 5\nif x > 10:\n    y = x * 2\nelse:\n    y = 0\n"
    namespace: dict[str, object] = {}
    exec(code.replace("x = 5", "x = 50"), namespace)  # the other branch runs too
    assert namespace["y"] == 100


def test_edges_the_pruned_loop_no_longer_reads_are_not_followed() -> None:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "figure = []\n"
        "values = [1, 2, 3]\n"
        "total = 0\n"
        "for v in values:\n"
        "    total += v\n"
        "    figure.append(v)\n"
        "lineapy.save(total, 'out')\n"
    )
    b.depend(4, (1, {"figure"}), (2, {"values"}), (3, {"total"}))
    b.depend(5, (0, {"lineapy"}), (4, {"total"}))
    assert _code(b, 5, (4, {"total"})) == (
        "values = [1, 2, 3]\ntotal = 0\nfor v in values:\n    total += v\n"
    )


def test_a_call_that_may_mutate_a_needed_object_is_kept() -> None:
    """``rows`` comes from a call: its elements may be mutable, ``log(row)`` may change them."""
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "def load():\n"
        "    return [[1], [2]]\n"
        "def log(item):\n"
        "    print(item)\n"
        "rows = load()\n"
        "total = []\n"
        "for row in rows:\n"
        "    log(row)\n"
        "    total.append(row)\n"
        "lineapy.save(total, 'out')\n"
    )
    b.depend(3, (1, {"load"}))
    b.depend(5, (2, {"log"}), (3, {"rows"}), (4, {"total"}))
    b.depend(6, (0, {"lineapy"}), (4, {"total"}), (5, {"total"}))
    assert _code(b, 6, (4, {"total"}), (5, {"total"})) == (
        "def load():\n"
        "    return [[1], [2]]\n"
        "def log(item):\n"
        "    print(item)\n"
        "rows = load()\n"
        "total = []\n"
        "for row in rows:\n"
        "    log(row)\n"
        "    total.append(row)\n"
    )


def test_elements_of_a_literal_list_of_constants_are_immutable() -> None:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "def log(item):\n"
        "    print(item)\n"
        "rows = [1, 2, 3]\n"
        "total = 0\n"
        "for row in rows:\n"
        "    log(row)\n"
        "    total += row\n"
        "lineapy.save(total, 'out')\n"
    )
    b.depend(4, (1, {"log"}), (2, {"rows"}), (3, {"total"}))
    b.depend(5, (0, {"lineapy"}), (4, {"total"}))
    assert _code(b, 5, (4, {"total"})) == (
        "rows = [1, 2, 3]\ntotal = 0\nfor row in rows:\n    total += row\n"
    )


def test_values_read_from_earlier_statements_are_proven_through_edges() -> None:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "n = 3\n"
        "step = n * 2 + len('ab')\n"
        "data = [0]\n"
        "total = 0\n"
        "for _ in range(n):\n"
        "    total += step\n"
        "    log(step)\n"
        "    total += len(data)\n"
        "    log(data)\n"
        "lineapy.save(total, 'out')\n"
    )
    b.depend(2, (1, {"n"}))
    b.depend(5, (1, {"n"}), (2, {"step"}), (3, {"data"}), (4, {"total"}))
    b.depend(6, (0, {"lineapy"}), (5, {"total"}))
    # ``step`` is an int (from ``n * 2 + len(...)``), so log(step) goes; ``data`` is a
    # list that the unknown function log() receives, so that call stays.
    assert _code(b, 6, (5, {"total"})) == (
        "n = 3\n"
        "step = n * 2 + len('ab')\n"
        "data = [0]\n"
        "total = 0\n"
        "for _ in range(n):\n"
        "    total += step\n"
        "    total += len(data)\n"
        "    log(data)\n"
    )


def test_a_shadowed_builtin_proves_nothing() -> None:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "def len(x):\n"
        "    return [x]\n"
        "k = len(1)\n"
        "acc = []\n"
        "for _ in range(2):\n"
        "    acc.append(1)\n"
        "    print(k)\n"
        "lineapy.save(acc, 'out')\n"
    )
    b.depend(2, (1, {"len"}))
    b.depend(4, (2, {"k"}), (3, {"acc"}))
    b.depend(5, (0, {"lineapy"}), (3, {"acc"}), (4, {"acc"}))
    code = _code(b, 5, (3, {"acc"}), (4, {"acc"}))
    # ``k`` is not needed for ``acc`` either way; the point is no crash and a sound slice.
    assert code == "acc = []\nfor _ in range(2):\n    acc.append(1)\n"


def test_calls_to_a_function_named_by_an_edge_are_kept() -> None:
    """A user function that appends to a global: the edge names the function it went through."""
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "items = []\n"
        "def add(v):\n"
        "    items.append(v)\n"
        "for i in range(3):\n"
        "    add(i)\n"
        "    print(i)\n"
        "lineapy.save(items, 'out')\n"
    )
    b.depend(3, (2, {"add"}), (1, {"items"}, {"add"}))
    b.depend(4, (0, {"lineapy"}), (1, {"items"}), (3, {"add"}, {"items"}))
    root = b.root(4, (1, {"items"}), (3, {"add"}, {"items"}))
    code = artifact_code(b.graph, root, artifact_name="out")
    assert code == (
        "items = []\ndef add(v):\n    items.append(v)\nfor i in range(3):\n    add(i)\n"
    )
    assert execute_artifact(b.graph, root, "out") == [0, 1, 2]


def test_pruned_while_and_try_keep_control_flow() -> None:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "n = 0\n"
        "noise = []\n"
        "while True:\n"
        "    n += 1\n"
        "    noise.append(n)\n"
        "    if n >= 4:\n"
        "        break\n"
        "try:\n"
        "    r = 10 // (n - 4)\n"
        "except ZeroDivisionError:\n"
        "    r = -1\n"
        "    noise.clear()\n"
        "lineapy.save(r, 'out')\n"
    )
    b.depend(3, (1, {"n"}), (2, {"noise"}))
    b.depend(4, (3, {"n"}), (2, {"noise"}), (3, {"noise"}))
    b.depend(5, (0, {"lineapy"}), (4, {"r"}))
    root = b.root(5, (4, {"r"}))
    code = artifact_code(b.graph, root, artifact_name="out")
    assert code == (
        "n = 0\n"
        "while True:\n"
        "    n += 1\n"
        "    if n >= 4:\n"
        "        break\n"
        "try:\n"
        "    r = 10 // (n - 4)\n"
        "except ZeroDivisionError:\n"
        "    r = -1\n"
    )
    assert execute_artifact(b.graph, root, "out") == -1


@pytest.mark.parametrize(
    ("loop", "immutable", "mutable"),
    [
        ("for i, row in enumerate(rows):\n    a = i\n", {"i", "a"}, {"row", "rows"}),
        ("for i, c in enumerate('abc'):\n    s = f'{c}{i}'\n", {"i", "c", "s"}, set()),
        ("for k in range(3):\n    p, q = k, [k]\n", {"k", "p"}, {"q"}),
        ("for k in range(3):\n    w = [(z := k) for _ in 'a']\n", {"k"}, {"z", "w"}),
        ("for k in range(3):\n    k = str(k) if k else None\n", {"k"}, set()),
        ("for k in range(3):\n    k = rows\n", set(), {"k"}),
        ("for k in sorted((3, 1)):\n    m = -k ** 2 < 0 or k\n", {"k", "m"}, set()),
        ("for k in range(3):\n    global g\n    g = 1\n", {"k"}, {"g"}),
        ("with open('f') as fh:\n    t = 1\n", {"t"}, {"fh"}),
    ],
)
def test_immutability_inside_one_compound_statement(
    loop: str, immutable: set[str], mutable: set[str]
) -> None:
    from linea_core.slicing.immutability import ImmutabilityOracle
    from linea_core.slicing.statements import StatementCache

    b = GraphBuilder()
    b.block("rows = make()\n" + loop)
    b.depend(1, (0, {"rows"}))
    may_mutate = ImmutabilityOracle(b.graph.nodes, StatementCache()).may_mutate(b.graph.nodes[1])
    assert {n for n in immutable if may_mutate(n)} == set()
    assert {n for n in mutable if not may_mutate(n)} == set()


def test_a_binding_that_may_not_run_keeps_the_earlier_one() -> None:
    """The branch ran, so the ``if`` is the last binder; the other path needs ``mode = ...``."""
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "mode = 'unused'\n"
        "var = 20\n"
        "mode = 'default'\n"
        "if var > 18:\n"
        "    mode = 'large'\n"
        "lineapy.save(mode, 'out')\n"
    )
    # capture gives the ``if`` an edge to the binding it may leave in place
    b.depend(4, (2, {"var"}), (3, {"mode"}))
    b.depend(5, (0, {"lineapy"}), (4, {"mode"}))
    code = _code(b, 5, (4, {"mode"}))
    assert code == "var = 20\nmode = 'default'\nif var > 18:\n    mode = 'large'\n"
    namespace: dict[str, object] = {}
    exec(code.replace("var = 20", "var = 1"), namespace)
    assert namespace["mode"] == "default"


def test_a_deleted_name_has_no_earlier_binding_to_keep() -> None:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "acc = [0]\n"
        "del acc\n"
        "for k in range(3):\n"
        "    acc = k\n"
        "lineapy.save(acc, 'out')\n"
    )
    b.depend(4, (0, {"lineapy"}), (3, {"acc"}))
    assert _code(b, 4, (3, {"acc"})) == "for k in range(3):\n    acc = k\n"


def test_aliases_made_before_the_loop_are_known_to_pruning() -> None:
    """``view`` and ``base`` are one list: appending through ``view`` changes ``len(base)``."""
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "base = []\n"
        "view = base\n"
        "for k in range(2):\n"
        "    view.append(k)\n"
        "    size = len(base)\n"
        "    print(k)\n"
        "lineapy.save(size, 'out')\n"
    )
    b.depend(2, (1, {"base"}))
    # The loop reads base and view: capture's edges to base's creation carry both.
    b.depend(3, (1, {"base"}, {"base", "view"}), (2, {"view"}))
    b.depend(4, (0, {"lineapy"}), (3, {"size"}))
    code = _code(b, 4, (3, {"size"}))
    assert code == (
        "base = []\nview = base\nfor k in range(2):\n    view.append(k)\n    size = len(base)\n"
    )
