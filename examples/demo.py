"""`make demo`: run a messy iris notebook-as-script under linea and show what it kept.

Uses the embedded default store (SQLite + local files) in ``demo_output/linea_home``
so the demo never touches the user's own ``~/.linea``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "demo_output"


def run(*args: str) -> None:
    """Run a `linea` command the way a user would, from the repository root."""
    linea = Path(sys.executable).with_name("linea")
    env = {**os.environ, "LINEA_HOME_DIR": str(OUT / "linea_home"), "MPLBACKEND": "Agg"}
    print(f"\n$ linea {' '.join(args)}", flush=True)
    subprocess.run([str(linea), *args], cwd=ROOT, env=env, check=True)


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir()
    run(
        "python",
        "examples/iris_notebook.py",
        "--slice",
        "iris_model",
        "--export-slice",
        "demo_output/iris_model_slice.py",
    )
    run("artifacts", "list")
    run("artifacts", "show", "iris_model")
    slice_file = OUT / "iris_model_slice.py"
    print(
        "\nThe slice of iris_model (demo_output/iris_model_slice.py): plots, prints and the"
        "\nspecies averages are gone.\n"
    )
    print(slice_file.read_text())
    subprocess.run([sys.executable, "demo_output/iris_model_slice.py"], cwd=ROOT, check=True)
    print("ok: the slice ran on its own")
    print(
        "\nExplore further with: LINEA_HOME_DIR=demo_output/linea_home "
        f"{Path(sys.executable).with_name('linea')} artifacts list"
    )


if __name__ == "__main__":
    main()
