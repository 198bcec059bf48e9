"""Traced code behaves exactly as under plain Python (CPython semantics, script context)."""

from __future__ import annotations

import os
import pickle
import sys
import textwrap
import traceback
from pathlib import Path

import pytest

import linea_core
from linea_core.capture.session import TracingSession

pytestmark = pytest.mark.engine

LANGUAGE_TOUR = """
import collections
from dataclasses import dataclass
log = []
def note(x):
    log.append(x)
    return x
a = note(0) or note(1)
b = note(2) and note(0) and note(3)
c, (d, *e) = 1, (2, 3, 4)
f = g = [1, 2]
f[0] += 10
h = {**{"k": 1}, "j": [*f, *e]}
squares = [i * i for i in range(5) if i % 2]
gen_total = sum(x for x in range(4))
pairs = {k: v for k, v in zip("ab", range(2))}
fn = lambda x, y=2: x * y
text = f"{a!r:>4}|{fn(3)}"
if (n := len(log)) > 3:
    branch = "big"
elif n > 1:
    branch = "mid"
else:
    branch = "small"
total = 0
for i in range(10):
    if i == 7:
        break
    if i % 2:
        continue
    total += i
else:
    total = -1
w = 0
while w < 3:
    w += 1
else:
    w_done = True
try:
    1 / 0
except ZeroDivisionError as exc:
    caught = type(exc).__name__
else:
    caught = None
finally:
    cleaned = True
class Ctx:
    def __enter__(self):
        log.append("enter")
        return self
    def __exit__(self, *args):
        log.append("exit")
        return False
with Ctx() as ctx:
    inside = True
@dataclass
class Point:
    x: int
    y: int = 0
    def norm(self):
        return abs(self.x) + abs(self.y)
p = Point(3, -4)
counter = collections.Counter("abracadabra")
def outer():
    v = 1
    def inner():
        nonlocal v
        v += 1
        return v
    return inner
incr = outer()
incr()
closure_value = incr()
def deco(func):
    def wrapper(*args):
        return func(*args) + 100
    return wrapper
@deco
def plus(x):
    return x + 1
decorated = plus(1)
match p:
    case Point(x=3, y=yy):
        matched = yy
    case _:
        matched = None
assert total == 12, total
del g
"""


def _plain(code: str) -> dict[str, object]:
    namespace: dict[str, object] = {"__name__": "__main__"}
    exec(compile(code, "<plain>", "exec"), namespace)
    return namespace


def _comparable(namespace: dict[str, object]) -> dict[str, object]:
    keep = {}
    for name, value in namespace.items():
        if name.startswith("__") or callable(value) or type(value).__name__ == "module":
            continue
        text = repr(value)
        keep[name] = text if " object at 0x" not in text else type(value).__name__
    return keep


def test_language_tour_gives_the_same_values_as_plain_exec() -> None:
    traced = linea_core.trace(LANGUAGE_TOUR)
    plain = _plain(LANGUAGE_TOUR)
    assert _comparable(traced.values) == _comparable(plain)
    assert traced.values["log"] == [0, 1, 2, 0, "enter", "exit"]
    assert traced.values["closure_value"] == 3
    assert traced.values["decorated"] == 102
    assert traced.values["matched"] == -4
    assert "g" not in traced.values


def test_short_circuit_and_evaluation_order() -> None:
    result = linea_core.trace(
        """
        order = []
        def f(tag, value):
            order.append(tag)
            return value
        r = f("a", 0) and f("never", 1)
        s = f("b", 1) or f("never", 2)
        t = {f("k1", "x"): f("v1", 1), f("k2", "y"): f("v2", 2)}
        u = f("left", 1) + f("right", 2) * f("third", 3)
        """
    )
    assert result.values["order"] == ["a", "b", "k1", "v1", "k2", "v2", "left", "right", "third"]


def test_exception_is_the_original_object_with_user_frames_only() -> None:
    code = textwrap.dedent(
        """
        class Boom(Exception):
            pass
        def inner():
            raise Boom("bad")
        x = 1
        inner()
        """
    )
    with pytest.raises(Exception) as info:
        linea_core.trace(code)
    exc = info.value
    assert type(exc).__name__ == "Boom" and str(exc) == "bad"
    frames = traceback.extract_tb(exc.__traceback__)
    files = [frame.filename for frame in frames]
    engine = os.path.join("linea_core", "capture")
    assert not any(engine in name for name in files)
    assert [frame.name for frame in frames if frame.filename == "<linea trace>"] == [
        "<module>",
        "inner",
    ]
    lines = [frame.line for frame in frames if frame.filename == "<linea trace>"]
    assert lines == ["inner()", 'raise Boom("bad")']


