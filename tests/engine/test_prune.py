"""prune(): exact kept text and reads inside compound statements; kept code still behaves."""

from __future__ import annotations

import ast
import copy
import textwrap
from collections.abc import Callable
from typing import Any

import pytest

from linea_core.slicing.pruning import PrunedStatement, prune

pytestmark = pytest.mark.engine


def immutable(*names: str) -> Callable[[str], bool]:
    """may_mutate for a test: the listed names hold immutable values."""
    return lambda name: name not in names


def run_prune(source: str, needed: set[str], **options: Any) -> PrunedStatement | None:
    source = textwrap.dedent(source).strip("\n")
    module = ast.parse(source)
    assert len(module.body) == 1
    result = prune(module.body[0], source.splitlines(), needed, **options)
    if result is not None:
        ast.parse(result.text)  # always valid Python
        assert not result.text.endswith("\n")
    return result


def check(source: str, needed: set[str], expected: str, reads: set[str], **options: Any) -> None:
    result = run_prune(source, needed, **options)
    assert result is not None
    assert result.text == textwrap.dedent(expected).strip("\n")
    assert result.reads == frozenset(reads)


def same_values(source: str, pruned: str, needed: set[str], env: dict[str, Any]) -> None:
    """The pruned code leaves the needed names exactly as the original does."""
    original_ns = copy.deepcopy(env)
    pruned_ns = copy.deepcopy(env)
    exec(textwrap.dedent(source).strip("\n"), original_ns)
    exec(pruned, pruned_ns)
    for name in needed:
        assert pruned_ns.get(name) == original_ns.get(name), name


UNVISITED = """
if var > 5:
    lst.append(10)
    var += 10
else:
    lst.append(20)
    var += 20
"""


def test_unvisited_conditional_keeps_what_each_branch_needs() -> None:
    # Upstream's known issue: its slice kept `lst.append(20)` without `lst`.
    check(
        UNVISITED,
        {"var"},
        """
        if var > 5:
            var += 10
        else:
            var += 20
        """,
        {"var"},
        may_mutate=immutable("var"),
    )
    result = run_prune(UNVISITED, {"var"}, may_mutate=immutable("var"))
    assert result is not None
    for var in (3, 10):  # both branches run without `lst`
        same_values(UNVISITED, result.text, {"var"}, {"var": var, "lst": []})
        exec(result.text, {"var": var})


def test_unvisited_conditional_for_the_list() -> None:
    check(
        UNVISITED,
        {"lst"},
        """
        if var > 5:
            lst.append(10)
        else:
            lst.append(20)
        """,
        {"var", "lst"},
        may_mutate=immutable("var"),
    )


def test_loop_drops_plots_and_prints() -> None:
    source = """
    for x in xs:
        total += x
        # plot it
        plt.plot(x, total)
        print(total)
        squares += x * x
    """
    check(
        source,
        {"total"},
        """
        for x in xs:
            total += x
        """,
        {"xs", "total"},
        may_mutate=immutable("total", "x", "squares"),
    )


def test_two_accumulators_only_one_needed() -> None:
    source = """
    for v in values:
        lo = min(lo, v)
        hi = max(hi, v)
    """
    check(
        source,
        {"hi"},
        """
        for v in values:
            hi = max(hi, v)
        """,
        {"values", "hi", "max"},
        may_mutate=immutable("lo", "hi", "v"),
    )


def test_print_of_immutable_loop_variable_is_dropped() -> None:
    source = """
    for i in range(n):
        print(i)
        acc.append(i * 2)
    """
    check(
        source,
        {"acc"},
        """
        for i in range(n):
            acc.append(i * 2)
        """,
        {"range", "n", "acc"},
        may_mutate=immutable("i", "n"),
    )
    # Without knowing `i` is immutable, print(i) may change it: kept.
    result = run_prune(source, {"acc"})
    assert result is not None and "print(i)" in result.text


def test_loop_carried_dependency_reaches_fixpoint() -> None:
    source = """
    for i in range(5):
        out.append(prev)
        nxt = prev + step
        prev = nxt
        noise = i
    """
    check(
        source,
        {"out"},
        """
        for i in range(5):
            out.append(prev)
            nxt = prev + step
            prev = nxt
        """,
        {"range", "out", "prev", "step"},
        may_mutate=immutable("prev", "nxt", "step", "i", "noise"),
    )


