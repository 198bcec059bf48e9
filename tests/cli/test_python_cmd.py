"""``linea python``: stderr byte-identical to ``python``, the script's options are its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

LINEA = str(Path(sys.executable).with_name("linea"))


def _run(command: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINEA_")}
    env["LINEA_HOME_DIR"] = str(home)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)


@pytest.mark.parametrize(
    "source",
    [
        'import warnings\nwarnings.warn("careful")\nprint("after")\n',
        'import warnings\nwarnings.warn("old", DeprecationWarning)\nprint("after")\n',
        "x = (\n",
        "def f(:\n    pass\n",
        "import broken_helper\n",
    ],
    ids=["warning", "deprecation", "syntax-unclosed", "syntax-def", "syntax-in-import"],
)
def test_stderr_is_byte_identical_to_python(tmp_path: Path, source: str) -> None:
    (tmp_path / "script.py").write_text(source)
    (tmp_path / "broken_helper.py").write_text("value = [1,\n")
    plain = _run([sys.executable, "script.py"], tmp_path, tmp_path / "home")
    traced = _run([LINEA, "python", "script.py"], tmp_path, tmp_path / "home")
    assert traced.stderr == plain.stderr
    assert traced.stdout == plain.stdout
    assert traced.returncode == plain.returncode


def test_options_after_the_script_belong_to_the_script(tmp_path: Path) -> None:
    (tmp_path / "script.py").write_text("import sys\nprint(sys.argv[1:])\n")
    traced = _run(
        [LINEA, "python", "script.py", "--slice", "x", "--print-graph"], tmp_path, tmp_path / "h"
    )
    assert traced.returncode == 0, traced.stderr
    assert traced.stdout == "['--slice', 'x', '--print-graph']\n"


def test_export_slice_prints_the_slice_too(tmp_path: Path) -> None:
    (tmp_path / "script.py").write_text(
        "import linea_core as lineapy\nnoise = print('noise')\nvalue = 6 * 7\n"
        "lineapy.save(value, 'answer')\n"
    )
    traced = _run(
        [LINEA, "python", "--slice", "answer", "--export-slice", "answer", "script.py"],
        tmp_path,
        tmp_path / "home",
    )
    assert traced.returncode == 0, traced.stderr
    written = (tmp_path / "answer.py").read_text()
    assert "value = 6 * 7" in written and "noise" not in written
    assert traced.stdout == "noise\n" + written


def test_linea_warnings_point_at_the_users_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "linea_config.json").write_text('{"logging_levle": "DEBUG"}')
    (tmp_path / "script.py").write_text(
        "import linea_core as lineapy\n\nlineapy.save(1, 'x')\nprint('ok')\n"
    )
    plain = _run([sys.executable, "script.py"], tmp_path, home)
    assert plain.returncode == 0, plain.stderr
    first = plain.stderr.splitlines()[0]
    assert first.startswith(f"{tmp_path / 'script.py'}:3: ConfigWarning: "), plain.stderr
    assert "logging_levle" in first and "linea_core" not in first
