"""The graph capture records: dependencies, mutations, aliasing, views, opaque code, blocks.

These tests run WITHOUT annotation packs (``annotations=None``): soundness must come
from the engine's own run-time observation. They check the backward closure of the
recorded graph (every node a value transitively depends on), independent of how
slicing later prunes compound statements.
"""

from __future__ import annotations

import textwrap
import warnings

import pytest

from linea_core.capture.opaque import LineaOpaqueWarning
from linea_core.capture.session import TracingSession
from linea_core.graph.model import NodeKind

pytestmark = pytest.mark.engine


def run(code: str, session: TracingSession | None = None) -> TracingSession:
    session = session or TracingSession(annotations=None)
    session.run_block(textwrap.dedent(code).lstrip("\n"), "<test>")
    return session


def closure(session: TracingSession, name: str) -> list[str]:
    """Sources of every node the current value of ``name`` depends on, in order."""
    todo = [edge.producer for edge in session.edges_of(name)]
    seen: set[int] = set()
    while todo:
        node_id = todo.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        todo.extend(edge.producer for edge in session.graph.node(node_id).deps)
    return [session.graph.node(i).source for i in sorted(seen)]


def node_by_source(session: TracingSession, source: str):  # noqa: ANN201
    matches = [node for node in session.graph.nodes if node.source == source]
    assert len(matches) == 1, (source, [n.source for n in session.graph.nodes])
    return matches[0]


def test_each_top_level_statement_is_one_node_with_its_lines() -> None:
    s = run(
        """
        a = 1
        if a:
            b = 2
        @staticmethod
        def f():
            return 3
        """
    )
    nodes = s.graph.nodes
    assert [n.id for n in nodes] == [0, 1, 2]
    assert [(n.lineno, n.end_lineno) for n in nodes] == [(1, 1), (2, 3), (4, 6)]
    assert nodes[2].source.startswith("@staticmethod\ndef f():")
    assert all(n.block == 0 for n in nodes)


def test_reads_depend_on_the_binder_only() -> None:
    s = run(
        """
        a = 1
        unrelated = 2
        b = a + 1
        a = 5
        c = a * 2
        """
    )
    assert closure(s, "b") == ["a = 1", "b = a + 1"]
    assert closure(s, "c") == ["a = 5", "c = a * 2"]


def test_aliasing_mutation_belongs_to_both_names() -> None:
    s = run(
        """
        a = []
        b = a
        b.append(1)
        other = []
        other.append(2)
        """
    )
    assert closure(s, "a") == ["a = []", "b = a", "b.append(1)"]
    edges = {e.producer: e for e in s.edges_of("a")}
    assert {"b"} <= set(edges[2].names)


def test_in_place_operations_are_history() -> None:
    s = run(
        """
        d = {}
        d["k"] = 1
        lst = [3, 1, 2]
        lst += [0]
        lst.sort()
        del d["k"]
        x = 1
        x += 1
        """
    )
    assert closure(s, "d") == ["d = {}", 'd["k"] = 1', 'del d["k"]']
    assert closure(s, "lst") == ["lst = [3, 1, 2]", "lst += [0]", "lst.sort()"]
    assert closure(s, "x") == ["x = 1", "x += 1"]


def test_user_method_mutating_self_is_seen_without_packs() -> None:
    s = run(
        """
        class Counter:
            def __init__(self):
                self.n = 0
            def bump(self):
                self.n += 1
        c = Counter()
        c.bump()
        c2 = Counter()
        c2.bump()
        """
    )
    assert closure(s, "c") == [
        "class Counter:\n    def __init__(self):\n        self.n = 0\n    def bump(self):\n"
        "        self.n += 1",
        "c = Counter()",
        "c.bump()",
    ]


def test_user_function_appending_to_a_global_list() -> None:
    s = run(
        """
        items = []
        def add(v):
            items.append(v)
        add(1)
        n = 0
        add(n)
        total = len(items)
        """
    )
    sources = closure(s, "total")
    assert sources == [
        "items = []",
        "def add(v):\n    items.append(v)",
        "add(1)",
        "n = 0",
        "add(n)",
        "total = len(items)",
    ]
    # the edge names say which global the call changed and through which callee
    edge_names = {e.producer: e.names for e in node_by_source(s, "total = len(items)").deps}
    assert {"items", "add"} <= set(edge_names[4])


def test_function_reading_globals_depends_on_them() -> None:
    s = run(
        """
        rate = 2
        other = 3
        def scale(x):
            return x * rate
        y = scale(5)
        """
    )
    assert closure(s, "y") == [
        "rate = 2",
        "def scale(x):\n    return x * rate",
        "y = scale(5)",
    ]


def test_function_rebinding_a_global() -> None:
    s = run(
        """
        count = 0
        def inc():
            global count
            count = count + 1
        inc()
        inc()
        result = count
        """
    )
    assert s.namespace["result"] == 2
    assert closure(s, "result") == [
        "count = 0",
        "def inc():\n    global count\n    count = count + 1",
        "inc()",
        "inc()",
        "result = count",
    ]


