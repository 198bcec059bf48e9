"""Saves inside compound statements and functions: code that stops where the value is ready.

A ``lineapy.save`` at the top level of a script is its own statement; the slice ends
just before it. A save inside a loop, an ``if __name__ == "__main__":`` block, a
``with``, a ``try`` or a function called from the top level runs in the middle of a
top-level statement (the *save statement*), possibly many times, and possibly on a
value that only exists in a function's frame. Its slice keeps the save statement
(pruned to what the save needs) and every definition it calls, with the save call
replaced by a call to a small function that stops the run right there, on the same
run of that call as when the artifact was saved (a checkpoint saved every epoch: the
version of epoch k stops at epoch k)::

    class LineaValueReady(BaseException):
        '''linea: the saved value is ready (the 2nd time the save ran); stop here.'''
        runs = 0

    def linea_value_ready(value):
        LineaValueReady.runs += 1
        if LineaValueReady.runs == 2:
            raise LineaValueReady(value)

    weights = [0]
    try:
        for epoch in range(3):
            weights.append(weights[-1] + epoch)
            linea_value_ready(weights)
    except LineaValueReady as ready:
        ckpt = ready.value
    else:
        raise RuntimeError("linea: the save of 'ckpt' did not run this time ...")

The exception derives from ``BaseException`` so that the user's ``except Exception``
handlers let it through; ``finally`` blocks and ``with`` exits on the way out still
run, as they do when an error stops a program. A handler of the kept code that could
catch it (a bare ``except:``, ``except BaseException``, a name linea cannot tell apart
from those) starts with ``linea_pass_ready()``, which re-raises the stop when that is
what the handler caught, so the user's ``except BaseException: pass`` around the save
does not swallow it. When the save site was also reached by
statements before the save statement, counting starts with the save statement only
(``runs = None`` until it starts).

Other saves in the kept code never run in a slice: a save call that is a statement of
its own is removed (``pass`` where a block would be left empty), one inside an
expression is replaced by the value it saves.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass

from linea_core.graph.model import SaveSite
from linea_core.slicing.linea_calls import LineaNames, replace_expressions
from linea_core.syntax.source import LINE_BREAK, as_lines

#: The function a slice calls where the artifact was saved (a plain call, so pruning
#: keeps it as it keeps any call it is told to).
STOP_FUNCTION = "linea_value_ready"
STOP_EXCEPTION = "LineaValueReady"
#: Called first by a handler that could catch the stop: re-raises it (see above).
PASS_FUNCTION = "linea_pass_ready"
_READY = "ready"


@dataclass(frozen=True)
class SiteRewrite:
    """A node's text with its saves rewritten; ``stops`` when it holds the artifact's site."""

    text: str
    stops: bool


def _save_calls(stmt: ast.stmt, names: LineaNames) -> list[ast.Call]:
    return [
        sub
        for sub in ast.walk(stmt)
        if isinstance(sub, ast.Call) and names.is_call_to(sub.func, "save")
    ]


def _reference(call: ast.Call) -> ast.expr | None:
    if call.args and not isinstance(call.args[0], ast.Starred):
        return call.args[0]
    for keyword in call.keywords:
        if keyword.arg == "reference":
            return keyword.value
    return None


def has_save_calls(source: str) -> bool:
    """Cheap text pre-check before parsing: could ``source`` call ``save``?"""
    return "save" in source


def rewrite_saves(
    source: str,
    stmt: ast.stmt,
    names: LineaNames,
    *,
    site: SaveSite | None = None,
) -> SiteRewrite | None:
    """``source`` with its save calls neutralised, the one at ``site`` made a stop.

    ``site.line``/``site.column`` are relative to ``source`` (line 1 is its first
    line). Returns None when ``source`` calls no save.
    """
    calls = _save_calls(stmt, names)
    if not calls:
        return None
    target = _target(calls, site) if site is not None else None
    statements = _expression_statements(stmt)
    replacements: list[tuple[ast.AST | _Span, str]] = []
    removed: list[ast.stmt] = []
    for call in calls:
        reference = _reference(call)
        if call is target:
            argument = ast.get_source_segment(source, reference) if reference else "None"
            replacements.append((call, f"{STOP_FUNCTION}({argument})"))
            continue
        owner = statements.get(id(call))
        if owner is not None:
            removed.append(owner)
        elif reference is not None:
            replacements.append((call, f"({ast.get_source_segment(source, reference)})"))
        else:
            replacements.append((call, "None"))
    text = _remove_statements(source, stmt, removed, replacements)
    return SiteRewrite(text, target is not None)


def _target(calls: list[ast.Call], site: SaveSite) -> ast.Call | None:
    """The save call at the site: on its line (and column, when known)."""
    on_line = [c for c in calls if c.lineno <= site.line <= (c.end_lineno or c.lineno)]
    if not on_line:
        return None
    if site.column >= 0:
        for call in on_line:
            if call.lineno == site.line and call.col_offset == site.column:
                return call
    # Innermost first: the call whose span starts closest to the line.
    return max(on_line, key=lambda c: (c.lineno, c.col_offset))


def _expression_statements(stmt: ast.stmt) -> dict[int, ast.stmt]:
    """id of a call -> the ``Expr`` statement it is the whole of (``lineapy.save(...)``)."""
    found: dict[int, ast.stmt] = {}
    for sub in ast.walk(stmt):
        if isinstance(sub, ast.Expr) and isinstance(sub.value, ast.Call):
            found[id(sub.value)] = sub
    return found


def _blocks(stmt: ast.stmt) -> list[list[ast.stmt]]:
    blocks: list[list[ast.stmt]] = []
    for sub in ast.walk(stmt):
        for attr in ("body", "orelse", "finalbody"):
            value = getattr(sub, attr, None)
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                blocks.append(value)
    return blocks


def _remove_statements(
    source: str,
    stmt: ast.stmt,
    removed: list[ast.stmt],
    replacements: list[tuple[ast.AST | _Span, str]],
) -> str:
    """Remove whole-line statements where their block keeps others; else ``pass``."""
    if stmt in removed:
        return "pass"
    lines = as_lines(source)
    gone = {id(s) for s in removed}
    drop_lines: set[int] = set()
    for block in _blocks(stmt):
        left = [s for s in block if id(s) not in gone]
        for index, sub in enumerate(block):
            if id(sub) not in gone:
                continue
            if left and _alone_on_lines(sub, block, index, lines):
                drop_lines.update(range(sub.lineno, (sub.end_lineno or sub.lineno) + 1))
            else:
                replacements.append((sub, "pass"))
                if not left:
                    left = [sub]  # one ``pass`` keeps the block; the others go
    for first, last in _runs(sorted(drop_lines)):
        # From the end of the line before to the end of the last line: the lines and
        # the line break that introduced them go.
        replacements.append(
            (_Span(first - 1, _width(lines, first - 1), last, _width(lines, last)), "")
        )
    return replace_expressions(source, replacements)  # type: ignore[arg-type]


class _Span:
    """A stretch of source in AST coordinates (1-based lines, UTF-8 byte columns)."""

    def __init__(self, lineno: int, col_offset: int, end_lineno: int, end_col_offset: int) -> None:
        self.lineno = lineno
        self.col_offset = col_offset
        self.end_lineno = end_lineno
        self.end_col_offset = end_col_offset


def _width(lines: list[str], number: int) -> int:
    return len(lines[number - 1].encode("utf-8"))


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def _alone_on_lines(sub: ast.stmt, block: list[ast.stmt], index: int, lines: list[str]) -> bool:
    before = block[index - 1] if index else None
    after = block[index + 1] if index + 1 < len(block) else None
    if before is not None and (before.end_lineno or before.lineno) >= sub.lineno:
        return False
    if after is not None and after.lineno <= (sub.end_lineno or sub.lineno):
        return False
    first = lines[sub.lineno - 1]
    return not first[: sub.col_offset].strip()


_CLEANUP = re.compile(r"\bfinally\s*:|\bwith\b")


def runs_cleanup(texts: list[str]) -> bool:
    """Whether code between the stop and the end of the save statement may run on the
    way out (``finally`` blocks, ``with`` exits) and change the value after it was ready."""
    return any(_CLEANUP.search(text) for text in texts)


def _init(copied: bool) -> str:
    if not copied:
        return "    def __init__(self, value):\n        self.value = value\n"
    return (
        "    def __init__(self, value):\n"
        "        # a copy: `finally` blocks and `with` exits still run on the way out\n"
        "        try:\n"
        "            self.value = copy.deepcopy(value)\n"
        "        except Exception:\n"
        "            self.value = value\n"
    )


def _catches_everything(handler: ast.ExceptHandler) -> bool:
    """Whether ``handler`` could catch a ``BaseException`` that is no ``Exception``:
    unless every type it names is a built-in subclass of ``Exception``, it might."""
    kind = handler.type
    if kind is None:
        return True
    types = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    for item in types:
        if not isinstance(item, ast.Name):
            return True
        builtin = getattr(builtins, item.id, None)
        if not (isinstance(builtin, type) and issubclass(builtin, Exception)):
            return True
    return False


def pass_stop_through(source: str, stmt: ast.stmt) -> str | None:
    """``source`` with ``linea_pass_ready()`` first in every handler that could catch
    the stop (see the module's docstring); None when it has no such handler."""
    lines = as_lines(source)
    insertions: list[tuple[ast.AST | _Span, str]] = []
    for sub in ast.walk(stmt):
        if not isinstance(sub, ast.Try):
            continue  # ``except*`` (TryStar) wraps what it catches in a group: not handled
        for handler in sub.handlers:
            if not _catches_everything(handler):
                continue
            first = handler.body[0]
            at = _Span(first.lineno, first.col_offset, first.lineno, first.col_offset)
            indent = lines[first.lineno - 1].encode("utf-8")[: first.col_offset]
            if indent.strip():
                # ``except BaseException: pass``: a simple statement on the handler's line
                insertions.append((at, f"{PASS_FUNCTION}(); "))
            else:
                insertions.append((at, f"{PASS_FUNCTION}()\n{indent.decode('utf-8')}"))
    if not insertions:
        return None
    return replace_expressions(source, insertions)  # type: ignore[arg-type]


def helper_code(site: SaveSite, *, copied: bool = False, passes: bool = False) -> str:
    """The stopping helper a slice with a nested save site starts with.

    ``copied``: the value is deep-copied where it is ready, because cleanup code
    that runs on the way out (``finally``, ``with``) might change it afterwards.
    ``passes``: the slice's handlers call ``linea_pass_ready`` (see
    :func:`pass_stop_through`), defined after the stop.
    """
    head = "import copy\n" if copied else ""
    if passes:
        return _stop_code(site, copied, head) + _PASS_CODE
    return _stop_code(site, copied, head)


_PASS_CODE = (
    f"\n\n\ndef {PASS_FUNCTION}():\n"
    f'    """linea: a handler around the save caught the stop: let it through."""\n'
    f'    if isinstance(__import__("sys").exc_info()[1], {STOP_EXCEPTION}):\n'
    f"        raise"
)


def _stop_code(site: SaveSite, copied: bool, head: str) -> str:
    if site.run == 1 and not site.armed:
        doc = "linea: the saved value is ready here; what runs after it is not needed."
        return (
            f"{head}class {STOP_EXCEPTION}(BaseException):\n"
            f'    """{doc}"""\n'
            f"\n"
            f"{_init(copied)}"
            f"\n"
            f"\n"
            f"def {STOP_FUNCTION}(value):\n"
            f"    raise {STOP_EXCEPTION}(value)"
        )
    nth = _ordinal(site.run)
    doc = f"linea: the saved value is ready the {nth} time the save runs; stop there."
    start = "None" if site.armed else "0"
    check = f"    if {STOP_EXCEPTION}.runs is None:\n        return\n" if site.armed else ""
    return (
        f"{head}class {STOP_EXCEPTION}(BaseException):\n"
        f'    """{doc}"""\n'
        f"\n"
        f"    runs = {start}\n"
        f"\n"
        f"{_init(copied)}"
        f"\n"
        f"\n"
        f"def {STOP_FUNCTION}(value):\n"
        f"{check}"
        f"    {STOP_EXCEPTION}.runs += 1\n"
        f"    if {STOP_EXCEPTION}.runs == {site.run}:\n"
        f"        raise {STOP_EXCEPTION}(value)"
    )


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def wrap_save_statement(text: str, variable: str, site: SaveSite) -> str:
    """The save statement inside ``try``, binding ``variable`` where the value is ready."""
    body = indent_code(text)
    arm = f"    {STOP_EXCEPTION}.runs = 0\n" if site.armed else ""
    # Not reaching the save (other inputs took another path) must fail plainly, not
    # leave ``variable`` unbound or holding something else.
    missing = (
        f"linea: the save of {variable!r} did not run this time (the inputs took another "
        "path than when it was saved), so this code cannot produce that value"
    )
    return (
        f"try:\n{arm}{body}\nexcept {STOP_EXCEPTION} as {_READY}:\n    {variable} = {_READY}.value"
        f"\nelse:\n    raise RuntimeError({missing!r})"
    )


def indent_code(text: str, prefix: str = "    ") -> str:
    """Indent every line of ``text`` that does not continue a multi-line string."""
    inside = _lines_inside_strings(text)
    out = []
    for number, line in enumerate(LINE_BREAK.split(text), 1):
        if number in inside or not line.strip():
            out.append(line if number in inside else "")
        else:
            out.append(prefix + line)
    return "\n".join(out)


def _lines_inside_strings(text: str) -> set[int]:
    """Lines that start inside a multi-line string literal (indenting would change it)."""
    import io
    import tokenize

    inside: set[int] = set()
    fstring_start = getattr(tokenize, "FSTRING_START", -1)  # Python 3.12+
    fstring_end = getattr(tokenize, "FSTRING_END", -1)
    opened: list[int] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == fstring_start:
                opened.append(token.start[0])
            elif token.type == fstring_end and opened:
                inside.update(range(opened.pop() + 1, token.end[0] + 1))
            elif token.type == tokenize.STRING:
                inside.update(range(token.start[0] + 1, token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        pass
    return inside
