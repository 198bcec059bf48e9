"""Source text of statements, cut exactly as slices print them.

Slices show each kept statement as its original text, from the first character of the
statement (its first decorator for a decorated def/class) to its last character, dedented
to column 0. AST column offsets are UTF-8 byte offsets, so cutting happens on bytes.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence

#: Line ends as Python counts lines (``\n``, ``\r\n``, ``\r``; not form feeds).
LINE_BREAK = re.compile(r"\r\n?|\n")


def as_lines(source: str | Sequence[str]) -> list[str]:
    """Physical lines without line endings, from a source string or a list of lines.

    Lines are split the way Python numbers them (``\n``, ``\r\n``, ``\r``), not with
    ``str.splitlines``, which also splits on form feeds and other separators that may
    sit inside a line and would shift every later line number. A list given by the
    caller must be split the same way (``linecache``/``readlines`` lines are).
    """
    if isinstance(source, str):
        return source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [line.rstrip("\r\n") for line in source]


def first_line(stmt: ast.stmt) -> int:
    """1-based first line of ``stmt``, counting its decorators."""
    decorators: list[ast.expr] | None = getattr(stmt, "decorator_list", None)
    if decorators:
        return min(stmt.lineno, *(d.lineno for d in decorators))
    return stmt.lineno


def first_col(stmt: ast.stmt) -> int:
    """Byte column where ``stmt`` starts (a decorated def starts at its ``@``)."""
    decorators: list[ast.expr] | None = getattr(stmt, "decorator_list", None)
    if decorators:
        top = min(decorators, key=lambda d: (d.lineno, d.col_offset))
        if top.lineno < stmt.lineno:
            # `@` sits one character before the decorator expression.
            return max(top.col_offset - 1, 0)
    return stmt.col_offset


def cut(line: str, start: int | None = None, end: int | None = None) -> str:
    """``line[start:end]`` with ``start``/``end`` given as UTF-8 byte offsets."""
    if line.isascii():
        return line[start:end]
    return line.encode("utf-8")[start:end].decode("utf-8", errors="replace")


def indentation(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def dedent_lines(lines: list[str], col: int) -> list[str]:
    """Remove ``col`` characters of leading whitespace from continuation lines.

    Lines that are less indented (continuation lines inside brackets, strings) keep their
    text: only whitespace is ever removed.
    """
    if col <= 0:
        return lines
    out = []
    for line in lines:
        lead = indentation(line)
        out.append(line[min(col, len(lead)) :])
    return out


def statement_text(stmt: ast.stmt, source: str | Sequence[str]) -> str:
    """The exact original text of ``stmt``, dedented to column 0, without a final newline.

    Comments and text after the statement's last character (a trailing ``# comment``, a
    following ``; other``) are not part of it; comment lines inside it are.
    """
    lines = as_lines(source)
    start = first_line(stmt)
    end = stmt.end_lineno or stmt.lineno
    end_col = stmt.end_col_offset
    col = first_col(stmt)
    chunk = lines[start - 1 : end]
    if len(chunk) == 1:
        return cut(chunk[0], col, end_col)
    head = cut(chunk[0], col)
    tail = cut(chunk[-1], None, end_col)
    body = [head, *chunk[1:-1], tail]
    return "\n".join([body[0], *dedent_lines(body[1:], _continuation_indent(chunk[0], col))])


def _continuation_indent(line: str, col: int) -> int:
    """How far continuation lines are shifted: the statement's own indentation."""
    lead = indentation(cut(line, None, col))
    return len(lead) if len(lead) == len(cut(line, None, col)) else 0
