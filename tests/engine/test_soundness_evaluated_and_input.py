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


@pytest.mark.parametrize(
    "query",
    [
        'df.query(" and ".join(conds))',
        'df.query("A < " + "@limit")',
        'df.query(f"{column} < @limit")',
        'df.query(expr=conds[0].replace("B", "A"))',
    ],
)
def test_a_computed_query_string(tmp_path: Path, query: str) -> None:
    """The string is only known when the call runs: the call may read any earlier
    binding, so the slice keeps them (``limit``), in a loop too."""
    codes = assert_sound(
        tmp_path,
        f"""
        import linea_core as lineapy
        import pandas as pd
        df = pd.DataFrame({{"A": [1, 5, 10]}})
        limit = 6
        column = "A"
        conds = ["A < @limit"]
        small = {query}
        for step in range(2):
            looped = {query}
        lineapy.save(small, "small")
        lineapy.save(looped, "looped")
        """,
    )
    assert "limit = 6" in codes["small"] and "limit = 6" in codes["looped"]


def test_a_computed_query_string_in_a_function(tmp_path: Path) -> None:
    """Inside a function the caller cannot know what it reads: the call is opaque."""
    assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        import pandas as pd
        df = pd.DataFrame({"A": [1, 5, 10]})
        limit = 6
        def pick(frame, ops):
            return frame.query(" and ".join(ops))
        small = pick(df, ["A < @limit"])
        lineapy.save(small, "small")
        """,
    )
