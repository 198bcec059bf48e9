"""analyse(): scoping rules (functions, classes, lambdas, comprehensions) and call sites."""

from __future__ import annotations

import ast
import sys
import textwrap

import pytest

from linea_core.syntax import ArgRef, StatementFacts, analyse

pytestmark = pytest.mark.engine


def facts(source: str) -> StatementFacts:
    module = ast.parse(textwrap.dedent(source).strip("\n"))
    assert len(module.body) == 1, "one statement per case"
    return analyse(module.body[0])


def test_function_definition_separates_definition_time_and_body_reads() -> None:
    result = facts(
        """
        @dec(arg)
        @mod.deco
        def f(a, b=default, *args, c: Ann = d2, **kw) -> Ret:
            global G, H
            G = a + free
            loc = 1
            def inner():
                return loc + other
            return H + len(args) + inner()
        """
    )
    assert result.reads == {"dec", "arg", "mod", "default", "Ann", "d2", "Ret"}
    assert result.binds == {"f"}
    assert result.body_reads == {"free", "other", "H", "len"}
    assert result.body_binds == {"G"}
    assert result.is_def and not result.is_import
    kinds = [(call.kind, call.callee) for call in result.calls]
    # dec(arg) is evaluated first, then decorators apply innermost first.
    assert kinds == [("call", ("dec",)), ("decorator", ("mod", "deco")), ("decorator", None)]


def test_a_nested_function_nothing_can_call_adds_nothing_to_the_body() -> None:
    """Its body never runs: only what defining it evaluates counts."""
    result = facts(
        """
        def f():
            def unused(a=early):
                global G
                G = late
                return hidden
            @deco
            def decorated():
                return seen
            def handed():
                return used
            return handed
        """
    )
    assert result.body_reads == {"early", "deco", "seen", "used"}
    assert result.body_binds == set()
    # reaching the frame's locals, anything defined may be called
    result = facts(
        """
        def f():
            def through_frame():
                return framed
            return sys._getframe().f_locals
        """
    )
    assert result.body_reads == {"framed", "sys"}


def test_closure_variables_are_not_globals() -> None:
    result = facts(
        """
        def outer(x):
            y = 2
            def inner():
                nonlocal y
                y += x
                return z
            return inner
        """
    )
    assert result.body_reads == {"z"}
    assert result.body_binds == frozenset()


def test_global_declared_in_function_reads_and_binds_module_names() -> None:
    result = facts(
        """
        def bump():
            global counter, items
            counter += 1
            items = items + [counter]
            del gone
        """
    )
    assert result.body_binds == {"counter", "items"}
    # `del gone` without a global declaration deletes a local.
    assert result.body_reads == {"counter", "items"}


def test_function_local_annotation_is_not_evaluated() -> None:
    result = facts(
        """
        def f():
            x: Unknown = 1
            return x
        """
    )
    assert result.body_reads == frozenset()


def test_class_body_is_evaluated_at_definition_time() -> None:
    result = facts(
        """
        class A(Base, metaclass=Meta):
            x = 1
            y = x + z
            w = w
            label: Kind = "a"
            def m(self):
                return self.x + glob + x
            lst = [x for _ in range(3)]
            attr.v = 1
        """
    )
    # `x` is read twice from the module: by the comprehension (class scope is invisible
    # there) and by the method body (later).
    assert result.reads == {"Base", "Meta", "z", "w", "Kind", "x", "range", "attr"}
    assert result.body_reads == {"glob", "x"}
    assert result.binds == {"A"}
    assert result.mutates == {"attr"}
    assert result.passes == {"Base", "Meta"}
    assert [call.kind for call in result.calls] == ["class", "call"]


def test_class_without_bases_does_not_call() -> None:
    result = facts(
        """
        class Plain:
            a = 1
        """
    )
    assert not result.has_calls
    assert result.calls == ()


def test_nested_class_scopes_do_not_see_each_other() -> None:
    result = facts(
        """
        class Outer:
            v = 1
            class Inner:
                w = v
        """
    )
    assert result.reads == {"v"}


def test_lambda_parameters_and_defaults() -> None:
    result = facts("f = lambda a, *r, b=dflt, **k: a + b + g + len(r) + len(k)")
    assert result.reads == {"dflt", "g", "len"}
    assert result.binds == {"f"}
    # Calls inside a lambda body run only if the lambda is called.
    assert all(call.deferred for call in result.calls)
    assert not result.has_calls


def test_comprehension_scopes() -> None:
    result = facts("y = {k: [v for v in vals if v > k] for k in keys if k in allowed}")
    assert result.reads == {"vals", "keys", "allowed"}
    assert result.binds == {"y"}


