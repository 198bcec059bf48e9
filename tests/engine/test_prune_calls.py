"""prune(): pure built-ins, calls that touch globals, redundant ``continue``, trailing cases."""

from __future__ import annotations

import ast
import textwrap

import pytest
from test_prune import check, immutable, run_prune, same_values

from linea_core.syntax import analyse

pytestmark = pytest.mark.engine


def pure(call: ast.Call) -> bool:
    """pure_call for a test: every built-in the packs would describe is pure."""
    return not any(k.arg == "file" for k in call.keywords)


def everything_may_be_an_iterator(_name: str) -> bool:
    return True


# --------------------------------------------------------------- pure built-ins

PRINTING_LOOP = """
for step, v in enumerate(values):
    total += v
    running.append(total)
    print("so far:", running)
    print(len(running))
"""


def test_a_pure_builtin_does_not_keep_a_statement_for_its_arguments() -> None:
    check(
        PRINTING_LOOP,
        {"running"},
        """
        for step, v in enumerate(values):
            total += v
            running.append(total)
        """,
        {"enumerate", "values", "total", "running"},
        pure_call=pure,
    )


def test_without_pure_call_any_call_may_change_what_it_receives() -> None:
    result = run_prune(PRINTING_LOOP, {"running"})
    assert result is not None
    assert 'print("so far:", running)' in result.text


def test_a_call_the_packs_do_not_declare_pure_stays() -> None:
    check(
        """
        for v in values:
            out.append(v)
            print(out, file=log)
        """,
        {"log"},
        """
        for v in values:
            out.append(v)
            print(out, file=log)
        """,
        {"values", "out", "print", "log"},
        pure_call=pure,
    )


@pytest.mark.parametrize(
    ("may_be_iterator", "kept"), [(everything_may_be_an_iterator, True), (lambda n: False, False)]
)
def test_an_iterating_builtin_still_consumes_an_iterator(may_be_iterator, kept) -> None:  # noqa: ANN001
    source = """
    for v in values:
        total += v
        seen = sum(source)
    """
    result = run_prune(
        source,
        {"source", "total"},
        pure_call=pure,
        consumed_by_iteration=may_be_iterator,
    )
    assert result is not None
    assert ("seen = sum(source)" in result.text) is kept


def test_a_builtin_name_bound_inside_a_comprehension_is_not_the_builtin() -> None:
    source = """
    for v in values:
        out.append(v)
        [print(out) for print in handlers]
    """
    result = run_prune(source, {"out"}, pure_call=pure)
    assert result is not None
    assert "[print(out) for print in handlers]" in result.text


def test_a_pure_builtin_result_is_not_an_alias_of_the_builtin() -> None:
    """``value = int(token)`` must not tie ``value`` to the name ``int`` (read by the try)."""
    check(
        """
        for token in raw:
            try:
                value = int(token)
            except ValueError:
                errors += 1
                continue
            else:
                value *= 10
            parsed.append(value)
        """,
        {"errors"},
        """
        for token in raw:
            try:
                value = int(token)
            except ValueError:
                errors += 1
        """,
        {"raw", "int", "ValueError", "errors"},
        pure_call=pure,
        may_mutate=immutable("token", "value", "errors"),
    )


def test_analyse_narrows_passes_only_through_the_hook() -> None:
    stmt = ast.parse("print(a, len(b), key=c); d.append(e)").body[0]
    assert analyse(stmt).passes == {"a", "b", "c"}
    stmt = ast.parse("print(a, len(b), key=c)").body[0]
    assert analyse(stmt, exposed=lambda call: ()).passes == frozenset()
    assert analyse(stmt, exposed=lambda call: None).passes == {"a", "b", "c"}
    # A callee bound locally (a lambda parameter, a comprehension variable) is not
    # the module-level name: the hook is not asked about it.
    asked: list[str] = []
    for source in ("f = lambda print: print(a)", "[print(a) for print in fs]"):
        facts = analyse(
            ast.parse(source).body[0], exposed=lambda call: asked.append(ast.unparse(call)) or ()
        )
        assert "a" in facts.passes
    assert asked == []


# --------------------------------------------------------- calls touching globals

BUMP = """
if rate > 0:
    bump(2)
    adjusted["rate"] = rate
    print(adjusted)
"""


