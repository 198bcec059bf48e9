"""Precision: slices that were sound but larger than needed are now minimal.

Each case asserts the exact slice, and that the slice, run alone in a fresh process,
reproduces the saved value (``soundness_kit``). Next to each minimal case is the
variant that must still keep the statement, so precision never costs soundness.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from soundness_kit import assert_sound

pytestmark = pytest.mark.engine


def code(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# -- storing into a container ------------------------------------------------------


def test_storing_a_value_into_a_container_is_not_history_of_the_value(tmp_path: Path) -> None:
    codes = assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        y = {}
        x = {}
        x["y"] = y
        y["a"] = 1
        items = [None]
        items[0] = y
        lineapy.save(y, "y")
        lineapy.save(x, "x")
        lineapy.save(items, "items")
        """,
    )
    assert codes["y"] == code(
        """
        y = {}
        y["a"] = 1
        """
    )
    # the container still sees the change of what it holds
    assert codes["x"] == code(
        """
        y = {}
        x = {}
        x["y"] = y
        y["a"] = 1
        """
    )
    assert codes["items"] == code(
        """
        y = {}
        y["a"] = 1
        items = [None]
        items[0] = y
        """
    )


@pytest.mark.parametrize(
    "change",
    [
        'x["y"]["b"] = 2',  # through the container, into the held value
        'x["y"] |= {"b": 2}',  # an in-place operator on the item
        'x["z"] = x["y"].setdefault("b", 2)',  # a call on a held value
        'x["z"] = [v.setdefault("b", 2) for v in x.values()]',  # code run while storing
    ],
)
def test_a_change_through_the_container_is_still_history_of_the_held_value(
    tmp_path: Path, change: str
) -> None:
    codes = assert_sound(
        tmp_path,
        f"""
        import linea_core as lineapy
        y = {{}}
        x = {{}}
        x["y"] = y
        {change}
        lineapy.save(y, "y")
        """,
    )
    assert codes["y"] == code(
        f"""
        y = {{}}
        x = {{}}
        x["y"] = y
        {change}
        """
    )


def test_storing_into_a_user_container_keeps_its_history(tmp_path: Path) -> None:
    """``__setitem__`` of the user's own class may change what it is given."""
    codes = assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        class Box(dict):
            def __setitem__(self, key, value):
                value.append(key)
                super().__setitem__(key, value)
        y = []
        x = Box()
        x["k"] = y
        lineapy.save(y, "y")
        """,
    )
    assert 'x["k"] = y' in codes["y"]


# -- a name bound by a walrus on a path not taken -----------------------------------


def test_a_statement_that_may_leave_a_name_alone_needs_its_earlier_value_only_for_readers(
    tmp_path: Path,
) -> None:
    """``x = flag and (b := 10)`` may leave ``b`` as it was: a reader of ``b`` needs the
    earlier ``b`` through it, the slice of ``x`` does not."""
    codes = assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        b = 1
        flag = False
        x = flag and (b := 10)
        b += 1
        y = [i for i in range(3) if i > 5 and (b := i)]
        lineapy.save(x, "x")
        lineapy.save(y, "y")
        lineapy.save(b, "b")
        """,
    )
    assert codes["x"] == code(
        """
        flag = False
        x = flag and (b := 10)
        """
    )
    assert codes["y"] == "y = [i for i in range(3) if i > 5 and (b := i)]\n"
    assert codes["b"] == code(
        """
        b = 1
        flag = False
        x = flag and (b := 10)
        b += 1
        y = [i for i in range(3) if i > 5 and (b := i)]
        """
    )


