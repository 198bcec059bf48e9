"""analyse(): exact facts for each construct of the language-coverage list."""

from __future__ import annotations

import ast
import textwrap

import pytest

from linea_core.syntax import ArgRef, StatementFacts, analyse

pytestmark = pytest.mark.engine


def facts(source: str) -> StatementFacts:
    module = ast.parse(textwrap.dedent(source))
    assert len(module.body) == 1, "one statement per case"
    return analyse(module.body[0])


def names(*items: str) -> frozenset[str]:
    return frozenset(items)


@pytest.mark.parametrize(
    ("source", "reads", "binds"),
    [
        ("a = b = c + d", {"c", "d"}, {"a", "b"}),
        ("a, b = b, a", {"a", "b"}, {"a", "b"}),
        ("[a, (b, *c)] = v", {"v"}, {"a", "b", "c"}),
        ("first, *rest = items", {"items"}, {"first", "rest"}),
        ("x = {**base, 'k': v, **extra}", {"base", "v", "extra"}, {"x"}),
        ("x = [*a, *b]", {"a", "b"}, {"x"}),
        ("x = (1, 2.5, 'a', b'b', None, True, ...)", set(), {"x"}),
        ("import a.b.c, d.e as f", set(), {"a", "f"}),
        ("from m.n import x as y, z", set(), {"y", "z"}),
        ("from . import sibling", set(), {"sibling"}),
        ("s = f'{x!r:>{width}} {y}'", {"x", "y", "width"}, {"s"}),
        ("f = lambda a, b=dflt: a + b + g", {"dflt", "g"}, {"f"}),
        ("y = [v * k for v in xs if v > lo]", {"k", "lo", "xs"}, {"y"}),
        ("y = [w for row in m for w in row]", {"m"}, {"y"}),
        ("y = {k: v for k, v in d.items()}", {"d"}, {"y"}),
        ("y = sum(v for v in xs)", {"sum", "xs"}, {"y"}),
        ("y = [last := v for v in xs]", {"xs"}, {"last", "y"}),
        ("assert x > 0, msg", {"x", "msg"}, set()),
        ("x: int = 5", {"int"}, {"x"}),
        ("x: int", {"int"}, set()),
    ],
)
def test_reads_and_binds(source: str, reads: set[str], binds: set[str]) -> None:
    result = facts(source)
    assert result.reads == frozenset(reads)
    assert result.binds == frozenset(binds)


def test_augmented_assignment_reads_binds_and_mutates() -> None:
    result = facts("x += y")
    assert (result.reads, result.binds, result.mutates) == (names("x", "y"), names("x"), names("x"))


@pytest.mark.parametrize(
    ("source", "mutates"),
    [
        ("x[i] = v", {"x"}),
        ("x.a = v", {"x"}),
        ("x.a.b[0] = v", {"x"}),
        ("del x[i]", {"x"}),
        ("del x.a", {"x"}),
        ("x[i] += 1", {"x"}),
        ("x.a += 1", {"x"}),
        ("a, x.k = 1, 2", {"x"}),
        ("x.attr: T", set()),
    ],
)
def test_explicit_mutation(source: str, mutates: set[str]) -> None:
    assert facts(source).mutates == frozenset(mutates)


def test_call_site_description() -> None:
    result = facts("f(x, x2.a, *xs, k=kk, **kw, lit=3, neg=-2)")
    (call,) = result.calls
    assert call.kind == "call"
    assert call.callee == ("f",)
    assert call.receiver is None
    assert call.args == (ArgRef("name", "x"), ArgRef("expr"), ArgRef("starred", "xs"))
    assert call.keywords == (
        ("k", ArgRef("name", "kk")),
        (None, ArgRef("name", "kw")),
        ("lit", ArgRef("literal", 3)),
        ("neg", ArgRef("literal", -2)),
    )
    assert result.passes == names("x", "x2", "xs", "kk", "kw")
    assert result.call_roots == names("f")
    assert result.has_calls


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("exec(code)", "calls exec()"),
        ("y = eval('1')", "calls eval()"),
        ("g = globals()", "calls globals()"),
        ("del globals()['x']", "calls globals()"),
        ("v = vars()", "calls vars() without arguments"),
        ("from m import *", "star import from m"),
        ("m = __import__('os')", "calls __import__()"),
    ],
)
def test_opaque(source: str, reason: str) -> None:
    assert facts(source).opaque_reason == reason


def test_vars_with_argument_is_not_opaque() -> None:
    assert facts("v = vars(obj)").opaque_reason is None