def test_a_call_that_rebinds_a_needed_global_is_kept() -> None:
    check(
        BUMP,
        {"adjusted"},
        """
        if rate > 0:
            bump(2)
            adjusted["rate"] = rate
        """,
        {"rate", "bump", "adjusted"},
        pure_call=pure,
        touches={"bump": {"rate"}},
    )
    check(
        BUMP,
        {"adjusted"},
        """
        if rate > 0:
            adjusted["rate"] = rate
        """,
        {"rate", "adjusted"},
        pure_call=pure,
    )


def test_what_a_kept_call_reads_through_a_function_stays() -> None:
    source = """
    for i in range(3):
        rate = i
        report()
    """
    check(
        source,
        {"log"},
        """
        for i in range(3):
            rate = i
            report()
        """,
        {"range", "report", "log"},  # ``rate`` is always bound before the call
        touches={"report": {"rate", "log"}},
        may_mutate=immutable("i", "rate"),
    )


# ----------------------------------------------------------------- jumps


def test_a_trailing_continue_is_dropped() -> None:
    source = """
    for n in numbers:
        if n % 2 == 0:
            evens.append(n)
            continue
        odd_sum += n
        print("odd", n)
    """
    check(
        source,
        {"evens"},
        """
        for n in numbers:
            if n % 2 == 0:
                evens.append(n)
        """,
        {"numbers", "evens"},
        pure_call=pure,
        may_mutate=immutable("n"),
    )
    # odd_sum's code runs after the jump: skipping it matters.
    check(
        source,
        {"odd_sum"},
        """
        for n in numbers:
            if n % 2 == 0:
                continue
            odd_sum += n
        """,
        {"numbers", "odd_sum"},
        pure_call=pure,
        may_mutate=immutable("n", "odd_sum"),
    )
    same_values(
        source,
        "for n in numbers:\n    if n % 2 == 0:\n        continue\n    odd_sum += n",
        {"odd_sum"},
        {"numbers": [1, 2, 3, 4], "odd_sum": 0, "evens": []},
    )


def test_an_if_that_only_continues_at_the_end_goes() -> None:
    check(
        """
        while True:
            attempts += 1
            if attempts * attempts > 50:
                break
            if attempts % 2:
                continue
            print("even attempt", attempts)
        """,
        {"attempts"},
        """
        while True:
            attempts += 1
            if attempts * attempts > 50:
                break
        """,
        {"attempts"},
        pure_call=pure,
        may_mutate=immutable("attempts"),
    )


def test_continue_that_skips_a_kept_else_of_a_try_stays() -> None:
    source = """
    for t in raw:
        try:
            v = int(t)
            continue
        except ValueError:
            bad += 1
        else:
            good += 1
    """
    result = run_prune(source, {"good"}, pure_call=pure, may_mutate=immutable("t", "v", "good"))
    assert result is not None
    assert "continue" in result.text
    same_values(source, textwrap.dedent(source), {"good"}, {"raw": ["1", "x"], "good": 0, "bad": 0})


def test_continue_in_a_finally_always_stays() -> None:
    """It discards an exception in flight; falling through would raise it."""
    result = run_prune(
        """
        for t in raw:
            try:
                total += int(t)
            finally:
                continue
        """,
        {"total"},
        pure_call=pure,
        may_mutate=immutable("t", "total"),
    )
    assert result is not None
    assert "continue" in result.text


def test_continue_in_a_nested_loop_looks_at_its_own_loop_only() -> None:
    check(
        """
        for row in rows:
            for v in row:
                if v < 0:
                    continue
                kept.append(v)
            last = row
        """,
        {"kept"},
        """
        for row in rows:
            for v in row:
                if v < 0:
                    continue
                kept.append(v)
        """,
        {"rows", "kept"},
        pure_call=pure,
        may_mutate=immutable("v"),
    )


# ------------------------------------------------------------------ match


def test_trailing_cases_dropped_with_what_their_guards_read() -> None:
    check(
        """
        for command in commands:
            match command.split():
                case ["quit"]:
                    break
                case ["go", direction]:
                    moves.append(direction)
                case ["look"]:
                    looks += 1
                case ["take", item] if item not in inventory:
                    inventory.append(item)
                case _:
                    unknown.append(command)
        """,
        {"moves"},
        """
        for command in commands:
            match command.split():
                case ["quit"]:
                    break
                case ["go", direction]:
                    moves.append(direction)
        """,
        {"commands", "moves"},
        pure_call=pure,
        may_mutate=immutable("command", "direction", "item"),
    )