def test_break_and_continue_are_kept_with_their_loop() -> None:
    source = """
    for i in range(10):
        if i % 2:
            continue
        if i > 7:
            print("stop")
            break
        show(i)
        acc.append(i)
    else:
        done = True
    """
    check(
        source,
        {"acc"},
        """
        for i in range(10):
            if i % 2:
                continue
            if i > 7:
                break
            acc.append(i)
        """,
        {"range", "acc"},
        may_mutate=immutable("i"),
    )


def test_jumps_of_a_dropped_loop_go_with_it() -> None:
    source = """
    if ready:
        for i in range(3):
            if i:
                break
            log(i)
        total = 1
    """
    check(
        source,
        {"total"},
        """
        if ready:
            total = 1
        """,
        {"ready"},
        may_mutate=immutable("i"),
    )


def test_while_else() -> None:
    source = """
    while i < 10:
        total += i
        log(i)
        i += 1
    else:
        print("done")
        finished = True
    """
    check(
        source,
        {"total"},
        """
        while i < 10:
            total += i
            i += 1
        """,
        {"i", "total"},
        may_mutate=immutable("i", "total"),
    )
    check(
        source,
        {"finished"},
        """
        while i < 10:
            i += 1
        else:
            finished = True
        """,
        {"i"},
        may_mutate=immutable("i", "total"),
    )


def test_while_keeps_what_its_test_needs() -> None:
    source = """
    while node is not None:
        seen.append(node.value)
        node = node.next
        count += 1
    """
    check(
        source,
        {"seen"},
        """
        while node is not None:
            seen.append(node.value)
            node = node.next
        """,
        {"node", "seen"},
        may_mutate=immutable("count"),
    )


def test_for_else_dropped_when_not_needed_kept_when_needed() -> None:
    source = """
    for item in items:
        if item == target:
            found = item
            break
    else:
        found = None
        warn("missing")
    """
    check(
        source,
        {"found"},
        """
        for item in items:
            if item == target:
                found = item
                break
        else:
            found = None
        """,
        {"items", "target"},
        may_mutate=immutable("found", "item", "target"),
    )


def test_try_except_else_finally() -> None:
    source = """
    try:
        value = compute(s)
        print(value)
    except ValueError as err:
        print(err)
    else:
        label = "ok"
    finally:
        cleanup()
    """
    check(
        source,
        {"value"},
        """
        try:
            value = compute(s)
        except ValueError as err:
            pass
        """,
        {"compute", "s", "ValueError"},
        may_mutate=immutable("value", "err", "s"),
    )
    check(
        source,
        {"label"},
        """
        try:
            value = compute(s)
            print(value)
        except ValueError as err:
            pass
        else:
            label = "ok"
        """,
        {"compute", "s", "print", "ValueError"},
        may_mutate=immutable("value", "err", "s"),
    )


def test_kept_handler_keeps_the_whole_body() -> None:
    # The handler runs only if something in the body raises: the body stays whole.
    source = """
    try:
        value = int(s)
        print(value)
    except ValueError:
        value = 0
        print("bad")
    """
    check(
        source,
        {"value"},
        """
        try:
            value = int(s)
            print(value)
        except ValueError:
            value = 0
        """,
        {"int", "s", "print", "ValueError"},
        may_mutate=immutable("value", "s"),
    )
    result = run_prune(source, {"value"}, may_mutate=immutable("value", "s"))
    assert result is not None
    for s in ("12", "x"):
        same_values(source, result.text, {"value"}, {"s": s})


def test_try_finally_without_handlers_keeps_a_finally() -> None:
    source = """
    try:
        total = f(a)
        log(total)
    finally:
        release()
    """
    check(
        source,
        {"total"},
        """
        try:
            total = f(a)
        finally:
            pass
        """,
        {"f", "a"},
        may_mutate=immutable("total", "a"),
    )


def test_finally_kept_when_it_matters() -> None:
    source = """
    try:
        x = 1
    finally:
        x += 1
        log(x)
    """
    check(
        source,
        {"x"},
        """
        try:
            x = 1
        finally:
            x += 1
        """,
        # If `x = 1` raised, the finally would read the older `x`.
        {"x"},
        may_mutate=immutable("x"),
    )