def test_comprehension_walrus_binds_module_name() -> None:
    result = facts("hits = [m for line in lines if (m := match(line))]")
    assert result.binds == {"hits", "m"}
    assert result.reads == {"lines", "match"}
    (iteration, call) = result.calls
    assert iteration.kind == "iter" and iteration.receiver == "lines"
    assert call.callee == ("match",)
    assert call.args == (ArgRef("local", "line"),)
    assert call.in_comprehension


def test_walrus_in_short_circuit_is_not_certain() -> None:
    result = facts("ok = flag or (n := 1) and n")
    # `n` may still come from before the statement.
    assert "n" in result.reads
    assert result.binds == {"ok", "n"}


def test_walrus_in_test_is_certain() -> None:
    result = facts(
        """
        if (n := len(a)) > 10:
            print(n)
        """
    )
    assert result.reads == {"len", "a", "print"}
    assert result.binds == {"n"}


def test_loop_variable_reads_are_not_module_reads() -> None:
    result = facts(
        """
        for i, (a, b) in enumerate(pairs):
            tot += a
        else:
            done = i
        """
    )
    # `done = i` after a loop that may not run reads an older `i`.
    assert result.reads == {"enumerate", "pairs", "tot", "i"}
    assert result.binds == {"i", "a", "b", "tot", "done"}
    assert result.mutates == {"tot"}


def test_reads_after_if_consider_both_branches() -> None:
    result = facts(
        """
        if c:
            a = 1
            b = 1
        else:
            a = 2
        print(a)
        """.replace("print(a)", "")
    )
    assert result.reads == {"c"}
    nested = facts(
        """
        while c:
            if d:
                x = 1
            else:
                x = 2
            use(x, y)
            y = 3
        """
    )
    assert nested.reads == {"c", "d", "use", "y"}


def test_try_handlers_see_names_from_before_the_body() -> None:
    result = facts(
        """
        try:
            r = f()
        except (E1, E2) as err:
            log(err, r)
        else:
            q = r
        finally:
            cleanup(r)
        """
    )
    assert result.reads == {"f", "E1", "E2", "log", "r", "cleanup"}
    assert result.binds == {"r", "err", "q"}
    assert result.deletes == {"err"}


def test_with_items() -> None:
    result = facts(
        """
        with open(p) as fh, lock:
            data = fh.read()
        """
    )
    assert result.reads == {"open", "p", "lock"}
    assert result.binds == {"fh", "data"}
    assert result.passes == {"p", "lock", "fh"}
    open_call, with_lock, read = result.calls
    assert (open_call.callee, open_call.args) == (("open",), (ArgRef("name", "p"),))
    assert (with_lock.kind, with_lock.receiver) == ("with", "lock")
    # `fh` is bound by the statement itself: looking it up beforehand would be stale.
    assert (read.callee, read.receiver) == (None, None)


def test_match_patterns() -> None:
    result = facts(
        """
        match p:
            case Color.RED:
                r = 1
            case Point(x=0, y=yy) as pt:
                r = yy
            case [1, *rest]:
                r = rest
            case {"k": v, **others}:
                r = v
            case str() | bytes():
                r = 0
            case _ if flag:
                pass
        """
    )
    assert result.reads == {"p", "Color", "Point", "str", "bytes", "flag"}
    assert result.binds == {"r", "yy", "pt", "rest", "v", "others"}


def test_rebound_arguments_in_loops() -> None:
    result = facts(
        """
        for i in range(n):
            lst.append(i)
            other.update(lst)
        """
    )
    rng, append, update = result.calls
    assert rng.args == (ArgRef("name", "n"),)
    assert append.callee == ("lst", "append")
    assert append.args == (ArgRef("rebound", "i"),)
    assert update.args == (ArgRef("name", "lst"),)
    assert result.passes == {"n", "lst", "other", "i"}


@pytest.mark.parametrize(
    ("source", "passes"),
    [
        ("x.append(1)", {"x"}),
        ("x.a.f()", {"x"}),
        ("x[0].f()", {"x"}),
        ("x.f().g()", {"x"}),
        ("f(x)", {"x"}),
        ("f(x.a)", {"x"}),
        ("f(*x)", {"x"}),
        ("f(k=x)", {"x"}),
        ("f(**x)", {"x"}),
        ("f([x, (y, {'k': z})])", {"x", "y", "z"}),
        ("f(a if c else b)", {"a", "b"}),
        ("f(x + 1)", set()),
        ("f(g(x))", {"x"}),
        ("f()", set()),
        ("y = x + 1", set()),
        ("for v in xs: pass", {"xs"}),
        ("for v in range(3): pass", set()),
    ],
)
def test_passes(source: str, passes: set[str]) -> None:
    assert facts(source).passes == frozenset(passes)


