"""What a long traced session keeps alive does not grow faster than a few objects per
statement (issue 7): every object the session keeps is walked by each full garbage
collection, so objects per statement are what made tracing cost per statement grow
with the session. Equal name sets and equal edges are shared, empty sets are one
object, and the cache of analysed statements is bounded."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import linea_core as lineapy

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import workloads  # noqa: E402


def _tracked_after(source: str) -> tuple[int, lineapy.TraceResult]:
    result = lineapy.trace(source)
    gc.collect()
    return len(gc.get_objects()), result


def test_objects_kept_per_statement_stay_few(linea_home: Path) -> None:
    # Both sizes just past a clearing of the bounded cache of analysed statements.
    small, kept = _tracked_after(workloads.simple_statements(4_500))
    del kept
    gc.collect()
    large, result = _tracked_after(workloads.simple_statements(8_500))
    per_statement = (large - small) / 4_000
    # Before sharing: about 27 (a Node, its tuple of 2-3 Edges, two frozensets per
    # edge, the cached analysis of the statement with ten frozensets...); now under 3:
    # the Node, its tuple of edges and the edges not shared with an earlier node (about
    # 4.4 before Python 3.11, where each Node and Edge has an instance dict of its own).
    assert per_statement < 6, per_statement
    assert len(result.graph.nodes) >= 8_500


def test_equal_edges_and_name_sets_are_one_object(linea_home: Path) -> None:
    result = lineapy.trace(workloads.simple_statements(500))
    edges = [edge for node in result.graph.nodes for edge in node.deps]
    first: dict[object, object] = {}
    for edge in edges:
        assert first.setdefault(edge, edge) is edge
        names = first.setdefault(edge.names, edge.names)
        assert names is edge.names
        if edge.via == edge.names:
            assert edge.via is edge.names
    assert len(first) < len(edges)  # the workload reads the same names again and again
    empties = {id(node.external_writes) for node in result.graph.nodes if not node.external_writes}
    assert len(empties) == 1


def test_shared_graph_slices_as_before(linea_home: Path) -> None:
    result = lineapy.trace(
        "import linea_core as lineapy\n"
        "a = [1]\nb = a\nb.append(2)\nc = len(a)\nd = len(a)\n"
        "lineapy.save(d, 'd')\n"
    )
    code = result.artifacts["d"].get_code()
    assert code == "a = [1]\nb = a\nb.append(2)\nd = len(a)\n"


def test_a_running_script_keeps_no_syntax_tree(linea_home: Path) -> None:
    # Each syntax node is an object every full collection walks; a long script's tree
    # kept alive while it runs made the cost per statement grow with the script.
    source = workloads.simple_statements(3_000).replace(
        "result = (",
        "import ast, gc\nalive = sum(isinstance(o, ast.AST) for o in gc.get_objects())\nresult = (",
    )
    result = lineapy.trace(source)
    # the script's tree has over 20,000 nodes; what is left is other code's
    assert result.values["alive"] < 2_000, result.values["alive"]


def test_the_collector_is_left_as_the_user_had_it(linea_home: Path) -> None:
    source = "import gc\nduring = gc.isenabled()\nx = [1]\n"
    was = gc.isenabled()
    try:
        gc.disable()
        assert lineapy.trace(source).values["during"] is False
        assert not gc.isenabled()
        gc.enable()
        assert lineapy.trace(source).values["during"] is True
        assert gc.isenabled()
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()
