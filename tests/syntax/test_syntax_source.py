"""statement_text(): the exact text slices show for a statement."""

from __future__ import annotations

import ast

import pytest

from linea_core.syntax import statement_text

pytestmark = pytest.mark.engine


def texts(source: str) -> list[str]:
    return [statement_text(stmt, source) for stmt in ast.parse(source).body]


def test_statements_sharing_a_line_are_cut_apart() -> None:
    assert texts("a = 1; b = 2  # both\n") == ["a = 1", "b = 2"]


def test_trailing_comment_is_not_part_of_the_statement() -> None:
    assert texts("x = f(1)  # call f\n") == ["x = f(1)"]


def test_multi_line_statement_is_verbatim() -> None:
    source = "total = (\n    a  # first\n    + b\n)\nnext_one = 1\n"
    assert texts(source) == ["total = (\n    a  # first\n    + b\n)", "next_one = 1"]


def test_decorators_are_part_of_a_definition() -> None:
    source = "import functools\n\n@functools.cache\n@other\ndef f(x):\n    return x\n"
    assert texts(source)[1] == "@functools.cache\n@other\ndef f(x):\n    return x"


def test_non_ascii_offsets_are_bytes() -> None:
    source = 'é = "ü"; ß = é + "ç"  # ok\n'
    assert texts(source) == ['é = "ü"', 'ß = é + "ç"']


def test_nested_statement_is_dedented() -> None:
    source = "if a:\n    for x in y:\n        z = (\n    1)\n"
    inner = ast.parse(source).body[0].body[0]
    # Every line loses the statement's own indentation (whitespace only).
    assert statement_text(inner, source) == "for x in y:\n    z = (\n1)"


def test_lines_may_be_given_as_a_list() -> None:
    source = ["x = 1\n", "y = [\n", "  2]\n"]
    stmt = ast.parse("".join(source)).body[1]
    assert statement_text(stmt, source) == "y = [\n  2]"


def test_form_feed_does_not_shift_lines() -> None:
    # str.splitlines() would split at the form feed and shift later line numbers.
    source = "x = 1\n\x0c\ny = 2  # after a page break\n"
    assert texts(source) == ["x = 1", "y = 2"]