def test_call_roots_expose_module_aliases() -> None:
    result = facts("art = lineapy.save(model, 'model')")
    assert result.call_roots == {"lineapy"}
    (call,) = result.calls
    assert call.callee == ("lineapy", "save")
    assert call.receiver == "lineapy"
    assert call.args == (ArgRef("name", "model"), ArgRef("literal", "model"))


def test_body_opaque_reason() -> None:
    result = facts(
        """
        def f(code):
            exec(code)
        """
    )
    assert result.opaque_reason is None
    assert result.body_opaque_reason == "calls exec()"


def test_local_shadowing_of_exec_is_not_opaque() -> None:
    assert facts("y = [exec(1) for exec in fns]").opaque_reason is None


def test_import_facts() -> None:
    result = facts("import numpy as np, os.path")
    assert result.is_import
    assert result.binds == {"np", "os"}
    assert not result.has_calls


def test_del_name_reads_and_deletes() -> None:
    result = facts("del a, b[0]")
    assert result.deletes == {"a"}
    assert result.mutates == {"b"}
    assert result.reads == {"a", "b"}


@pytest.mark.skipif(sys.version_info < (3, 12), reason="PEP 695 syntax")
def test_type_alias_and_type_params() -> None:
    alias = facts("type Pair[T] = tuple[T, Other]")
    assert alias.binds == {"Pair"}
    assert alias.reads == frozenset()
    assert alias.body_reads == {"tuple", "Other"}
    generic = facts(
        """
        def first[T](xs: list[T]) -> T:
            return xs[0]
        """
    )
    assert generic.reads == {"list"}


def test_async_constructs() -> None:
    result = facts(
        """
        async def main():
            async with session() as s:
                async for item in s.stream():
                    await sink(item)
        """
    )
    assert result.body_reads == {"session", "sink"}


@pytest.mark.parametrize(
    ("source", "certain"),
    [
        ("a, (b, *c) = v", {"a", "b", "c"}),
        ("x = y or (z := 1)", {"x"}),
        ("if c:\n    x = 1\n    y = 2\nelse:\n    x = 3", {"x"}),
        ("if c:\n    x = 1", set()),
        ("for i in r:\n    t = i", set()),
        ("for i in r:\n    t = i\nelse:\n    e = 1", set()),
        ("while c:\n    t = 1", set()),
        ("with cm() as f:\n    d = f.read()", {"f"}),
        ("try:\n    x = 1\nexcept E:\n    x = 2", set()),
        ("try:\n    x = 1\nfinally:\n    y = 2", {"y"}),
        ("try:\n    x = 1\nexcept E as e:\n    pass", set()),
        ("match p:\n    case [a]:\n        b = a", set()),
        ("import os.path", {"os"}),
        ("def f(): pass", {"f"}),
        ("del x", set()),
        ("y = [w := v for v in xs]", {"y"}),
    ],
)
def test_certain_binds(source: str, certain: set[str]) -> None:
    assert facts(source).certain_binds == frozenset(certain)


def test_implicit_call_sites() -> None:
    result = facts(
        """
        @register
        class Model(Base):
            pass
        """
    )
    assert [(c.kind, c.callee) for c in result.calls] == [
        ("class", None),
        ("decorator", ("register",)),
    ]
    loop = facts(
        """
        for row in reader:
            rows.append(row)
        """
    )
    assert [(c.kind, c.receiver) for c in loop.calls] == [("iter", "reader"), ("call", "rows")]
    assert loop.passes == {"reader", "rows", "row"}
    fresh = facts(
        """
        for i in range(3):
            pass
        """
    )
    assert [(c.kind, c.callee) for c in fresh.calls] == [("call", ("range",))]


def test_comprehension_calls_and_locals() -> None:
    result = facts("cleaned = [s.strip().lower() for s in raw if keep(s, mode)]")
    kinds = [(c.kind, c.callee, c.receiver, c.args, c.in_comprehension) for c in result.calls]
    assert kinds == [
        ("iter", None, "raw", (), False),
        ("call", ("keep",), None, (ArgRef("local", "s"), ArgRef("name", "mode")), True),
        ("call", None, None, (), True),
        ("call", None, None, (), True),
    ]
    assert result.passes == {"raw", "mode"}
    assert result.call_roots == {"keep"}


def test_has_calls() -> None:
    assert not facts("x = a + b").has_calls
    assert facts("x = f()").has_calls
    assert not facts("f = lambda: g()").has_calls
    assert facts("@dec\ndef f(): pass").has_calls
    assert not facts("def f(): g()").has_calls


def test_nested_scopes_read_names_the_statement_bound_first() -> None:
    result = facts(
        """
        for i in r:
            ys = [i * k for k in ks]
            fs = lambda: i
        """
    )
    assert result.reads == {"r", "ks"}
    class_case = facts(
        """
        class A:
            x = 1
            y = [x for _ in r]
        """
    )
    assert class_case.reads == {"x", "r"}