def test_with_statement() -> None:
    source = """
    with open(path) as fh:
        data = fh.read()
        print(len(data))
    """
    check(
        source,
        {"data"},
        """
        with open(path) as fh:
            data = fh.read()
        """,
        {"open", "path"},
        may_mutate=immutable("data", "path"),
    )
    check(
        source,
        {"fh"},
        """
        with open(path) as fh:
            data = fh.read()
        """,
        {"open", "path"},
        may_mutate=immutable("data", "path"),
    )


def test_with_body_emptied_becomes_pass() -> None:
    source = """
    with ctx() as handle:
        log(handle)
    """
    check(
        source,
        {"handle"},
        """
        with ctx() as handle:
            pass
        """,
        {"ctx"},
        may_mutate=immutable("handle"),
    )


def test_match_case() -> None:
    source = """
    match cmd:
        case "a":
            print("a")
        case Point(x=px) if px > lim:
            r = px
        case [first, *rest]:
            log(first)
        case _:
            pass
    """
    check(
        source,
        {"r"},
        """
        match cmd:
            case "a":
                pass
            case Point(x=px) if px > lim:
                r = px
        """,
        {"cmd", "Point", "lim"},
        may_mutate=immutable("px", "first"),
    )
    check(
        source,
        {"rest"},
        """
        match cmd:
            case "a":
                pass
            case Point(x=px) if px > lim:
                pass
            case [first, *rest]:
                pass
        """,
        {"cmd", "Point", "lim"},
        may_mutate=immutable("px", "first"),
    )


def test_match_both_outcomes_run() -> None:
    source = """
    match shape:
        case (w, h):
            area = w * h
            print(area)
        case _:
            area = 0
    """
    result = run_prune(source, {"area"}, may_mutate=immutable("w", "h", "area"))
    assert result is not None
    assert result.text == textwrap.dedent(
        """
        match shape:
            case (w, h):
                area = w * h
            case _:
                area = 0
        """
    ).strip("\n")
    for shape in ((2, 3), "other"):
        same_values(source, result.text, {"area"}, {"shape": shape})


def test_elif_chain() -> None:
    source = """
    if a:
        x = 1
    elif b:
        log()
    elif c:
        x = 3
    else:
        y = 4
    """
    check(
        source,
        {"x"},
        """
        if a:
            x = 1
        elif b:
            pass
        elif c:
            x = 3
        """,
        {"a", "b", "c"},
    )
    check(
        source,
        {"y"},
        """
        if a:
            pass
        elif b:
            pass
        elif c:
            pass
        else:
            y = 4
        """,
        {"a", "b", "c"},
    )


def test_trailing_elif_and_else_are_dropped() -> None:
    check(
        """
        if a:
            x = 1
        elif b:
            log()
        else:
            y = 4
        """,
        {"x"},
        """
        if a:
            x = 1
        """,
        {"a"},
    )


def test_nested_ifs_in_loops() -> None:
    source = """
    for row in rows:
        if row.ok:
            if row.kind == "a":
                a_count += 1
                print(row)
            else:
                b_count += 1
        else:
            skipped.append(row)
    """
    check(
        source,
        {"a_count"},
        """
        for row in rows:
            if row.ok:
                if row.kind == "a":
                    a_count += 1
        """,
        {"rows", "a_count"},
        may_mutate=immutable("a_count", "b_count"),
    )


def test_method_calls_on_live_names_are_kept() -> None:
    source = """
    for k, v in pairs:
        d.setdefault(k, []).append(v)
        other.add(k)
    """
    check(
        source,
        {"d"},
        """
        for k, v in pairs:
            d.setdefault(k, []).append(v)
        """,
        {"pairs", "d"},
    )


def test_alias_inside_statement_is_followed() -> None:
    source = """
    for v in rows:
        w = v
        w.append(1)
        n = w[0]
    """
    # `w` is `v` is an element of `rows`: appending to it changes `rows`.
    check(
        source,
        {"rows"},
        """
        for v in rows:
            w = v
            w.append(1)
        """,
        {"rows"},
        may_mutate=immutable("n"),
    )


