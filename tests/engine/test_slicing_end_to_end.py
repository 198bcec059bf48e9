"""Slices of real traced runs: ``trace(code).artifacts[name].get_code()`` and friends."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import linea_core
from linea_core.graph.model import ExternalState

pytestmark = pytest.mark.engine


def _trace(code: str):  # noqa: ANN202
    return linea_core.trace(textwrap.dedent(code))


def test_unrelated_work_is_sliced_out() -> None:
    result = _trace(
        """
        import linea_core as lineapy
        import math
        radius = 2.0
        label = "circle"
        print(label)
        area = math.pi * radius ** 2
        lineapy.save(area, "area")
        """
    )
    artifact = result.artifacts["area"]
    assert artifact.get_code() == ("import math\nradius = 2.0\narea = math.pi * radius ** 2\n")
    assert artifact.execute() == pytest.approx(result.values["area"])


def test_keep_lineapy_save_and_comments() -> None:
    result = _trace(
        """
        import linea_core as lineapy
        total = 0
        for i in range(4):
            total += i
            print(i)
        noise = [total]
        lineapy.save(total, "total")
        """
    )
    artifact = result.artifacts["total"]
    assert artifact.get_code() == "total = 0\nfor i in range(4):\n    total += i\n"
    assert artifact.get_code(keep_lineapy_save=True) == (
        "import linea_core as lineapy\n"
        "total = 0\n"
        "for i in range(4):\n"
        "    total += i\n"
        'lineapy.save(total, "total")\n'
    )
    assert artifact.get_code(include_non_slice_as_comment=True) == (
        "# import linea_core as lineapy\n"
        "total = 0\n"
        "for i in range(4):\n"
        "    total += i\n"
        "#     print(i)\n"
        "# noise = [total]\n"
        '# lineapy.save(total, "total")\n'
    )


def test_value_computed_in_the_save_call() -> None:
    result = _trace(
        """
        import linea_core as lineapy
        xs = [3, 4]
        xs.append(5)
        lineapy.save(sum(xs) * 2, "double sum")
        """
    )
    artifact = result.artifacts["double sum"]
    assert artifact.get_code() == "xs = [3, 4]\nxs.append(5)\nartifact_value = sum(xs) * 2\n"
    assert artifact.execute() == 24
    assert artifact.get_value() == 24


def test_slice_runs_on_the_branch_not_taken() -> None:
    result = _trace(
        """
        import linea_core as lineapy
        threshold = 3
        value = 10
        if value > threshold:
            kind = "big"
            print("big")
        else:
            kind = "small"
        lineapy.save(kind, "kind")
        """
    )
    code = result.artifacts["kind"].get_code()
    assert code == (
        "threshold = 3\n"
        "value = 10\n"
        "if value > threshold:\n"
        '    kind = "big"\n'
        "else:\n"
        '    kind = "small"\n'
    )
    namespace: dict[str, object] = {}
    exec(code.replace("value = 10", "value = 1"), namespace)
    assert namespace["kind"] == "small"


def test_file_system_artifact_is_the_code_that_wrote_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _trace(
        """
        import linea_core as lineapy
        rows = ["a", "b"]
        summary = len(rows)
        with open("out.txt", "w") as fh:
            fh.write(str(summary))
            print("written")
        lineapy.save(lineapy.file_system, "files")
        """
    )
    artifact = result.artifacts["files"]
    assert artifact.get_code() == (
        'rows = ["a", "b"]\n'
        "summary = len(rows)\n"
        'with open("out.txt", "w") as fh:\n'
        "    fh.write(str(summary))\n"
    )
    (tmp_path / "out.txt").unlink()
    assert artifact.execute() is ExternalState.FILE_SYSTEM
    assert (tmp_path / "out.txt").read_text() == "2"


def test_get_lines_are_kept_and_can_be_replaced_by_direct_loads() -> None:
    linea_core.save({"a": 1, "b": 2}, "settings")
    result = _trace(
        """
        import linea_core as lineapy
        settings = lineapy.get("settings").get_value()
        keys = sorted(settings)
        lineapy.save(keys, "keys")
        """
    )
    artifact = result.artifacts["keys"]
    assert artifact.get_code() == (
        "import linea_core as lineapy\n"
        'settings = lineapy.get("settings", version=0).get_value()\n'
        "keys = sorted(settings)\n"
    )
    plain = artifact.get_code(use_lineapy_serialization=False)
    assert "lineapy" not in plain and "linea_core" not in plain
    namespace: dict[str, object] = {}
    exec(plain, namespace)
    assert namespace["keys"] == ["a", "b"]
    assert artifact.execute() == ["a", "b"]


def test_statements_of_several_blocks() -> None:
    from linea_core.capture.session import TracingSession

    session = TracingSession()
    session.run_block("import linea_core as lineapy\nbase = [1, 2]\nunused = 0")
    session.run_block("base.append(3)\nprint(base)")
    session.run_block("art = lineapy.save(base, 'base')")
    session.close()
    artifact = session.namespace["art"]
    assert artifact.get_code() == "base = [1, 2]\nbase.append(3)\n"
    assert artifact.get_session_code() == (
        "import linea_core as lineapy\nbase = [1, 2]\nunused = 0\n"
        "base.append(3)\nprint(base)\n"
        "art = lineapy.save(base, 'base')"
    )
    assert artifact.execute() == [1, 2, 3]