def test_closure_state_is_part_of_the_function() -> None:
    s = run(
        """
        def make_counter():
            state = [0]
            def step():
                state[0] += 1
                return state[0]
            return step
        step = make_counter()
        step()
        value = step()
        """
    )
    assert s.namespace["value"] == 2
    assert "step()" in closure(s, "value")


def test_library_object_fit_without_pack_is_a_mutation() -> None:
    s = run(
        """
        import numpy as np
        from sklearn.linear_model import LinearRegression
        X = np.arange(8).reshape(-1, 1)
        y = 3 * X.ravel()
        model = LinearRegression()
        print("noise")
        model.fit(X, y)
        """
    )
    assert "model.fit(X, y)" in closure(s, "model")
    assert 'print("noise")' not in closure(s, "model")


def test_numpy_views_share_history() -> None:
    s = run(
        """
        import numpy as np
        base = np.zeros(6)
        view = base[2:4]
        view[0] = 7
        copy = base.copy()
        copy[1] = 9
        """
    )
    assert s.namespace["base"][2] == 7
    assert "view[0] = 7" in closure(s, "base")
    assert "copy[1] = 9" not in closure(s, "base")


def test_containers_holding_mutable_objects() -> None:
    s = run(
        """
        inner = []
        outer = {"k": inner}
        outer["k"].append(1)
        holder = []
        holder.append(inner)
        inner.append(2)
        got = outer["k"]
        got.append(3)
        """
    )
    assert s.namespace["inner"] == [1, 2, 3]
    inner = closure(s, "inner")
    assert 'outer["k"].append(1)' in inner
    assert "got.append(3)" in inner
    assert "inner.append(2)" in closure(s, "outer")


def test_immutable_values_passed_to_calls_are_not_mutated() -> None:
    s = run(
        """
        n = 5
        print(n)
        m = n + 1
        """
    )
    assert closure(s, "m") == ["n = 5", "m = n + 1"]


def test_opaque_statement_warns_with_lines_and_depends_on_everything() -> None:
    with pytest.warns(LineaOpaqueWarning, match=r"line 3 of <test>: calls exec\(\)"):
        s = run(
            """
            a = 1
            b = [2]
            exec("c = a + b[0]")
            d = c
            """
        )
    node = node_by_source(s, 'exec("c = a + b[0]")')
    assert node.kind is NodeKind.OPAQUE
    assert {e.producer for e in node.deps} == {0, 1}
    assert s.namespace["d"] == 3
    assert closure(s, "d") == ["a = 1", "b = [2]", 'exec("c = a + b[0]")', "d = c"]


def test_globals_is_opaque_and_a_star_import_binds_the_module_names() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = run(
            """
            globals()["g"] = 1
            from math import *
            h = g + floor(2.5)
            """
        )
    assert s.namespace["h"] == 3
    assert sum(issubclass(w.category, LineaOpaqueWarning) for w in caught) == 1
    assert [n.kind for n in s.graph.nodes[:2]] == [NodeKind.OPAQUE, NodeKind.IMPORT]
    assert s.graph.nodes[1].deps == ()  # it reads nothing earlier
    h = s.graph.nodes[2]
    assert {(e.producer, e.names) for e in h.deps} == {
        (0, frozenset({"g"})),
        (1, frozenset({"floor"})),
    }


def test_function_using_exec_makes_its_calls_opaque() -> None:
    with pytest.warns(LineaOpaqueWarning, match="calls a function that uses exec"):
        s = run(
            """
            def sneaky():
                exec("global z; z = 4")
            sneaky()
            w = z
            """
        )
    assert s.namespace["w"] == 4
    assert node_by_source(s, "sneaky()").kind is NodeKind.OPAQUE


def test_blocks_share_namespace_and_graph_and_rerun() -> None:
    s = TracingSession(annotations=None)
    s.run_block("a = [1]\n", "<cell 1>")
    s.run_block("a.append(2)\n", "<cell 2>")
    s.run_block("b = len(a)\n", "<cell 3>")
    s.run_block("a.append(2)\n", "<cell 2>")  # a re-run, appended as a new block
    assert [b.index for b in s.graph.blocks] == [0, 1, 2, 3]
    assert [n.block for n in s.graph.nodes] == [0, 1, 2, 3]
    assert s.namespace["a"] == [1, 2, 2]
    assert closure(s, "b") == ["a = [1]", "a.append(2)", "b = len(a)"]
    assert closure(s, "a") == ["a = [1]", "a.append(2)", "a.append(2)"]


def test_default_cell_filenames_and_linecache() -> None:
    import linecache

    s = TracingSession(annotations=None)
    block = s.run_block("x = 1\n")
    assert block.filename == "<cell 1>"
    assert linecache.getline("<cell 1>", 1) == "x = 1\n"