def test_syntax_error_runs_nothing() -> None:
    session = TracingSession(annotations=None)
    with pytest.raises(SyntaxError):
        session.run_block("side = print('ran')\nx = = 1\n", "<test>")
    assert session.graph.nodes == [] and session.graph.blocks == []
    with pytest.raises(SyntaxError, match="outside function"):
        session.run_block("y = 1\nreturn y\n", "<test>")
    assert "y" not in session.namespace


def test_future_import_must_lead_and_applies_to_the_block() -> None:
    result = linea_core.trace(
        '''
        """Module doc."""
        from __future__ import annotations
        def f(x: NotDefinedAnywhere) -> AlsoMissing:
            return x
        hints = f.__annotations__
        '''
    )
    assert result.values["hints"] == {"x": "NotDefinedAnywhere", "return": "AlsoMissing"}
    assert result.session.namespace["__doc__"] == "Module doc."
    with pytest.raises(SyntaxError, match="beginning of the file"):
        linea_core.trace("x = 1\nfrom __future__ import annotations\n")


def test_engine_future_flags_do_not_leak_into_user_code() -> None:
    # linea's own modules use `from __future__ import annotations`; user code must not
    result = linea_core.trace("def f(x: int) -> int:\n    return x\nhints = f.__annotations__\n")
    assert result.values["hints"] == {"x": int, "return": int}


def test_only_the_first_string_is_the_docstring() -> None:
    result = linea_core.trace('"first"\nx = 1\n"second"\n')
    assert result.session.namespace["__doc__"] == "first"


def test_script_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "helper_mod_for_linea.py").write_text("VALUE = 42\n")
    script = project / "main.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys
            import helper_mod_for_linea
            name = __name__
            file = __file__
            argv = list(sys.argv)
            path0 = sys.path[0]
            value = helper_mod_for_linea.VALUE
            with open("data.txt") as handle:
                data = handle.read()
            main_module = sys.modules["__main__"].__dict__ is vars(sys.modules[__name__])
            """
        )
    )
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data.txt").write_text("relative to cwd")
    argv_before, path_before, main_before = list(sys.argv), list(sys.path), sys.modules["__main__"]
    try:
        result = linea_core.trace(str(script.relative_to(tmp_path)), argv=["--flag", "2"])
    finally:
        sys.modules.pop("helper_mod_for_linea", None)
    values = result.values
    assert values["name"] == "__main__"
    assert values["file"] == str(script)
    assert values["argv"] == [str(Path("project") / "main.py"), "--flag", "2"]
    assert values["path0"] == str(project)
    assert values["value"] == 42
    assert values["data"] == "relative to cwd"
    assert values["main_module"] is True
    assert sys.argv == argv_before and sys.path == path_before
    assert sys.modules["__main__"] is main_before


def test_user_classes_pickle_and_inspect_like_in_a_script() -> None:
    result = linea_core.trace(
        """
        import inspect
        import pickle
        class Point:
            def __init__(self, x):
                self.x = x
        def show():
            return 1
        data = pickle.dumps(Point(3))
        source = inspect.getsource(show)
        """
    )
    assert result.values["source"] == "def show():\n    return 1\n"
    assert isinstance(result.values["data"], bytes)
    with pytest.raises((AttributeError, pickle.UnpicklingError)):
        pickle.loads(result.values["data"])  # __main__ is restored afterwards


def test_system_exit_propagates_with_its_code() -> None:
    with pytest.raises(SystemExit) as info:
        linea_core.trace("import sys\nsys.exit(3)\n")
    assert info.value.code == 3


def test_missing_script_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="No script"):
        linea_core.trace(str(tmp_path / "absent.py"))


def test_non_ascii_source_and_encoding_cookie(tmp_path: Path) -> None:
    script = tmp_path / "latin.py"
    script.write_bytes(
        "# -*- coding: latin-1 -*-\nname = 'café'\nn = len(name)\n".encode("latin-1")
    )
    result = linea_core.trace(script)
    assert result.values["name"] == "café" and result.values["n"] == 4
    assert result.graph.nodes[0].source == "name = 'café'"
