"""Containment is one-way, merged histories keep every member's past, and the graph tells
slicing which names share an object and which earlier binding a statement may keep."""

from __future__ import annotations

import pytest
from test_capture_graph import closure, node_by_source, run

from linea_core.capture.session import TracingSession

pytestmark = pytest.mark.engine


def test_a_container_sees_its_members_changes_but_members_do_not_see_each_other() -> None:
    s = run(
        """
        train = [1, 2]
        test = [3, 4]
        test[0] = 9
        train.pop()
        splits = [train, test]
        """
    )
    assert closure(s, "test") == ["test = [3, 4]", "test[0] = 9"]
    assert closure(s, "train") == ["train = [1, 2]", "train.pop()"]
    assert closure(s, "splits") == [
        "train = [1, 2]",
        "test = [3, 4]",
        "test[0] = 9",
        "train.pop()",
        "splits = [train, test]",
    ]


def test_a_change_of_a_member_after_it_was_stored_is_the_containers_history() -> None:
    s = run(
        """
        box = []
        item = [0]
        box.append(item)
        item.append(1)
        other = [5]
        """
    )
    assert "item.append(1)" in closure(s, "box")
    assert "box.append(item)" not in closure(s, "other")


def test_a_change_through_the_container_counts_for_what_it_holds() -> None:
    """Fingerprints see ``box`` change, not which member: every member gets the change."""
    s = run(
        """
        a = [1]
        b = [2]
        box = [a, b]
        box[0].append(5)
        """
    )
    assert s.namespace["a"] == [1, 5]
    assert "box[0].append(5)" in closure(s, "a")
    assert "box[0].append(5)" in closure(s, "b")  # not knowing which, both


def test_an_annotated_change_of_the_container_leaves_its_members_alone() -> None:
    """``list.append`` (core packs) changes the list itself, not the lists it holds."""
    s = run(
        """
        a = [1]
        box = [a]
        box.append(2)
        """,
        TracingSession(),
    )
    assert "box.append(2)" in closure(s, "box")
    assert "box.append(2)" not in closure(s, "a")


def test_merged_sets_keep_both_histories_until_the_next_change() -> None:
    s = run(
        """
        import numpy as np
        base = np.zeros(4)
        base[0] = 1
        other = np.ones(4)
        other[1] = 2
        both = [base, other]
        view = base[1:]
        view[0] = 7
        """
    )
    assert {"base[0] = 1", "other[1] = 2", "view[0] = 7"} <= set(closure(s, "both"))
    assert "base[0] = 1" in closure(s, "view")
    assert "other[1] = 2" not in closure(s, "base")


def test_a_maybe_binding_statement_depends_on_the_earlier_value() -> None:
    """``if c: x = ...`` may leave ``x`` alone: its earlier binder and history stay needed."""
    s = run(
        """
        flag = False
        x = []
        x.append(1)
        if flag:
            x = [2]
        for k in []:
            y = k
        """
    )
    node = node_by_source(s, "if flag:\n    x = [2]")
    producers = {s.graph.node(e.producer).source: e for e in node.deps}
    assert producers["x = []"].names == {"x"} and producers["x = []"].via == {"x"}
    assert producers["x.append(1)"].via == {"x"}
    # The branch did not run, but it may on another input: it stays x's binder.
    assert closure(s, "x") == ["flag = False", "x = []", "x.append(1)", "if flag:\n    x = [2]"]


def test_names_sharing_an_object_are_related_through_the_first_binder() -> None:
    s = run(
        """
        defaults = {"debug": True}
        active = defaults
        if active:
            defaults.pop("debug")
            n = len(active)
        """
    )
    node = node_by_source(s, 'if active:\n    defaults.pop("debug")\n    n = len(active)')
    first = node_by_source(s, 'defaults = {"debug": True}')
    edges = {e.producer: e for e in node.deps}
    assert edges[first.id].names == {"defaults"}
    assert edges[first.id].via == {"defaults", "active"}


def test_a_container_and_a_member_are_related_through_the_members_binder() -> None:
    s = run(
        """
        train = [1]
        splits = [train]
        for k in range(2):
            train.append(k)
            total = len(splits)
        """
    )
    node = node_by_source(s, "for k in range(2):\n    train.append(k)\n    total = len(splits)")
    binder = node_by_source(s, "train = [1]")
    assert {e.producer: e.via for e in node.deps}[binder.id] == {"train", "splits"}


def test_an_annotated_change_reached_through_an_attribute_changes_the_holder() -> None:
    """``obj.tags.append(..)`` is ``list.append`` on an unnamed list: ``obj`` changed."""
    s = run(
        """
        import types
        obj = types.SimpleNamespace()
        obj.tags = []
        obj.tags.append("v1")
        tags = obj.tags
        """,
        TracingSession(),
    )
    assert 'obj.tags.append("v1")' in closure(s, "obj")
    assert 'obj.tags.append("v1")' in closure(s, "tags")
