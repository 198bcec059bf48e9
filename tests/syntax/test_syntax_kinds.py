"""The kinds of statements (linea_core.syntax.kinds) are defined once and agree with each
other: every compound statement, ``try``/``except*`` and the async forms included, is
compound, starts with a compound keyword, and passes slicing's cheap text check; simple
statements and definitions do not."""

from __future__ import annotations

import ast
import sys

import pytest

from linea_core.slicing.statements import is_prunable, may_be_prunable
from linea_core.syntax.kinds import COMPOUND, COMPOUND_KEYWORDS, DEFINITIONS, is_compound

COMPOUND_SOURCES = [
    "if a:\n    pass",
    "for x in y:\n    pass",
    "async for x in y:\n    pass",
    "while a:\n    pass",
    "try:\n    pass\nexcept E:\n    pass",
    "with a:\n    pass",
    "async with a:\n    pass",
    "match a:\n    case 1:\n        pass",
] + (["try:\n    pass\nexcept* E:\n    pass"] if sys.version_info >= (3, 11) else [])

NOT_COMPOUND = [
    "match = 1",
    "async_total = 2",
    "iffy = 3",
    "print(a)",
    "def f():\n    pass",
    "async def f():\n    pass",
    "class C:\n    pass",
]


@pytest.mark.parametrize("source", COMPOUND_SOURCES)
def test_every_compound_form_is_compound_and_passes_the_text_check(source: str) -> None:
    [stmt] = ast.parse(source).body
    assert is_compound(stmt) and is_prunable(stmt)
    assert source.split()[0].rstrip(":") in COMPOUND_KEYWORDS
    assert may_be_prunable(source)


def test_the_samples_cover_every_compound_type() -> None:
    covered = {type(ast.parse(source).body[0]) for source in COMPOUND_SOURCES}
    assert covered == set(COMPOUND)


@pytest.mark.parametrize("source", NOT_COMPOUND)
def test_simple_statements_and_definitions_are_not_compound(source: str) -> None:
    [stmt] = ast.parse(source).body
    assert not is_compound(stmt) and not is_prunable(stmt)
    assert isinstance(stmt, DEFINITIONS) or not may_be_prunable(source) or source == "match = 1"
