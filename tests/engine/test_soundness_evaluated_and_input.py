"""Names read inside strings libraries evaluate, and standard input read in order.

``df.query("A < @limit")`` reads ``limit`` though no Python expression spells it;
``input()`` and ``sys.stdin.read()`` each consume standard input, so a later read
returns what is left after the earlier ones and its slice must keep them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from soundness_kit import assert_sound

from linea_core.syntax.analysis import analyse

pytestmark = pytest.mark.engine


@pytest.mark.parametrize(
    ("source", "read"),
    [
        ('df.query("A < @limit")', {"limit"}),
        ('pd.eval("df.A * k")', {"df", "k"}),
        ('df.eval("C = A * @k + `my col`")', {"k"}),
        ('df.query(f"A < {t} and B > @lo")', {"t", "lo"}),
        ('df.query(expr="a in @vals")', {"vals"}),
        ("df.query(\"s == '@not_a_name'\")", set()),
    ],
)
def test_names_in_evaluated_strings_are_reads(source: str, read: set[str]) -> None:
    reads = analyse(ast.parse(source).body[0]).reads
    assert read <= reads
    assert "not_a_name" not in reads


def test_pandas_query_and_eval_strings(tmp_path: Path) -> None:
    codes = assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        import pandas as pd
        df = pd.DataFrame({"A": [1, 5, 10]})
        limit = 6
        k = 3
        unrelated = 7
        small = df.query("A < @limit")
        condition = "A > @k"
        big = df.query(condition)
        r = pd.eval("df.A * k")
        e = df.eval("A * @k")
        lineapy.save(small, "small")
        lineapy.save(r, "r")
        lineapy.save(e, "e")
        lineapy.save(big, "big")
        """,
    )
    assert "limit = 6" in codes["small"]
    assert "unrelated" not in codes["small"]


def test_standard_input_is_read_in_order(tmp_path: Path) -> None:
    assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        import sys
        def ask():
            return input()
        first = input()
        second = ask()
        rest = sys.stdin.read()
        lineapy.save(rest, "rest")
        lineapy.save(second, "second")
        """,
        stdin="one\ntwo\nthree\nfour\n",
    )


@pytest.mark.xfail(
    strict=True,
    reason="names in strings libraries evaluate: an expression string computed by an "
    "expression (not a literal, f-string or variable) is not known before the call runs, "
    "so the names it reads (`limit`) are not dependencies",
)
def test_a_computed_query_string(tmp_path: Path) -> None:
    assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        import pandas as pd
        df = pd.DataFrame({"A": [1, 5, 10]})
        limit = 6
        conds = ["A < @limit"]
        small = df.query(" and ".join(conds))
        lineapy.save(small, "small")
        """,
    )
