"""Backward closure on hand-built graphs: which statements a slice keeps, and why."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from linea_core.codegen import artifact_code
from linea_core.graph.model import Edge, ExternalState, NodeKind
from linea_core.slicing import SlicingError, artifact_slices, slice_nodes
from linea_core.slicing.builder import GraphBuilder
from linea_core.slicing.closure import Slicer

pytestmark = pytest.mark.engine


def _chain() -> tuple[GraphBuilder, list[int]]:
    b = GraphBuilder()
    ids = b.block(
        "import linea_core as lineapy\n"
        "import math\n"
        "x = 5\n"
        "items = [1, 2, 3]\n"
        "print(x)\n"
        "items.append(x)\n"
        "total = math.fsum(items)\n"
        "other = total * 2\n"
        "lineapy.save(total, 'total')\n"
    )
    b.depend(4, (2, {"x"}))
    b.depend(5, (3, {"items"}), (2, {"x"}))
    b.depend(6, (1, {"math"}), (3, {"items"}), (5, {"items"}))
    b.depend(7, (6, {"total"}))
    b.depend(8, (0, {"lineapy"}), (6, {"total"}))
    return b, ids


def test_unrelated_statements_are_left_out() -> None:
    b, _ = _chain()
    root = b.root(8, (6, {"total"}))
    assert artifact_code(b.graph, root, artifact_name="total") == (
        "import math\nx = 5\nitems = [1, 2, 3]\nitems.append(x)\ntotal = math.fsum(items)\n"
    )


def test_slice_nodes_reports_needed_names() -> None:
    b, _ = _chain()
    root = b.root(8, (6, {"total"}))
    assert slice_nodes(b.graph, root) == {
        1: frozenset({"math"}),
        2: frozenset({"x"}),
        3: frozenset({"items"}),
        5: frozenset({"items"}),
        6: frozenset({"total"}),
    }


def test_statements_after_the_save_never_enter_the_slice() -> None:
    b = GraphBuilder()
    b.block("import linea_core as lineapy\nx = 1\nlineapy.save(x, 'x')\nx += 1\n")
    b.depend(2, (0, {"lineapy"}), (1, {"x"})).depend(3, (1, {"x"}))
    assert artifact_code(b.graph, b.root(2, (1, {"x"})), artifact_name="x") == "x = 1\n"


def test_alias_edge_keeps_the_mutation_through_the_other_name() -> None:
    b = GraphBuilder()
    b.block("import linea_core as lineapy\na = []\nb = a\nb.append(1)\nlineapy.save(a, 'a')\n")
    b.depend(2, (1, {"a"}))
    b.depend(3, (2, {"b"}))
    b.depend(4, (0, {"lineapy"}), (1, {"a"}), (3, {"b"}, {"a"}))
    root = b.root(4, (1, {"a"}), (3, {"b"}, {"a"}))
    assert artifact_code(b.graph, root, artifact_name="a") == "a = []\nb = a\nb.append(1)\n"


def test_statements_from_several_blocks_are_joined_in_execution_order() -> None:
    b = GraphBuilder()
    b.block("import linea_core as lineapy\nimport math\n")
    b.block("r = 2.0\nunused = 1\n")
    b.block("area = math.pi * r ** 2\nlineapy.save(area, 'area')")
    b.depend(4, (1, {"math"}), (2, {"r"}))
    b.depend(5, (0, {"lineapy"}), (4, {"area"}))
    code = artifact_code(b.graph, b.root(5, (4, {"area"})), artifact_name="area")
    assert code == "import math\nr = 2.0\narea = math.pi * r ** 2\n"


def test_statements_sharing_a_line_stay_together() -> None:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\na = 1; b = 2;  c = 3  # note\nd = b\nlineapy.save(d, 'd')\n"
    )
    b.depend(4, (2, {"b"}))
    b.depend(5, (0, {"lineapy"}), (4, {"d"}))
    code = artifact_code(b.graph, b.root(5, (4, {"d"})), artifact_name="d")
    assert code == "a = 1; b = 2;  c = 3\nd = b\n"


def test_a_line_sibling_is_kept_with_its_own_dependencies() -> None:
    b = GraphBuilder()
    b.block("import linea_core as lineapy\nbase = 10\nx = base; y = 2\nlineapy.save(y, 'y')\n")
    b.depend(2, (1, {"base"}))
    b.depend(4, (0, {"lineapy"}), (3, {"y"}))
    code = artifact_code(b.graph, b.root(4, (3, {"y"})), artifact_name="y")
    assert code == "base = 10\nx = base; y = 2\n"


def test_save_on_the_same_line_as_the_value_is_still_dropped() -> None:
    b = GraphBuilder()
    b.block("import linea_core as lineapy\nx = 5; lineapy.save(x, 'x')\n")
    b.depend(2, (0, {"lineapy"}), (1, {"x"}))
    root = b.root(2, (1, {"x"}))
    assert artifact_code(b.graph, root, artifact_name="x") == "x = 5\n"
    assert artifact_code(b.graph, root, artifact_name="x", keep_lineapy_save=True) == (
        "import linea_core as lineapy\nx = 5; lineapy.save(x, 'x')\n"
    )


def test_a_nameless_edge_into_a_statement_that_wrote_nothing_keeps_it_whole() -> None:
    calls: list[set[str]] = []

    def prune(stmt, lines, needed, **_):  # noqa: ANN001, ANN003
        calls.append(set(needed))
        raise AssertionError("must not prune without names")

    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "for k in range(2):\n"
        "    print(k)\n"
        "exec('r = 1')\n"
        "lineapy.save(r, 'r')\n",
        kinds={2: NodeKind.OPAQUE},
    )
    b.depend(2, Edge(0, frozenset()), Edge(1, frozenset()))
    slicer = Slicer(b.graph)
    slicer._prune = prune
    piece = slicer.slice(b.root(3, (2, {"r"})), artifact_name="r")
    assert calls == []
    assert sorted(piece.kept) == [0, 1, 2]
    assert piece.kept[1].whole


def test_loop_reached_for_its_file_writes_keeps_only_what_writes() -> None:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "paths = ['a.txt', 'b.txt']\n"
        "noise = []\n"
        "count = 0\n"
        "for p in paths:\n"
        "    count += 1\n"
        "    print(p, noise)\n"
        "    open(p, 'w').write(str(count))\n"
        "lineapy.save(lineapy.file_system, 'files')\n",
        external_writes={4: [ExternalState.FILE_SYSTEM]},
    )
    b.depend(4, (1, {"paths"}), (2, {"noise"}), (3, {"count"}))
    b.depend(5, (0, {"lineapy"}))
    piece = Slicer(b.graph).slice(b.root(5, Edge(4, frozenset())), artifact_name="files")
    assert piece.external_state is ExternalState.FILE_SYSTEM
    assert sorted(piece.kept) == [1, 3, 4]
    assert piece.kept[4].text == (
        "for p in paths:\n    count += 1\n    open(p, 'w').write(str(count))"
    )


def test_with_block_reached_for_its_file_writes_drops_unrelated_prints() -> None:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "rows = [1, 2]\n"
        "preview = rows[:1]\n"
        "with open('notes.txt', 'w') as out:\n"
        "    out.write('rows: ')\n"
        "    out.write(str(len(rows)))\n"
        "    print(preview)\n"
        "lineapy.save(lineapy.file_system, 'files')\n",
        external_writes={3: [ExternalState.FILE_SYSTEM]},
    )
    b.depend(2, (1, {"rows"}))
    b.depend(3, (1, {"rows"}), (2, {"preview"}))
    b.depend(4, (0, {"lineapy"}))
    code = artifact_code(b.graph, b.root(4, Edge(3, frozenset())), artifact_name="files")
    assert code == (
        "rows = [1, 2]\n"
        "with open('notes.txt', 'w') as out:\n"
        "    out.write('rows: ')\n"
        "    out.write(str(len(rows)))\n"
    )


def test_writes_through_a_call_linea_cannot_name_keep_the_statement_whole() -> None:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "for k in range(2):\n"
        "    print(k)\n"
        "    (lambda: open('x', 'w'))()\n"
        "lineapy.save(lineapy.file_system, 'files')\n",
        external_writes={1: [ExternalState.FILE_SYSTEM]},
    )
    piece = Slicer(b.graph).slice(b.root(2, Edge(1, frozenset())), artifact_name="files")
    assert piece.kept[1].whole


def test_pruned_compound_statement_follows_only_edges_its_code_still_reads() -> None:
    """A loop pruned down to ``total`` no longer pulls in the figure it plotted on."""

    @dataclass(frozen=True)
    class Pruned:
        text: str
        reads: frozenset[str]

        @property
        def needs(self) -> frozenset[str]:
            return self.reads

    seen: list[tuple[set[str], list[str]]] = []

    def prune(stmt, lines, needed, *, may_mutate, **_):  # noqa: ANN001, ANN003
        seen.append((set(needed), list(lines)))
        assert may_mutate("anything") is True
        return Pruned("for v in values:\n    total += v", frozenset({"values", "total", "v"}))

    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "fig = []\n"
        "values = [1, 2]\n"
        "total = 0\n"
        "for v in values:\n"
        "    total += v\n"
        "    fig.append(v)\n"
        "lineapy.save(total, 'total')\n"
    )
    b.depend(4, (1, {"fig"}), (2, {"values"}), (3, {"total"}))
    b.depend(5, (0, {"lineapy"}), (4, {"total"}))
    slicer = Slicer(b.graph)
    slicer._prune = prune
    piece = slicer.slice(b.root(5, (4, {"total"})), artifact_name="total")
    assert seen == [({"total"}, ["for v in values:", "    total += v", "    fig.append(v)"])]
    assert sorted(piece.kept) == [2, 3, 4]
    assert piece.kept[4].text == "for v in values:\n    total += v"
    assert not piece.kept[4].whole


def test_opaque_statements_are_kept_whole_and_pull_everything_they_depend_on() -> None:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\na = 1\nb = 2\nexec('c = a + b')\nlineapy.save(c, 'c')\n",
        kinds={3: NodeKind.OPAQUE},
        notes={3: "exec() runs code linea cannot see"},
    )
    b.depend(3, Edge(0, frozenset()), Edge(1, frozenset()), Edge(2, frozenset()))
    b.depend(4, (0, {"lineapy"}), (3, {"c"}))
    code = artifact_code(b.graph, b.root(4, (3, {"c"})), artifact_name="c")
    assert code == "import linea_core as lineapy\na = 1\nb = 2\nexec('c = a + b')\n"


def test_a_root_naming_a_missing_node_is_a_clear_error() -> None:
    b, _ = _chain()
    with pytest.raises(SlicingError, match="node 42"):
        artifact_code(b.graph, b.root(42, (6, {"total"})), artifact_name="total")


def test_an_edge_pointing_forward_is_reported_as_a_damaged_graph() -> None:
    b, _ = _chain()
    b.depend(3, (7, {"other"}))
    with pytest.raises(SlicingError, match="damaged"):
        artifact_code(b.graph, b.root(8, (6, {"total"})), artifact_name="total")


def test_closure_is_linear_on_a_long_dependency_chain() -> None:
    """10,000 statements, each reading the previous: every one kept, none visited twice."""
    n = 10_000
    b = GraphBuilder()
    lines = ["import linea_core as lineapy", "x0 = 0"]
    lines += [f"x{i} = x{i - 1} + 1" for i in range(1, n)]
    lines.append(f"lineapy.save(x{n - 1}, 'last')")
    b.block("\n".join(lines) + "\n")
    for i in range(1, n):
        b.depend(i + 1, (i, {f"x{i - 1}"}))
    root = b.root(n + 1, (n, {f"x{n - 1}"}))
    code = artifact_code(b.graph, root, artifact_name="last")
    assert code == "\n".join(lines[1:-1]) + "\n"


def test_another_artifacts_save_on_a_shared_line_is_not_pulled_in() -> None:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\nx = 1; lineapy.save(x, 'a')\ny = x + 1\nlineapy.save(y, 'b')\n"
    )
    b.depend(2, (0, {"lineapy"}), (1, {"x"}))
    b.depend(3, (1, {"x"}))
    b.depend(4, (0, {"lineapy"}), (3, {"y"}))
    assert artifact_code(b.graph, b.root(4, (3, {"y"})), artifact_name="b") == "x = 1\ny = x + 1\n"


def test_artifact_slices_give_each_kept_statement_text_reads_and_binds() -> None:
    b = GraphBuilder()
    b.block(
        "import math\n"
        "rows = [1, 2, 3]\n"
        "total = 0\n"
        "for r in rows:\n"
        "    total += r\n"
        "    print(r)\n"
        "def scaled(k):\n"
        "    return total * k\n"
        "big = scaled(math.e)\n"
        "small = total - 1\n"
    )
    b.depend(3, (1, {"rows"}), (2, {"total"}))
    b.depend(5, (4, {"scaled"}), (0, {"math"}), (3, {"total"}, {"scaled"}))
    b.depend(6, (3, {"total"}))
    roots = {"big": b.root(5, (5, {"big"})), "small": b.root(6, (6, {"small"}))}
    slices = artifact_slices(b.graph, roots)
    assert [s.node_id for s in slices["big"]] == [0, 1, 2, 3, 4, 5]
    assert [s.node_id for s in slices["small"]] == [1, 2, 3, 6]
    loop = slices["small"][2]
    assert loop.text == "for r in rows:\n    total += r" and not loop.whole
    assert loop.reads == {"rows", "total"} and loop.binds == {"r", "total"}
    assert loop.needed == {"total"}
    definition = slices["big"][4]
    assert definition.whole and definition.binds == {"scaled"}
    assert definition.reads == {"total"}  # read when scaled() is called
    assert slices["big"][5].reads == {"scaled", "math"} and slices["big"][5].binds == {"big"}