def test_a_save_statement_kept_whole_needs_no_earlier_value_of_what_it_only_binds(
    tmp_path: Path,
) -> None:
    """A checkpoint saved every epoch: the loop binds ``model`` before saving it, so the
    slice needs no earlier ``model``; ``epochs``, which it reads, it needs."""
    codes = assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        model = "untrained"
        epochs = 2
        for epoch in range(epochs):
            model = [epoch]
            lineapy.save(model, "model")
        """,
    )
    assert "epochs = 2" in codes["model"]
    assert "untrained" not in codes["model"]


# -- functions a called function only defines ---------------------------------------


def test_calling_a_function_does_not_read_globals_of_functions_it_only_defines(
    tmp_path: Path,
) -> None:
    codes = assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        z = 5
        w = 7
        def outer():
            def inner():
                return z
            return w
        r = outer()
        lineapy.save(r, "r")
        """,
    )
    assert codes["r"] == code(
        """
        w = 7
        def outer():
            def inner():
                return z
            return w
        r = outer()
        """
    )


@pytest.mark.parametrize(
    "use",
    [
        "return inner()",  # called
        "return inner",  # handed out (``outer()()`` calls it)
        "return list(map(inner, [1]))",  # handed to a call
        "return [f() for f in [inner]]",  # used in a nested scope
    ],
)
def test_a_nested_function_that_may_run_still_reads_its_globals(tmp_path: Path, use: str) -> None:
    call = "outer()()" if use == "return inner" else "outer()"
    codes = assert_sound(
        tmp_path,
        f"""
        import linea_core as lineapy
        z = [5]
        def outer():
            def inner(*_):
                return z[0]
            {use}
        r = {call}
        lineapy.save(r, "r")
        """,
    )
    assert codes["r"].startswith("z = [5]\n")


# -- star imports -----------------------------------------------------------------


def test_a_star_import_binds_the_module_names_and_needs_no_earlier_statement(
    tmp_path: Path,
) -> None:
    codes = assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        a = [1]
        pi = 3
        e = 2
        from math import *
        c = pi + e
        a.append(floor(c))
        lineapy.save(c, "c")
        lineapy.save(a, "a")
        """,
    )
    assert codes["c"] == code(
        """
        from math import *
        c = pi + e
        """
    )
    assert codes["a"] == code(
        """
        a = [1]
        from math import *
        c = pi + e
        a.append(floor(c))
        """
    )


def test_a_star_import_keeps_what_it_does_not_rebind_and_module_state(tmp_path: Path) -> None:
    """``__all__`` decides what it binds; a change of the module's data made before it
    is part of the names it binds."""
    codes = assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        import helper
        helper.data.append(2)
        hidden = 5
        from helper import *
        total = sum(data) + hidden
        lineapy.save(total, "total")
        """,
        files={"helper.py": '__all__ = ["data"]\ndata = [1]\nhidden = 100\n'},
    )
    assert codes["total"] == code(
        """
        import helper
        helper.data.append(2)
        hidden = 5
        from helper import *
        total = sum(data) + hidden
        """
    )


# -- a global rebound by a called function ------------------------------------------


def test_a_global_a_called_function_always_rebinds_ends_its_earlier_binding(
    tmp_path: Path,
) -> None:
    codes = assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        g = 1
        g = g + 1
        def reset():
            global g
            g = 10
        reset()
        lineapy.save(g, "g")
        """,
    )
    assert codes["g"] == code(
        """
        def reset():
            global g
            g = 10
        reset()
        """
    )


@pytest.mark.parametrize(
    "body",
    [
        "if flag:\n        g = 10",  # only on one path
        "if not flag:\n        return\n    g = 10",  # may return first
        "g = g + 10",  # reads it
        "g = 10\n    del g\n    g = 3",  # deletes it
        "g = 10\n    yield 1",  # a generator: calling it runs nothing
    ],
)
@pytest.mark.parametrize("call", ["reset()", "x = flag and reset()"])
def test_a_global_a_called_function_may_leave_alone_keeps_its_earlier_binding(
    tmp_path: Path, body: str, call: str
) -> None:
    body = body.replace("\n", "\n" + " " * 8)  # the script below is indented by 8
    codes = assert_sound(
        tmp_path,
        f"""
        import linea_core as lineapy
        g = 1
        g = g + 1
        flag = True
        def reset():
            global g
            {body}
        {call}
        lineapy.save(g, "g")
        """,
    )
    assert codes["g"].startswith("g = 1\ng = g + 1\n")