def test_import_nodes_and_kinds() -> None:
    s = run(
        """
        import math
        from os import path as p
        r = math.sqrt(4)
        """
    )
    kinds = [n.kind for n in s.graph.nodes]
    assert kinds == [NodeKind.IMPORT, NodeKind.IMPORT, NodeKind.STATEMENT]
    assert closure(s, "r") == ["import math", "r = math.sqrt(4)"]


def test_rebinding_to_the_same_object_still_moves_the_binder() -> None:
    s = run(
        """
        x = 5
        y = 2
        x = y + 3
        """
    )
    assert closure(s, "x") == ["y = 2", "x = y + 3"]


def test_deleted_names_lose_their_binder() -> None:
    s = run(
        """
        a = 1
        del a
        a = 2
        b = a
        """
    )
    assert closure(s, "b") == ["a = 2", "b = a"]


def test_statement_that_raises_is_recorded_before_the_exception() -> None:
    s = TracingSession(annotations=None)
    code = "lst = []\nlst.append(1) or 1 / 0\nnever = 1\n"
    with pytest.raises(ZeroDivisionError):
        s.run_block(code, "<test>")
    assert [n.source for n in s.graph.nodes] == ["lst = []", "lst.append(1) or 1 / 0"]
    assert "never" not in s.namespace
    assert closure(s, "lst") == ["lst = []", "lst.append(1) or 1 / 0"]


def test_history_edges_stay_linear() -> None:
    lines = ["acc = []"] + [f"acc.append({i})" for i in range(200)] + ["n = len(acc)"]
    s = run("\n".join(lines))
    total_edges = sum(len(n.deps) for n in s.graph.nodes)
    assert total_edges <= 3 * len(s.graph.nodes)
    assert len(closure(s, "n")) == 202


def test_class_attributes_mutated_through_methods() -> None:
    s = run(
        """
        class Registry:
            names = []
            @classmethod
            def register(cls, name):
                cls.names.append(name)
        Registry.register("a")
        unrelated = 1
        found = list(Registry.names)
        """
    )
    assert s.namespace["found"] == ["a"]
    assert 'Registry.register("a")' in closure(s, "found")


def test_for_loop_over_generator_consumes_it() -> None:
    s = run(
        """
        gen = (i for i in range(5))
        first = next(gen)
        rest = list(gen)
        """
    )
    assert s.namespace["rest"] == [1, 2, 3, 4]
    assert "first = next(gen)" in closure(s, "rest")


def test_analysis_failure_never_breaks_the_program(monkeypatch: pytest.MonkeyPatch) -> None:
    from linea_core.capture import execution

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("engine bug")

    monkeypatch.setattr(execution.StatementExecutor, "_record", broken)
    with pytest.warns(LineaOpaqueWarning, match="could not record"):
        s = run("a = [1]\na.append(2)\n")
    assert s.namespace["a"] == [1, 2]
    assert all(n.kind is NodeKind.OPAQUE for n in s.graph.nodes)


def test_two_sessions_do_not_share_state() -> None:
    first = run("a = [1]\n")
    second = run("b = 2\n")
    assert "a" not in second.namespace
    assert first.namespace is not second.namespace
    assert second.graph.nodes[0].id == 0


def test_user_generator_body_effects_are_seen() -> None:
    s = run(
        """
        seen = []
        def produce():
            for i in range(3):
                seen.append(i)
                yield i
        gen = produce()
        first = next(gen)
        count = len(seen)
        """
    )
    assert s.namespace["count"] == 1
    assert "first = next(gen)" in closure(s, "count")


def test_library_call_running_a_user_callback_with_packs() -> None:
    s = TracingSession()  # annotation packs from the context: sorted() is described
    s.run_block(
        textwrap.dedent(
            """
            log = []
            def key(x):
                log.append(x)
                return -x
            data = [3, 1, 2]
            ordered = sorted(data, key=key)
            n = len(log)
            """
        ),
        "<test>",
    )
    assert s.namespace["n"] == 3
    assert "ordered = sorted(data, key=key)" in closure(s, "n")


def test_iterator_sees_its_source_but_advancing_it_leaves_the_source_alone() -> None:
    s = TracingSession()  # packs describe iter() as a view of its argument
    s.run_block(
        textwrap.dedent(
            """
            data = [5, 3, 8]
            it = iter(data)
            data.append(9)
            first = next(it)
            rest = list(it)
            total = sum(data)
            """
        ),
        "<test>",
    )
    assert s.namespace["rest"] == [3, 8, 9]
    assert "first = next(it)" not in closure(s, "total")
    assert "data.append(9)" in closure(s, "rest")
    assert "first = next(it)" in closure(s, "rest")


def test_history_names_include_callees_that_reach_a_read_global() -> None:
    s = run(
        """
        pending = []
        def enqueue(item):
            pending.append(item)
        for job in ["a", "b"]:
            if job == "z":
                pending.clear()
        else:
            enqueue("done")
        """
    )
    [edge] = [e for e in s.edges_of("pending") if e.producer == 2]
    assert edge.names == frozenset({"pending", "enqueue"})
