"""Aliasing through copies and containers: a shallow copy shares its items.

``b = dict(a)`` makes a new dict whose values are ``a``'s values, so changing
``b["k"]`` in place changes ``a["k"]``. Every slice here must keep the change made
through the copy, and must still leave out changes of the copy's own slots that a pack describes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from soundness_kit import assert_sound

pytestmark = pytest.mark.engine


@pytest.mark.parametrize(
    "copy",
    [
        "dict(a)",
        "copy.copy(a)",
        "{**a}",
    ],
)
def test_a_change_through_a_shallow_copy_of_a_dict_is_a_change_of_the_original(
    tmp_path: Path, copy: str
) -> None:
    codes = assert_sound(
        tmp_path,
        f"""
        import linea_core as lineapy
        import copy
        a = {{"k": [1], "n": 0}}
        b = {copy}
        b["k"].append(2)
        b.update(new=5)
        lineapy.save(a, "a")
        """,
    )
    assert 'b["k"].append(2)' in codes["a"]
    assert "b.update(new=5)" not in codes["a"]


@pytest.mark.parametrize("copy", ["list(a)", "a[:]", "[x for x in a]"])
def test_a_change_through_a_shallow_copy_of_a_list_of_lists(tmp_path: Path, copy: str) -> None:
    codes = assert_sound(
        tmp_path,
        f"""
        import linea_core as lineapy
        a = [[1], [2]]
        b = {copy}
        b[0].append(5)
        b.append(9)
        lineapy.save(a, "a")
        """,
    )
    assert "b[0].append(5)" in codes["a"]
    assert "b.append(9)" not in codes["a"]


def test_an_item_stored_in_a_new_container_is_shared_with_the_old_one(tmp_path: Path) -> None:
    assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        rows = [[1, 2], [3]]
        lookup = {"x": rows[0]}
        lookup["x"].append(99)
        lineapy.save(rows, "rows")
        """,
    )


def test_an_item_appended_to_another_container_is_shared(tmp_path: Path) -> None:
    assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        a = [[1], [2]]
        b = []
        b.append(a[0])
        b[-1].append(7)
        lineapy.save(a, "a")
        """,
    )


def test_a_change_of_the_original_is_a_change_of_the_copy(tmp_path: Path) -> None:
    codes = assert_sound(
        tmp_path,
        """
        import linea_core as lineapy
        a = {"k": [1]}
        b = dict(a)
        a["k"].append(2)
        a["other"] = 1
        lineapy.save(b, "b")
        """,
    )
    assert 'a["k"].append(2)' in codes["b"]
