"""Indirect calls: code that runs later, or through an object, than where it is spelled.

A bound method kept in a dict, a lazy ``map`` or generator consumed by a later
statement, a ``@contextlib.contextmanager`` changing a global, a ``defaultdict`` read
that inserts a key: the statement that runs the code is the one that changes state,
and the slice must keep it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from soundness_kit import assert_sound

pytestmark = pytest.mark.engine


def test_bound_methods_kept_in_a_dict(tmp_path: Path) -> None:
    codes = assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        class Acc:
            def __init__(self):
                self.total = 0
            def add(self, n):
                self.total += n
        acc = Acc()
        lst = [1]
        ops = {"add": acc.add, "push": lst.append}
        ops["add"](2)
        ops["push"](3)
        lineapy.save(acc.total, "total")
        lineapy.save(lst, "lst")
        """,
    )
    assert 'ops["push"](3)' in codes["lst"]


def test_lazy_map_and_generator_consumed_later(tmp_path: Path) -> None:
    assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        log = []
        def f(x):
            log.append(x)
            return x * 2
        m = map(f, [1, 2, 3])
        g = (f(i) for i in [4, 5])
        z = zip(filter(f, [6]), [0])
        r = list(m)
        s = sum(g)
        pairs = list(z)
        lineapy.save(log, "log")
        """,
    )


def test_a_context_manager_that_changes_a_global(tmp_path: Path) -> None:
    assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        import contextlib
        state = {"mode": "a"}
        factor = 1
        @contextlib.contextmanager
        def mode(m):
            global factor
            state["mode"] = m
            factor = 5
            yield
        with mode("b"):
            pass
        cur = state["mode"] * factor
        lineapy.save(cur, "cur")
        """,
    )


def test_defaultdict_reads_insert_keys(tmp_path: Path) -> None:
    assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        from collections import defaultdict
        d = defaultdict(list)
        x = d["a"]
        if d["b"]:
            pass
        keys = list(d)
        lineapy.save(keys, "keys")
        """,
    )
