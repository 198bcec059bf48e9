"""Fingerprints see in-place changes without running user code; alias sets and lifetimes."""

from __future__ import annotations

import collections
import gc
import weakref
from typing import Any

import pytest

from linea_core.capture.fingerprint import Walker
from linea_core.capture.objects import ObjectTable

pytestmark = pytest.mark.engine


def changed(obj: Any, mutate: Any, namespace: dict[str, Any] | None = None) -> bool | None:
    walker = Walker(namespace if namespace is not None else {"__name__": "__main__"})
    before = walker.snapshot(obj)
    mutate(obj)
    return walker.snapshot(obj).changed_since(before)


class Plain:
    def __init__(self) -> None:
        self.items: list[int] = []
        self.meta = {"n": 0}


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self) -> None:
        self.a = [1]
        self.b = 2


@pytest.mark.parametrize(
    ("factory", "mutate"),
    [
        (lambda: [1, 2], lambda o: o.append(3)),
        (lambda: [1, 2], lambda o: o.__setitem__(0, 5)),
        (lambda: [[1], [2]], lambda o: o[1].append(3)),
        (lambda: {"a": 1}, lambda o: o.update(b=2)),
        (lambda: {"a": [1]}, lambda o: o["a"].pop()),
        (lambda: {1, 2}, lambda o: o.add(3)),
        (lambda: bytearray(b"ab"), lambda o: o.extend(b"c")),
        (lambda: collections.deque([1]), lambda o: o.appendleft(0)),
        (lambda: (1, [2]), lambda o: o[1].append(3)),
        (Plain, lambda o: o.items.append(1)),
        (Plain, lambda o: o.meta.__setitem__("n", 1)),
        (Plain, lambda o: setattr(o, "new", 1)),
        (Slotted, lambda o: o.a.append(2)),
        (Slotted, lambda o: setattr(o, "b", 3)),
        (lambda: collections.OrderedDict(a=1), lambda o: o.__setitem__("b", 2)),
        (lambda: collections.defaultdict(list), lambda o: o["k"].append(1)),
        (lambda: collections.OrderedDict(a=1, b=2), lambda o: o.move_to_end("a")),
        (lambda: collections.defaultdict(list), lambda o: setattr(o, "default_factory", set)),
        (lambda: collections.Counter("ab"), lambda o: o.update("a")),
    ],
)
def test_in_place_changes_are_detected(factory: Any, mutate: Any) -> None:
    assert changed(factory(), mutate) is True


@pytest.mark.parametrize(
    "factory",
    [lambda: [1, [2]], lambda: {"a": {"b": [1]}}, Plain, Slotted, lambda: {1, 2, 3}],
)
def test_no_change_means_unchanged(factory: Any) -> None:
    assert changed(factory(), lambda o: None) is False


def test_cycles_terminate() -> None:
    a: list[Any] = [1]
    a.append(a)
    assert changed(a, lambda o: None) is False
    assert changed(a, lambda o: o.append(2)) is True


def test_numpy_buffers_views_and_shapes() -> None:
    np = pytest.importorskip("numpy")
    arr = np.zeros((3, 4))
    assert changed(arr, lambda o: None) is False
    assert changed(arr, lambda o: o.__setitem__((1, 2), 5.0)) is True
    assert changed(np.arange(6), lambda o: o.resize(7, refcheck=False)) is True
    base = np.zeros(10)
    view = base[::2]  # not contiguous
    assert changed(view, lambda o: base.__setitem__(4, 1.0)) is True
    dates = np.array(["2020-01-01"], dtype="datetime64[D]")
    assert changed(dates, lambda o: o.__setitem__(0, np.datetime64("2021-01-01"))) is True
    objects = np.empty(2, dtype=object)
    objects[0], objects[1] = [1], [2]
    assert changed(objects, lambda o: None) is False
    assert changed(objects, lambda o: o[0].append(5)) is True


def test_numpy_owner_identifies_views() -> None:
    np = pytest.importorskip("numpy")
    walker = Walker({})
    base = np.arange(10)
    view = base[2:5]
    other = np.arange(10)
    assert walker.snapshot(view).owners.keys() == walker.snapshot(base).owners.keys()
    assert not walker.snapshot(other).owners.keys() & walker.snapshot(base).owners.keys()


