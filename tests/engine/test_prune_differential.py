"""Property: pruned code leaves every needed name exactly as the full statement does.

Random compound statements over ints and a list (branches, loops, break/continue, try,
aliasing) run from random starting values; for each name, the statement pruned for that
name is run from the same values and must produce the same value for it.
"""

from __future__ import annotations

import ast
import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linea_core.slicing.pruning import prune

pytestmark = pytest.mark.engine

INTS = ("a", "b", "c")
NAMES = (*INTS, "lst", "other")


def log(*_args: object) -> None:
    """Stands for print/plot calls: observes but changes nothing."""


def simple(draw: st.DrawFn, loop_vars: tuple[str, ...]) -> str:
    ints = INTS + loop_vars
    target = draw(st.sampled_from(INTS))
    x, y = draw(st.sampled_from(ints)), draw(st.sampled_from(ints))
    return draw(
        st.sampled_from(
            [
                f"{target} = {x} + {y}",
                f"{target} += {x}",
                f"{target} = {x} // ({y} % 3)",  # may raise ZeroDivisionError
                f"lst.append({x})",
                f"log({x})",
                "other = lst",
                "other.append(7)",
                f"{target} = len(lst)",
                f"lst[0] = {x}",
                f"print({x}, lst)",
                f"{target} = sum(lst) + {y}",
            ]
        )
    )


COMPOUND_KINDS = ["if", "for", "while", "try", "with", "match"]


@st.composite
def block(draw: st.DrawFn, depth: int = 0, loop_vars: tuple[str, ...] = ()) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["simple"] * 4 + (COMPOUND_KINDS if depth < 2 else [])))
        lines += statement(draw, kind, depth, loop_vars)
    return lines


def statement(draw: st.DrawFn, kind: str, depth: int, loop_vars: tuple[str, ...]) -> list[str]:
    lines: list[str] = []
    ints = INTS + loop_vars
    if kind == "simple":
        line = simple(draw, loop_vars)
        if draw(st.integers(0, 6)) == 0:
            line += "; " + simple(draw, loop_vars)  # two statements on one line
        lines.append(line)
        if loop_vars and draw(st.integers(0, 5)) == 0:
            lines.append(
                f"if {draw(st.sampled_from(ints))} > 2: "
                + draw(st.sampled_from(["break", "continue"]))
            )
    elif kind == "if":
        test = f"{draw(st.sampled_from(ints))} > {draw(st.integers(-2, 4))}"
        if draw(st.integers(0, 3)) == 0:
            test = f"({draw(st.sampled_from(INTS))} := {draw(st.sampled_from(ints))} + 1) > 2"
        lines.append(f"if {test}:")
        lines += indent(draw(block(depth + 1, loop_vars)))
        if draw(st.booleans()):
            lines.append(f"elif {draw(st.sampled_from(ints))} < 0:")
            lines += indent(draw(block(depth + 1, loop_vars)))
        if draw(st.booleans()):
            lines.append("else:")
            lines += indent(draw(block(depth + 1, loop_vars)))
    elif kind == "for":
        var = f"i{depth}"
        lines.append(f"for {var} in range({draw(st.integers(0, 3))}):")
        lines += indent(draw(block(depth + 1, (*loop_vars, var))))
        if draw(st.booleans()):
            lines.append("else:")
            lines += indent(draw(block(depth + 1, loop_vars)))
    elif kind == "while":
        var = f"w{depth}"
        lines.append(f"{var} = 0")  # a nested loop's counter restarts each time
        lines.append(f"while {var} < 3:")
        lines.append(f"    {var} += 1")
        lines += indent(draw(block(depth + 1, (*loop_vars, var))))
        if draw(st.booleans()):
            lines.append("else:")
            lines += indent(draw(block(depth + 1, loop_vars)))
    elif kind == "with":
        lines.append(f"with cm({draw(st.sampled_from(ints))}) as {draw(st.sampled_from(INTS))}:")
        lines += indent(draw(block(depth + 1, loop_vars)))
    elif kind == "match":
        lines.append(f"match {draw(st.sampled_from(ints))}:")
        lines.append("    case 0 | 1:")
        lines += indent(draw(block(depth + 1, loop_vars)), 2)
        lines.append(
            f"    case {draw(st.sampled_from(INTS))} if {draw(st.sampled_from(ints))} > 1:"
        )
        lines += indent(draw(block(depth + 1, loop_vars)), 2)
        if draw(st.booleans()):
            lines.append("    case _:")
            lines += indent(draw(block(depth + 1, loop_vars)), 2)
    else:
        lines.append("try:")
        lines += indent(draw(block(depth + 1, loop_vars)))
        lines.append("except ZeroDivisionError:")
        lines += indent(draw(block(depth + 1, loop_vars)))
        if draw(st.booleans()):
            lines.append("else:")
            lines += indent(draw(block(depth + 1, loop_vars)))
        if draw(st.booleans()):
            lines.append("finally:")
            lines += indent(draw(block(depth + 1, loop_vars)))
    return lines


def indent(lines: list[str], levels: int = 1) -> list[str]:
    return ["    " * levels + line for line in lines]


@st.composite
def compound(draw: st.DrawFn) -> str:
    lines = statement(draw, draw(st.sampled_from(COMPOUND_KINDS)), 0, ())
    if lines[0] == "w0 = 0":
        lines = lines[1:]  # the starting values set it
    return "\n".join(lines)


class Manager:
    """A context manager that does not swallow exceptions."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __enter__(self) -> int:
        return self.value + 1

    def __exit__(self, *exc: object) -> None:
        return None


def initial_values() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "a": st.integers(-3, 5),
            "b": st.integers(-3, 5),
            "c": st.integers(-3, 5),
            "w": st.just(0),
            "w0": st.just(0),
            "lst": st.lists(st.integers(0, 3), min_size=1, max_size=3),
        }
    )


def run(code: str, values: dict[str, Any]) -> dict[str, Any] | None:
    namespace = copy.deepcopy(values)
    namespace["other"] = namespace["lst"]
    namespace["log"] = log
    namespace["print"] = log  # silent; like the built-in it changes nothing it gets
    namespace["cm"] = Manager
    try:
        exec(code, namespace)
    except ZeroDivisionError:
        return None
    return namespace


@settings(
    max_examples=int(__import__("os").environ.get("PRUNE_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(compound(), initial_values(), initial_values())
def test_pruned_statement_reproduces_needed_value(
    source: str, values: dict[str, Any], other_values: dict[str, Any]
) -> None:
    stmt = ast.parse(source).body[0]
    for name in NAMES:
        # `other` and `lst` start as one object: the caller asks for both names.
        needed = {"lst", "other"} if name in ("lst", "other") else {name}
        pruned = prune(
            stmt,
            source.splitlines(),
            needed,
            may_mutate=lambda n: n in ("lst", "other"),
            same_object=[{"lst", "other"}],
            pure_call=lambda call: True,  # print, len, sum: what the packs declare
        )
        # Pruning for one run's values must hold for any starting values (both branches).
        for start in (values, other_values):
            expected = run(source, start)
            if expected is None:
                continue
            code = pruned.text if pruned is not None else "pass"
            ast.parse(code)
            actual = run(code, start)
            assert actual is not None, (source, code)
            assert actual[name] == expected[name], (name, source, code)