def test_keep_calls_to_user_functions() -> None:
    source = """
    for i in range(3):
        bump(i)
        log(i)
    """
    check(
        source,
        {"counter"},
        """
        for i in range(3):
            bump(i)
        """,
        {"range", "bump"},
        may_mutate=immutable("i"),
        keep_calls_to=frozenset({"bump"}),
    )
    assert run_prune(source, {"counter"}, may_mutate=immutable("i")) is None


def test_nothing_needed_returns_none() -> None:
    assert run_prune("if a:\n    log(1)\nelse:\n    y = 4", {"z"}) is None


def test_loop_target_needed_keeps_header() -> None:
    check(
        """
        for i in range(3):
            print(i)
        """,
        {"i"},
        """
        for i in range(3):
            pass
        """,
        {"range"},
        may_mutate=immutable("i"),
    )


def test_shared_lines_keep_both_statements() -> None:
    check(
        "for i in range(3): print(i); t += i",
        {"t"},
        "for i in range(3): print(i); t += i",
        {"range", "print", "t"},
        may_mutate=immutable("i", "t"),
    )
    check(
        """
        for i in items:
            a = i; b = i * 2
            c = i
        """,
        {"a"},
        """
        for i in items:
            a = i; b = i * 2
        """,
        {"items"},
        may_mutate=immutable("i", "a", "b", "c"),
    )


def test_multi_line_statements_are_removed_whole() -> None:
    source = """
    for x in xs:
        ax.plot(
            x,
            color="red",
        )
        total = (
            total
            + x
        )  # trailing comment
    """
    check(
        source,
        {"total"},
        """
        for x in xs:
            total = (
                total
                + x
            )
        """,
        {"xs", "total"},
        may_mutate=immutable("x", "total"),
    )


def test_comments_above_dropped_statements_go_with_them() -> None:
    source = """
    for x in xs:
        # accumulate
        total += x

        # show progress
        print(total)
    """
    check(
        source,
        {"total"},
        """
        for x in xs:
            # accumulate
            total += x
        """,
        {"xs", "total"},
        may_mutate=immutable("x", "total"),
    )


def test_decorated_definition_inside_branch() -> None:
    source = """
    if fast:
        @cache
        def f(x):
            return x + offset
        g = 2
    else:
        def f(x):
            return x
    """
    check(
        source,
        {"f"},
        """
        if fast:
            @cache
            def f(x):
                return x + offset
        else:
            def f(x):
                return x
        """,
        {"fast", "cache", "offset"},
    )
    check(
        source,
        {"g"},
        """
        if fast:
            g = 2
        """,
        {"fast"},
    )


def test_asserts_that_read_live_names_are_kept() -> None:
    check(
        """
        for x in xs:
            assert x >= 0, "negative"
            assert other
            total += x
        """,
        {"total"},
        """
        for x in xs:
            assert x >= 0, "negative"
            total += x
        """,
        {"xs", "total"},
        may_mutate=immutable("x", "total"),
    )


def test_raise_in_a_kept_loop_is_kept() -> None:
    check(
        """
        for x in xs:
            if x < 0:
                raise ValueError(x)
            print(x)
            total += x
        """,
        {"total"},
        """
        for x in xs:
            if x < 0:
                raise ValueError(x)
            total += x
        """,
        {"xs", "total", "ValueError"},
        may_mutate=immutable("x", "total"),
    )


def test_walrus_in_test_binding_needed_name() -> None:
    check(
        """
        if (n := len(items)) > 3:
            print(n)
        """,
        {"n"},
        """
        if (n := len(items)) > 3:
            pass
        """,
        {"len", "items"},
        may_mutate=immutable("n"),
    )


def test_simple_statements_are_returned_unchanged() -> None:
    result = run_prune("x = compute(a)  # note", {"nothing"})
    assert result == PrunedStatement("x = compute(a)", frozenset({"compute", "a"}))
    definition = run_prune("def f(a=d):\n    return a + g", set())
    assert definition == PrunedStatement("def f(a=d):\n    return a + g", frozenset({"d", "g"}))


def test_source_as_string_and_offset_lines() -> None:
    source = "x = 0\n\nfor i in r:\n    x += i\n    log(i)\n"
    stmt = ast.parse(source).body[1]
    result = prune(stmt, source, {"x"}, may_mutate=immutable("i", "x"))
    assert result == PrunedStatement("for i in r:\n    x += i", frozenset({"r", "x"}))


