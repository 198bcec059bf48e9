"""Code format of slices and the get_code options, on hand-built graphs."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from linea_core.codegen import artifact_code, render_slice, session_code
from linea_core.graph.model import Edge, NodeKind
from linea_core.slicing import LoaderCode
from linea_core.slicing.builder import GraphBuilder
from linea_core.slicing.closure import Slicer

pytestmark = pytest.mark.engine


def _mean_session() -> GraphBuilder:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "import statistics\n"
        "data = [3, 1, 2]\n"
        "data.sort()\n"
        "print(data)\n"
        "lineapy.save(statistics.mean(data), 'mean')\n"
    )
    b.depend(3, (2, {"data"}))
    b.depend(4, (2, {"data"}), (3, {"data"}))
    b.depend(5, (0, {"lineapy"}), (1, {"statistics"}), (2, {"data"}), (3, {"data"}))
    return b


def _value_root(b: GraphBuilder):  # noqa: ANN202
    return b.root(5, (2, {"data"}), (3, {"data"}), value_in_save=True)


def test_value_computed_inside_save_is_assigned_to_the_artifact_name() -> None:
    b = _mean_session()
    code = artifact_code(b.graph, _value_root(b), artifact_name="mean")
    assert code == (
        "import statistics\ndata = [3, 1, 2]\ndata.sort()\nmean = statistics.mean(data)\n"
    )


def test_value_inside_save_with_a_non_identifier_name_uses_artifact_value() -> None:
    b = _mean_session()
    code = artifact_code(b.graph, _value_root(b), artifact_name="mean of data")
    assert code.endswith("\nartifact_value = statistics.mean(data)\n")
    code = artifact_code(b.graph, _value_root(b), artifact_name="class")
    assert code.endswith("\nartifact_value = statistics.mean(data)\n")


def test_value_inside_save_kept_verbatim_with_keep_lineapy_save() -> None:
    b = _mean_session()
    code = artifact_code(b.graph, _value_root(b), artifact_name="mean", keep_lineapy_save=True)
    assert code == (
        "import linea_core as lineapy\n"
        "import statistics\n"
        "data = [3, 1, 2]\n"
        "data.sort()\n"
        "lineapy.save(statistics.mean(data), 'mean')\n"
    )


def test_multi_line_value_inside_save_gets_parentheses() -> None:
    b = GraphBuilder()
    b.block("import linea_core as lineapy\nx = 2\nlineapy.save(x\n    + 1, 'y')\n")
    b.depend(2, (0, {"lineapy"}), (1, {"x"}))
    code = artifact_code(b.graph, b.root(2, (1, {"x"}), value_in_save=True), artifact_name="y")
    assert code == "x = 2\ny = (x\n    + 1)\n"


def test_save_under_another_alias_and_with_keywords() -> None:
    b = GraphBuilder()
    b.block("import linea_core as la\nv = 4\nla.save(reference=v * 2, name='double')\n")
    b.depend(2, (0, {"la"}), (1, {"v"}))
    root = b.root(2, (1, {"v"}), value_in_save=True)
    assert artifact_code(b.graph, root, artifact_name="double") == "v = 4\ndouble = v * 2\n"


def test_save_imported_as_a_function() -> None:
    b = GraphBuilder()
    b.block(
        "from linea_core import save as keep\nv = 4\nkeep(v + 1, 'nxt')\n",
        kinds={2: NodeKind.ARTIFACT_SAVE},
    )
    b.depend(2, (0, {"keep"}), (1, {"v"}))
    root = b.root(2, (1, {"v"}), value_in_save=True)
    assert artifact_code(b.graph, root, artifact_name="nxt") == "v = 4\nnxt = v + 1\n"


def test_bound_save_result_is_dropped_unless_used() -> None:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "x = [1]\n"
        "art = lineapy.save(x, 'x')\n"
        "y = len(art.get_value())\n"
        "lineapy.save(y, 'y')\n"
    )
    b.depend(2, (0, {"lineapy"}), (1, {"x"}))
    b.depend(3, (2, {"art"}))
    b.depend(4, (0, {"lineapy"}), (3, {"y"}))
    assert artifact_code(b.graph, b.root(2, (1, {"x"})), artifact_name="x") == "x = [1]\n"
    # Another slice that reads ``art`` keeps the save statement that bound it.
    assert artifact_code(b.graph, b.root(4, (3, {"y"})), artifact_name="y") == (
        "import linea_core as lineapy\n"
        "x = [1]\n"
        "art = lineapy.save(x, 'x')\n"
        "y = len(art.get_value())\n"
    )


def test_multi_line_statements_are_verbatim_and_comments_outside_are_dropped() -> None:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "# build the table\n"
        "table = {\n"
        "    'a': 1,  # first\n"
        "\n"
        "    'b': 2,\n"
        "}  # done\n"
        "\n"
        "\n"
        "def total(t):\n"
        '    """Sum."""\n'
        "\n"
        "    return sum(t.values())\n"
        "result = total(table)\n"
        "lineapy.save(result, 'result')\n"
    )
    b.depend(3, (1, {"table"}), (2, {"total"}))
    b.depend(4, (0, {"lineapy"}), (3, {"result"}))
    code = artifact_code(b.graph, b.root(4, (3, {"result"})), artifact_name="result")
    assert code == (
        "table = {\n"
        "    'a': 1,  # first\n"
        "\n"
        "    'b': 2,\n"
        "}\n"
        "def total(t):\n"
        '    """Sum."""\n'
        "\n"
        "    return sum(t.values())\n"
        "result = total(table)\n"
    )


def test_non_slice_statements_as_comments() -> None:
    b = _mean_session()
    b.block("after = 1\n")
    code = artifact_code(
        b.graph, _value_root(b), artifact_name="mean", include_non_slice_as_comment=True
    )
    assert code == (
        "# import linea_core as lineapy\n"
        "import statistics\n"
        "data = [3, 1, 2]\n"
        "data.sort()\n"
        "# print(data)\n"
        "mean = statistics.mean(data)\n"
    )


def test_commented_mode_shows_pruned_lines_in_place_and_opaque_reasons() -> None:
    @dataclass(frozen=True)
    class Pruned:
        text: str
        reads: frozenset[str]

        @property
        def needs(self) -> frozenset[str]:
            return self.reads

    def prune(stmt, lines, needed, *, may_mutate, **_):  # noqa: ANN001, ANN003
        return Pruned("for v in vs:\n    t += v\nelse:\n    pass", frozenset({"vs", "t", "v"}))

    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "vs = [1, 2]\n"
        "t = 0\n"
        "exec('z = 1')\n"
        "for v in vs:\n"
        "    t += v\n"
        "    print(v)\n"
        "else:\n"
        "    print('done')\n"
        "lineapy.save(t, 't')\n",
        kinds={3: NodeKind.OPAQUE},
        notes={3: "exec()\n runs unseen code"},
    )
    b.depend(3, Edge(0, frozenset()), Edge(1, frozenset()), Edge(2, frozenset()))
    b.depend(4, (1, {"vs"}), (2, {"t"}), (3, {"t"}))
    slicer = Slicer(b.graph)
    slicer._prune = prune
    piece = slicer.slice(b.root(5, (4, {"t"})), artifact_name="t")
    assert render_slice(b.graph, piece, include_non_slice_as_comment=True) == (
        "import linea_core as lineapy\n"
        "vs = [1, 2]\n"
        "t = 0\n"
        "# linea: kept whole, could not analyse: exec() runs unseen code\n"
        "exec('z = 1')\n"
        "for v in vs:\n"
        "    t += v\n"
        "#     print(v)\n"
        "else:\n"
        "#     print('done')\n"
        "    pass\n"
        "# lineapy.save(t, 't')\n"
    )
    # Without comments the same slice is exactly the statements.
    assert render_slice(b.graph, piece) == (
        "import linea_core as lineapy\n"
        "vs = [1, 2]\n"
        "t = 0\n"
        "exec('z = 1')\n"
        "for v in vs:\n"
        "    t += v\n"
        "else:\n"
        "    pass\n"
    )


def test_dropped_statements_sharing_a_line_are_commented_as_written() -> None:
    b = GraphBuilder()
    b.block("import linea_core as lineapy\nu = 1; w = 2\nx = 3\nlineapy.save(x, 'x')\n")
    b.depend(4, (0, {"lineapy"}), (3, {"x"}))
    code = artifact_code(
        b.graph, b.root(4, (3, {"x"})), artifact_name="x", include_non_slice_as_comment=True
    )
    assert code == "# import linea_core as lineapy\n# u = 1; w = 2\nx = 3\n# lineapy.save(x, 'x')\n"


def _get_session() -> GraphBuilder:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "df = lineapy.get('prices', version=2).get_value()\n"
        "n = 10\n"
        "top = sorted(df)[:n]\n"
        "lineapy.save(top, 'top')\n"
    )
    b.depend(1, (0, {"lineapy"}))
    b.depend(3, (1, {"df"}), (2, {"n"}))
    b.depend(4, (0, {"lineapy"}), (3, {"top"}))
    return b


def test_artifact_get_lines_are_kept_with_the_linea_import() -> None:
    b = _get_session()
    assert b.graph.nodes[1].kind is NodeKind.ARTIFACT_GET
    code = artifact_code(b.graph, b.root(4, (3, {"top"})), artifact_name="top")
    assert code == (
        "import linea_core as lineapy\n"
        "df = lineapy.get('prices', version=2).get_value()\n"
        "n = 10\n"
        "top = sorted(df)[:n]\n"
    )


def test_without_lineapy_serialization_values_are_loaded_directly() -> None:
    b = _get_session()
    asked: list[tuple[str, int | None]] = []

    def loader(name: str, version: int | None) -> LoaderCode:
        asked.append((name, version))
        return LoaderCode(
            f"pickle.load(open('/store/{name}-{version}.pkl', 'rb'))", ("import pickle",)
        )

    root = b.root(4, (3, {"top"}))
    code = artifact_code(
        b.graph,
        root,
        artifact_name="top",
        use_lineapy_serialization=False,
        value_loader_source=loader,
    )
    assert asked == [("prices", 2)]
    assert code == (
        "import pickle\n"
        "df = pickle.load(open('/store/prices-2.pkl', 'rb'))\n"
        "n = 10\n"
        "top = sorted(df)[:n]\n"
    )
    # The loader only applies when serialization through linea is turned off.
    code = artifact_code(b.graph, root, artifact_name="top", value_loader_source=loader)
    assert "lineapy.get('prices', version=2).get_value()" in code


def test_loader_given_as_plain_expression_and_unresolvable_gets_stay() -> None:
    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "name = 'b'\n"
        "pair = (lineapy.get('a').get_value(), lineapy.get(name).get_value())\n"
        "lineapy.save(pair, 'pair')\n"
    )
    b.depend(2, (0, {"lineapy"}), (1, {"name"}))
    b.depend(3, (0, {"lineapy"}), (2, {"pair"}))

    def loader(name: str, version: int | None) -> str | None:
        return "LOADED_A" if (name, version) == ("a", None) else None

    code = artifact_code(
        b.graph,
        b.root(3, (2, {"pair"})),
        artifact_name="pair",
        use_lineapy_serialization=False,
        value_loader_source=loader,
    )
    assert code == (
        "import linea_core as lineapy\n"
        "name = 'b'\n"
        "pair = (LOADED_A, lineapy.get(name).get_value())\n"
    )


def test_without_a_loader_the_get_call_stays() -> None:
    b = _get_session()
    code = artifact_code(
        b.graph, b.root(4, (3, {"top"})), artifact_name="top", use_lineapy_serialization=False
    )
    assert "df = lineapy.get('prices', version=2).get_value()\n" in code


def test_session_code_is_every_block_joined() -> None:
    b = GraphBuilder()
    b.block("a = 1\n# a comment\n")
    b.block("b = a")
    assert session_code(b.graph) == "a = 1\n# a comment\n\nb = a"


def test_root_edges_of_an_in_save_value_follow_only_what_the_value_reads() -> None:
    """Capture gives the save statement's own edges (the linea import too) as the root's."""
    b = _mean_session()
    root = b.root(
        5, (0, {"lineapy"}), (1, {"statistics"}), (2, {"data"}), (3, {"data"}), value_in_save=True
    )
    assert artifact_code(b.graph, root, artifact_name="mean") == (
        "import statistics\ndata = [3, 1, 2]\ndata.sort()\nmean = statistics.mean(data)\n"
    )
    assert artifact_code(b.graph, root, artifact_name="mean", keep_lineapy_save=True).startswith(
        "import linea_core as lineapy\n"
    )


def test_a_plain_reference_saved_directly_needs_no_line_of_its_own() -> None:
    """``save(carol.balance, ...)``: nothing to compute, the value is read afterwards."""
    from linea_core.codegen import execute_artifact

    b = GraphBuilder()
    b.block(
        "import linea_core as lineapy\n"
        "class Box:\n"
        "    pass\n"
        "box = Box()\n"
        "box.items = {'a': [1]}\n"
        "lineapy.save(box.items['a'], 'first items')\n"
    )
    b.depend(2, (1, {"Box"})).depend(3, (2, {"box"}))
    b.depend(4, (0, {"lineapy"}), (2, {"box"}), (3, {"box"}))
    root = b.root(4, (0, {"lineapy"}), (2, {"box"}), (3, {"box"}), value_in_save=True)
    assert artifact_code(b.graph, root, artifact_name="first items") == (
        "class Box:\n    pass\nbox = Box()\nbox.items = {'a': [1]}\n"
    )
    assert execute_artifact(b.graph, root, "first items") == [1]
