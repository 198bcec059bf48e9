"""Branches not taken inside a called function.

A function that binds a global only on a path the traced run did not take is still that
global's binder: under another input the call rebinds it, so the slice of the global keeps
the call (and the earlier value, for the path that leaves it alone).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.engine

SCRIPT = textwrap.dedent(
    """
    import sys
    import linea_core as lineapy
    g = 1
    def reset(flag):
        global g
        if flag:
            g = 10
    reset(len(sys.argv) > 2)
    lineapy.save(g, "g")
    """
).lstrip("\n")


def _run(args: list[str], cwd: Path, home: Path) -> str:
    env = dict(os.environ, LINEA_HOME_DIR=str(home))
    proc = subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_a_global_a_called_function_binds_on_an_untaken_path(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (tmp_path / "script.py").write_text(SCRIPT)
    _run(
        ["-c", "from linea_core.cli.main import main; main(['python', 'script.py'])"],
        tmp_path,
        home,
    )
    code = _run(["-c", "import linea_core as l; print(l.get('g').get_code())"], tmp_path, home)
    (tmp_path / "slice.py").write_text(code + "\nprint(g)\n")
    plain = SCRIPT.replace('lineapy.save(g, "g")', "print(g)").replace(
        "import linea_core as lineapy\n", ""
    )
    (tmp_path / "plain.py").write_text(plain)
    # the traced input: both agree
    assert _run(["slice.py"], tmp_path, home) == _run(["plain.py"], tmp_path, home) == "1"
    # the other input takes the branch inside reset(): the slice must follow
    assert _run(["slice.py", "a", "b"], tmp_path, home) == "10"
