"""Big objects are proved unchanged instead of fingerprinted, and changes are still seen.

Every object here is above ``readonly.BIG_BYTES`` (the proof is tried only for big
roots). Each mutating program saves a value that depends on the mutation, so a slice
that lost the mutating statement would give a different value when run alone.
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pandas as pd
import pytest

import linea_core
from linea_core.capture import fingerprint, readonly

pytestmark = pytest.mark.engine

BIG_LIST = "data = list(range(60_000))"
BIG_ARRAY = "import numpy as np\narr = np.arange(600_000, dtype=float)"
BIG_FRAME = (
    "import numpy as np\nimport pandas as pd\n"
    'frame = pd.DataFrame(np.ones((30_000, 20)), columns=[f"c{i}" for i in range(20)])'
)
BIG_DICT = 'big = {i: i for i in range(60_000)}\nbig["nested"] = {"k": [1]}'


def _trace(code: str, setup: str = "") -> Any:
    """Trace ``code`` (indented) with its ``SETUP`` line replaced by ``setup``."""
    return linea_core.trace(textwrap.dedent(code).replace("SETUP\n", setup + "\n"))


def _assert_slice_reproduces(result: Any, name: str, must_keep: str) -> str:
    artifact = result.artifacts[name]
    code = artifact.get_code()
    assert must_keep in code, code
    expected = result.values[name]
    actual = artifact.execute()
    if isinstance(expected, (np.ndarray, pd.DataFrame, pd.Series)):
        assert np.array_equal(np.asarray(actual), np.asarray(expected))
    else:
        assert actual == expected
    return str(code)


def test_the_test_objects_are_big() -> None:
    ns: dict[str, Any] = {}
    for setup in (BIG_LIST, BIG_ARRAY, BIG_FRAME, BIG_DICT):
        exec(setup, ns)
    walker = fingerprint.Walker(ns)
    for name in ("data", "arr", "frame", "big"):
        assert readonly.is_big(walker, ns[name]), name


# A read-only helper keeps precise slices (the proof succeeded) ...
def test_read_only_helper_on_a_big_list_is_sliced_out() -> None:
    result = _trace(
        """
        import linea_core as lineapy
        def middle(xs):
            return xs[len(xs) // 2] + sum(sorted(xs[:3]))
        SETUP
        a = middle(data)
        b = middle(data)
        lineapy.save(b, "b")
        """,
        BIG_LIST,
    )
    code = _assert_slice_reproduces(result, "b", "b = middle(data)")
    assert "a = middle(data)" not in code


def test_read_only_helper_on_a_big_frame_is_sliced_out() -> None:
    result = _trace(
        """
        import linea_core as lineapy
        def stats(f, column):
            values = f[column]
            return values.mean(), values.std()
        SETUP
        a = stats(frame, "c1")
        b = stats(frame, "c2")
        lineapy.save(b, "b")
        """,
        BIG_FRAME,
    )
    code = _assert_slice_reproduces(result, "b", "b = stats(frame")
    assert "a = stats(frame" not in code


def test_a_helper_filling_its_own_list_is_proved() -> None:
    result = _trace(
        """
        import linea_core as lineapy
        def firsts(xs):
            out = []
            for x in xs[:5]:
                out.append(x * 2)
            return out
        SETUP
        a = firsts(data)
        b = firsts(data)
        lineapy.save(b, "b")
        """,
        BIG_LIST,
    )
    code = _assert_slice_reproduces(result, "b", "b = firsts(data)")
    assert "a = firsts(data)" not in code


def test_print_and_next_in_a_helper_keep_the_proof() -> None:
    result = _trace(
        """
        import linea_core as lineapy
        def peek(xs):
            first = next(iter(xs))
            print("first", first)
            return first
        SETUP
        a = peek(data)
        b = peek(data)
        lineapy.save(b, "b")
        """,
        BIG_LIST,
    )
    code = _assert_slice_reproduces(result, "b", "b = peek(data)")
    assert "a = peek(data)" not in code


def test_a_proof_failing_mid_run_still_compares_exactly() -> None:
    # ``agg`` is not described by the pandas pack: the hook stops there, fingerprints
    # the frame (unchanged so far) and the end of the statement compares exactly
    result = _trace(
        """
        import linea_core as lineapy
        def total(d):
            return d.agg("sum")
        SETUP
        a = total(frame)
        b = total(frame)
        lineapy.save(b, "b")
        """,
        BIG_FRAME,
    )
    code = _assert_slice_reproduces(result, "b", "b = total(frame)")
    assert "a = total(frame)" not in code


def test_a_proved_big_root_is_not_walked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    walked: list[int] = []
    original = fingerprint.Walker.snapshot

    def spy(self: Any, root: object, *args: Any, **kwargs: Any) -> Any:
        if isinstance(root, list) and len(root) >= 60_000:
            walked.append(len(root))
        return original(self, root, *args, **kwargs)

    monkeypatch.setattr(fingerprint.Walker, "snapshot", spy)
    calls = "".join(f"r{i} = first(data)\n" for i in range(20))
    linea_core.trace(f"def first(xs):\n    return xs[0]\n{BIG_LIST}\n{calls}")
    assert len(walked) <= 2  # the cached walk, not two per call


# ... and every way of changing the big object is still seen.
@pytest.mark.parametrize(
    ("setup", "helper", "call", "saved"),
    [
        # lists
        (BIG_LIST, "def f(xs):\n    xs.append(7)", "f(data)", "data[-1]"),
        (BIG_LIST, "def f(xs):\n    xs[0] = 7", "f(data)", "data[0]"),
        (BIG_LIST, "def f(xs):\n    xs += [7]", "f(data)", "data[-1]"),
        (BIG_LIST, "def f(xs):\n    xs.sort(reverse=True)", "f(data)", "data[0]"),
        (BIG_LIST, "def f(xs):\n    return list(map(xs.append, [7]))", "f(data)", "data[-1]"),
        (BIG_LIST, "def f(xs):\n    del xs[0]", "f(data)", "data[0]"),
        (BIG_LIST, "def f(xs):\n    return g(xs)\ndef g(ys):\n    ys.append(7)", "f(data)",
         "data[-1]"),
        (BIG_LIST, "def f(xs):\n    return (lambda z: z.pop())(xs)", "f(data)", "data[-1]"),
        (BIG_LIST, "def f(xs):\n    yield xs.pop()", "list(f(data))", "data[-1]"),
        (BIG_LIST, "import operator\ndef f(xs):\n    operator.setitem(xs, 0, 7)", "f(data)",
         "data[0]"),
        (BIG_LIST, "def f(xs):\n    getattr(xs, 'append')(7)", "f(data)", "data[-1]"),
        # numpy, in place
        (BIG_ARRAY, "def f(a):\n    a *= 2", "f(arr)", "arr[3]"),
        (BIG_ARRAY, "def f(a):\n    np.multiply(a, 2, out=a)", "f(arr)", "arr[3]"),
        (BIG_ARRAY, "def f(a):\n    a.fill(7)", "f(arr)", "arr[3]"),
        (BIG_ARRAY, "def f(a):\n    np.copyto(a, 7.0)", "f(arr)", "arr[3]"),
        (BIG_ARRAY, "def f(a):\n    a[3] = 7", "f(arr)", "arr[3]"),
        (BIG_ARRAY, "def f(a):\n    v = a[:10]\n    v.fill(7)", "f(arr)", "arr[3]"),
        (BIG_ARRAY, "def f(a):\n    v = a.reshape(-1)\n    v.put([3], [7.0])", "f(arr)", "arr[3]"),
        (BIG_ARRAY, "op = np.add\ndef f(a):\n    op(a, 1, out=a)", "f(arr)", "arr[3]"),
        # pandas
        (BIG_FRAME, "def f(d):\n    d['new'] = 1", "f(frame)", "frame.shape[1]"),
        (BIG_FRAME, "def f(d):\n    d.insert(0, 'z', 2)", "f(frame)", "frame.shape[1]"),
        (BIG_FRAME, "def f(d):\n    d['c1'].array[0] = 5.0", "f(frame)", "frame['c1'].iloc[0]"),
        (BIG_FRAME, "def f(d):\n    d.loc[0, 'c1'] = 5.0", "f(frame)", "frame['c1'].iloc[0]"),
        (BIG_FRAME, "def f(d):\n    d.pop('c1')", "f(frame)",
         "frame.shape[1]"),
        (BIG_FRAME, "def f(d):\n    d._mgr.blocks[0].values[0, 0] = 5.0", "f(frame)",
         "frame.iloc[0, 0]"),
        # nested containers
        (BIG_DICT, "def f(m):\n    m['nested']['k'].append(2)", "f(big)", "len(big['nested']['k'])"),
        (BIG_DICT, "def f(m):\n    inner = m['nested']\n    inner['k'] = 5", "f(big)",
         "big['nested']['k']"),
        (BIG_DICT, "def f(m):\n    m.pop(0)", "f(big)", "len(big)"),
    ],
)  # fmt: skip
def test_changes_of_big_objects_are_seen(setup: str, helper: str, call: str, saved: str) -> None:
    code = (
        "import linea_core as lineapy\n"
        f"{setup}\n{helper}\n"
        f"before = {saved}\n"
        f"out = {call}\n"
        f"value = {saved}\n"
        'lineapy.save(value, "value")\n'
    )
    result = linea_core.trace(code)
    _assert_slice_reproduces(result, "value", f"out = {call}")


def test_a_change_by_the_statement_itself_is_seen() -> None:
    result = _trace(
        """
        import linea_core as lineapy
        def middle(xs):
            return xs[len(xs) // 2]
        SETUP
        data.append(middle(data))
        value = data[-1]
        lineapy.save(value, "value")
        """,
        BIG_LIST,
    )
    _assert_slice_reproduces(result, "value", "data.append(middle(data))")


def test_a_bound_method_kept_in_data_is_a_capability() -> None:
    result = _trace(
        """
        import linea_core as lineapy
        SETUP
        ops = {"add": data.append}
        def apply(fn, xs, items):
            return list(map(fn, items)), len(xs)
        out = apply(ops["add"], data, [7, 8])
        value = data[-1]
        lineapy.save(value, "value")
        """,
        BIG_LIST,
    )
    _assert_slice_reproduces(result, "value", 'out = apply(ops["add"], data, [7, 8])')


def test_a_defaultdict_read_that_inserts_is_seen() -> None:
    result = _trace(
        """
        import collections
        import linea_core as lineapy
        big = collections.defaultdict(int, {i: i for i in range(60_000)})
        def peek(m):
            return m[-1]
        out = peek(big)
        value = len(big)
        lineapy.save(value, "value")
        """
    )
    _assert_slice_reproduces(result, "value", "out = peek(big)")


def test_a_closure_holding_a_ufunc_is_a_capability() -> None:
    result = _trace(
        """
        import linea_core as lineapy
        SETUP
        def make():
            op = np.add
            def inc(a):
                return op(a, 1, out=a)
            return inc
        inc = make()
        out = inc(arr)
        value = arr[3]
        lineapy.save(value, "value")
        """,
        BIG_ARRAY,
    )
    _assert_slice_reproduces(result, "value", "out = inc(arr)")


def test_a_helper_seen_changing_data_is_fingerprinted_afterwards() -> None:
    result = _trace(
        """
        import linea_core as lineapy
        def grow(xs, flag):
            if flag:
                xs.append(7)
            return len(xs)
        SETUP
        a = grow(data, True)
        b = grow(data, False)
        c = grow(data, False)
        value = len(data)
        lineapy.save(value, "value")
        """,
        BIG_LIST,
    )
    code = _assert_slice_reproduces(result, "value", "a = grow(data, True)")
    # after the first call was seen changing data, later calls are fingerprinted:
    # exact, so the read-only calls are not kept
    assert "c = grow(data, False)" not in code


@pytest.mark.parametrize(
    ("make", "capability", "passive"),
    [
        (lambda: [1, 2.0, "x", (3, None)], False, True),
        (lambda: {"k": np.ones(3), "f": pd.DataFrame({"a": [1]})}, False, True),
        (lambda: [np.add], True, True),
        (lambda: [1, np.add], True, True),
        # Built-in functions and bound built-in methods are walked to their receiver (a
        # method kept in a dict changes it): a capability, and not plain data.
        (lambda: {"add": [].append}, True, False),
        (lambda: [len], True, False),
        (lambda: [__import__("functools").partial(print)], True, False),
        (lambda: __import__("collections").defaultdict(int), False, False),
        (lambda: [iter([1])], False, False),
        (lambda: [lambda: 1], False, False),
    ],
)
def test_walks_record_capabilities_and_plain_data(
    make: Any, capability: bool, passive: bool
) -> None:
    walk = fingerprint.Walker({"__name__": "__main__"}).snapshot(make())
    assert (walk.capabilities, walk.passive) == (capability, passive)