def test_pandas_frames_and_series() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"], "c": pd.Categorical(["u", "v"])})
    assert changed(frame, lambda o: None) is False
    assert changed(frame, lambda o: o.__setitem__("d", 1)) is True
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    assert changed(frame, lambda o: o.loc.__setitem__((0, "a"), 9)) is True
    frame = pd.DataFrame({"a": [1, 2]})
    assert changed(frame, lambda o: setattr(o, "columns", ["z"])) is True
    frame = pd.DataFrame({"a": [1.0, None]})
    assert changed(frame, lambda o: o.fillna(0, inplace=True)) is True
    series = pd.Series([1, 2, 3])
    assert changed(series, lambda o: o.__setitem__(0, 7)) is True
    # reading columns fills pandas' internal caches: that is not a change
    frame = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
    assert changed(frame, lambda o: (o["a"], o.b, o.describe())) is False


def test_walking_never_runs_user_code() -> None:
    calls: list[str] = []

    class Trap(list):  # type: ignore[type-arg]
        def __iter__(self):  # noqa: ANN204
            calls.append("iter")
            return super().__iter__()

        def __eq__(self, other: object) -> bool:
            calls.append("eq")
            return True

        __hash__ = None  # type: ignore[assignment]

        @property
        def prop(self) -> int:
            calls.append("prop")
            return 1

        def __getattr__(self, name: str) -> Any:
            calls.append("getattr")
            raise AttributeError(name)

    trap = Trap([1, 2])
    assert changed(trap, lambda o: None) is False
    assert changed(trap, lambda o: list.append(o, 3)) is True
    assert calls == []


def test_opaque_objects_are_unknown() -> None:
    def gen():  # noqa: ANN202
        yield 1

    assert changed(gen(), lambda o: None) is None
    assert changed(iter([1, 2]), lambda o: next(o)) is None


def test_immutables_are_never_walked() -> None:
    walker = Walker({})
    for value in (1, 2.5, "s", b"b", None, (1, "a", (2,)), frozenset({1}), range(3)):
        assert walker.is_scalar(value)
    assert not walker.is_scalar((1, []))
    assert not walker.is_scalar([])


def test_user_functions_closure_and_defaults_are_state() -> None:
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(
        "def make():\n    box = []\n    def f(x, acc=[]):\n        box.append(x)\n"
        "        acc.append(x)\n    return f\nf = make()\n",
        namespace,
    )
    f = namespace["f"]
    assert changed(f, lambda o: o(1), namespace) is True
    assert changed(f, lambda o: None, namespace) is False
    assert changed(len, lambda o: None, namespace) is False  # library function: not walked


def test_budget_makes_the_result_unknown_not_wrong() -> None:
    walker = Walker({})
    big = [[i] for i in range(50)]
    before = walker.snapshot(big, budget=10)
    assert not before.complete
    assert walker.snapshot(big, budget=10).changed_since(before) is None
    big[-1].append(1)  # within the walked part (the walk goes depth first from the end)
    assert walker.snapshot(big, budget=10).changed_since(before) is True


def test_alias_sets_union_and_history() -> None:
    table = ObjectTable()
    a: list[int] = []
    b: dict[str, Any] = {}
    sa = table.record(a, 0, {"a"})
    sb = table.record(b, 1, {"b"})
    merged = table.union(sa, sb)
    assert table.get(a) is table.get(b) is merged
    assert merged.history == {0: {"a"}, 1: {"b"}}
    merged.record(5, {"x"})
    assert merged.last == 5 and merged.last_names() == frozenset({"x"})


def test_weakly_held_objects_are_forgotten_when_they_die() -> None:
    table = ObjectTable()

    class Obj:
        pass

    obj = Obj()
    table.record(obj, 0, {"o"})
    probe = weakref.ref(obj)
    assert len(table) == 1
    del obj
    gc.collect()
    assert probe() is None
    assert len(table) == 0


def test_strongly_held_objects_are_released_by_sweep() -> None:
    table = ObjectTable()
    kept: list[int] = [1]
    table.record(kept, 0, {"kept"})
    table.record([2], 1, {"temp"})  # only the table refers to it
    assert len(table) == 2
    table.sweep()
    assert len(table) == 1
    assert table.get(kept) is not None