def test_non_ascii_source() -> None:
    check(
        """
        for mot in mots:
            résumé += mot + "é"
            print("café")
        """,
        {"résumé"},
        """
        for mot in mots:
            résumé += mot + "é"
        """,
        {"mots", "résumé"},
        may_mutate=immutable("mot", "résumé"),
    )


def test_iterating_a_list_does_not_keep_the_loop() -> None:
    source = """
    for col in cols:
        print(col)
    """
    assert run_prune(source, {"cols"}, may_mutate=immutable("col")) is None
    # A generator is consumed by iterating it.
    result = run_prune(
        source,
        {"cols"},
        may_mutate=immutable("col"),
        consumed_by_iteration=lambda name: name == "cols",
    )
    assert result is not None and result.text == "for col in cols:\n    pass"


def test_value_live_at_break_is_kept() -> None:
    # Found by the differential test: the first assignment is what a `break` leaves.
    source = """
    for i in range(3):
        c = a + 1
        if a > 2: break
        c = a + 2
    """
    check(
        source,
        {"c"},
        """
        for i in range(3):
            c = a + 1
            if a > 2: break
            c = a + 2
        """,
        # `c` may also keep its earlier value (zero iterations): StatementFacts.certain_binds
        # tells the caller so; the kept text itself does not load it.
        {"range", "a"},
        may_mutate=immutable("a", "c", "i"),
    )


def test_value_live_at_continue_is_kept() -> None:
    source = """
    for i in range(3):
        b = a * 2
        if a > 0:
            a = a + 1
            if b > 2: continue
            a = b + b
    """
    result = run_prune(source, {"b"}, may_mutate=immutable("a", "b", "i"))
    assert result is not None
    assert "        a = a + 1" in result.text.splitlines()
    for a in (-1, 0, 1, 2):
        same_values(source, result.text, {"b"}, {"a": a})


def test_assignment_before_a_raising_statement_in_try() -> None:
    # If the division raises inside the loop, `a` keeps the value assigned before it.
    source = """
    try:
        w = 0
        while w < 3:
            w += 1
            a = a + a
            a = b // (b % 3)
    except ZeroDivisionError:
        b = a + a
    """
    result = run_prune(source, {"a"}, may_mutate=lambda name: False)
    assert result is not None
    assert "        a = a + a" in result.text.splitlines()
    for b in (3, 4):
        same_values(source, result.text, {"a"}, {"a": 1, "b": b})


def test_statements_after_the_last_kept_one_in_a_try_body_go() -> None:
    check(
        """
        try:
            setup()
            value = compute()
            report(value)
        except KeyError:
            log()
        """,
        {"value"},
        """
        try:
            setup()
            value = compute()
        except KeyError:
            pass
        """,
        {"setup", "compute", "KeyError"},
        may_mutate=lambda name: False,
    )


def test_names_known_to_share_an_object() -> None:
    source = """
    if flag:
        view.append(1)
    """
    assert run_prune(source, {"data"}) is None
    check(source, {"data"}, source, {"flag", "view"}, same_object=[{"data", "view"}])


def test_needed_handler_name_in_a_loop_terminates() -> None:
    # Regression: a handler's `as` name in the needed set once made the loop fixpoint
    # oscillate (a shared live set was changed in place).
    source = """
    for fd in range(n):
        try:
            fd2 = dup(fd)
        except OSError as e:
            if e.errno != 9:
                raise
        else:
            close(fd2)
            count += 1
    """
    result = run_prune(source, {"n", "e"})
    assert result is not None
    assert result.reads >= {"range", "n", "dup", "OSError"}


def test_suppressing_context_manager_keeps_body_prefix() -> None:
    source = """
    with suppress(ZeroDivisionError):
        a = a + 1
        b = 1 // d
        a = a * 10
        log(a)
    """
    check(
        source,
        {"a"},
        """
        with suppress(ZeroDivisionError):
            a = a + 1
            b = 1 // d
            a = a * 10
        """,
        {"suppress", "ZeroDivisionError", "a", "d"},
        may_mutate=immutable("a", "b", "d"),
    )
