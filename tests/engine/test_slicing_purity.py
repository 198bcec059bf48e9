"""Slicing knows which built-in calls change nothing (packs), and what may be an iterator."""

from __future__ import annotations

from typing import Any

import pytest

from linea_core.codegen import artifact_code
from linea_core.slicing import Slicer
from linea_core.slicing.builder import GraphBuilder
from linea_core.slicing.immutability import ImmutabilityOracle
from linea_core.slicing.statements import StatementCache

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def index() -> Any:
    """The core packs, built once for the module (no user folder, no cache)."""
    from linea_core.annotations import AnnotationIndex
    from linea_core.plugins.host import PluginHost

    packs = PluginHost.installed().annotation_packs()
    return AnnotationIndex.from_packs(packs, None, cache_dir=None)


def _code(b: GraphBuilder, save: int, producer: int, name: str, index: Any) -> str:
    slicer = Slicer(b.graph, annotations=lambda: index)
    root = b.root(save, (producer, {name}))
    return artifact_code(b.graph, root, artifact_name="out", slicer=slicer)


def _printing_loop(extra: str = "", *, edges: tuple = ()) -> GraphBuilder:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "xs = [1, 2]\n"
        "out = []\n"
        f"{extra}"
        "for x in xs:\n"
        "    out.append(x)\n"
        "    print('so far', out)\n"
        "lineapy.save(out, 'out')\n"
    )
    loop = len(b.graph.nodes) - 2
    b.depend(loop, (1, {"xs"}), (2, {"out"}), *edges)
    b.depend(loop + 1, (0, {"lineapy"}), (loop, {"out"}))
    return b


def test_print_of_a_list_inside_a_loop_is_dropped(index: Any) -> None:
    b = _printing_loop()
    assert _code(b, 4, 3, "out", index) == (
        "xs = [1, 2]\nout = []\nfor x in xs:\n    out.append(x)\n"
    )


def test_the_packs_of_the_current_context_are_used_by_default() -> None:
    b = _printing_loop()
    code = artifact_code(b.graph, b.root(4, (3, {"out"})), artifact_name="out")
    assert "print" not in code


def test_without_packs_a_call_may_change_its_arguments() -> None:
    b = _printing_loop()
    slicer = Slicer(b.graph, annotations=lambda: None)
    code = artifact_code(b.graph, b.root(4, (3, {"out"})), artifact_name="out", slicer=slicer)
    assert "    print('so far', out)\n" in code


def test_a_print_the_user_bound_is_not_the_builtin(index: Any) -> None:
    b = _printing_loop("print = lambda *a: a[-1].append(0)\n", edges=((3, {"print"}),))
    code = _code(b, 5, 4, "out", index)
    assert "    print('so far', out)\n" in code


def test_a_function_rebinding_print_makes_print_unknown(index: Any) -> None:
    b = _printing_loop("def quiet():\n    global print\n    print = None\n")
    assert "    print('so far', out)\n" in _code(b, 5, 4, "out", index)


def test_keyword_conditions_of_the_packs_apply(index: Any) -> None:
    """``print(..., file=fh)`` writes to ``fh``: not pure."""
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "import io\n"
        "fh = io.StringIO()\n"
        "for x in [1, 2]:\n"
        "    print(x, file=fh)\n"
        "    print(x, fh)\n"
        "lineapy.save(fh, 'out')\n"
    )
    b.depend(2, (1, {"io"}))
    b.depend(3, (2, {"fh"}))
    b.depend(4, (0, {"lineapy"}), (3, {"fh"}))
    assert _code(b, 4, 3, "fh", index) == (
        "import io\nfh = io.StringIO()\nfor x in [1, 2]:\n    print(x, file=fh)\n"
    )


@pytest.mark.parametrize(
    ("loop", "plain", "unknown"),
    [
        ("for r in rows:\n    a = [r]\n    b = sorted(rows)\n", {"a", "b"}, {"r", "rows"}),
        ("for r in xs:\n    it = iter(xs)\n    d = dict(x=r)\n", {"d", "xs"}, {"it", "r"}),
        ("for i, r in enumerate(xs):\n    g = (v for v in xs)\n", {"i", "xs"}, {"g", "r"}),
        ("for p in zip(xs, xs):\n    q = p\n", {"p", "q", "xs"}, set()),
        ("for k in range(2):\n    xs = make()\n", {"k"}, {"xs"}),
    ],
)
def test_plain_data_is_never_an_iterator(loop: str, plain: set[str], unknown: set[str]) -> None:
    b = GraphBuilder()
    b.block("rows = make()\nxs = [1, 2]\nxs.append(3)\n" + loop)
    b.depend(2, (1, {"xs"}))
    b.depend(3, (0, {"rows"}), (1, {"xs"}), (2, {"xs"}))
    oracle = ImmutabilityOracle(b.graph.nodes, StatementCache())
    may_be_iterator = oracle.may_be_iterator(b.graph.nodes[3])
    assert {n for n in plain if may_be_iterator(n)} == set()
    assert {n for n in unknown if not may_be_iterator(n)} == set()


def test_a_name_some_function_rebinds_is_never_proven_plain() -> None:
    b = GraphBuilder()
    b.block("xs = [1]\ndef swap():\n    global xs\n    xs = iter([2])\nfor v in xs:\n    pass\n")
    b.depend(2, (0, {"xs"}))
    oracle = ImmutabilityOracle(b.graph.nodes, StatementCache())
    assert oracle.may_be_iterator(b.graph.nodes[2])("xs")


def test_a_sum_over_an_iterator_consumes_it(index: Any) -> None:
    """``sum`` is pure, but ``sum(it)`` exhausts an iterator: it stays for ``it``."""
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "xs = [1, 2]\n"
        "it = iter(xs)\n"
        "total = 0\n"
        "for k in range(2):\n"
        "    total += k\n"
        "    s = sum(it)\n"
        "lineapy.save(it, 'it')\n"
    )
    b.depend(2, (1, {"xs"}))
    b.depend(4, (2, {"it"}), (3, {"total"}))
    assert _code(b, 5, 4, "it", index) == (
        "xs = [1, 2]\nit = iter(xs)\nfor k in range(2):\n    s = sum(it)\n"
    )


def test_a_call_reaching_a_global_through_a_function_is_kept(index: Any) -> None:
    """Capture's edge ``via={bump, rate}`` says calling ``bump`` reaches ``rate``."""
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "rate = 1\n"
        "def bump(step):\n    global rate\n    rate += step\n"
        "adjusted = {}\n"
        "if rate > 0:\n"
        "    bump(2)\n"
        "    adjusted['rate'] = rate\n"
        "    print(adjusted)\n"
        "lineapy.save(adjusted, 'out')\n"
    )
    b.depend(4, (1, {"rate"}, {"rate", "bump"}), (2, {"bump"}), (3, {"adjusted"}))
    b.depend(5, (0, {"lineapy"}), (4, {"adjusted"}))
    assert _code(b, 5, 4, "adjusted", index) == (
        "rate = 1\n"
        "def bump(step):\n    global rate\n    rate += step\n"
        "adjusted = {}\n"
        "if rate > 0:\n"
        "    bump(2)\n"
        "    adjusted['rate'] = rate\n"
    )
