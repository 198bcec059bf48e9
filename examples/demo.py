"""`make demo`: run a messy iris notebook-as-script under linea, show what it kept, and
turn its artifacts into a pipeline that runs (and tests itself) without linea.

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
    # linea's options come before the script; what follows the script is the script's.
    run(
        "python",
        "--slice",
        "iris_model",
        "--export-slice",
        "demo_output/iris_model_slice.py",
        "examples/iris_notebook.py",
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

    run("pipeline", "create", "iris_pipeline", "iris_preprocessed", "iris_model")
    run("pipeline", "show", "iris_pipeline")
    run("pipeline", "write", "iris_pipeline", "-o", "demo_output/iris_pipeline", "--generate-test")
    module = "demo_output/iris_pipeline/iris_pipeline_module.py"
    print(f"\n$ python {module}", flush=True)
    subprocess.run([sys.executable, module], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    print("ok: the pipeline ran without linea")
    test_file = "demo_output/iris_pipeline/test_iris_pipeline.py"
    print(f"\n$ python -m pytest -q {test_file}", flush=True)
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test_file],
        cwd=ROOT,
        check=True,
    )
    print(
        "\nExplore further with: LINEA_HOME_DIR=demo_output/linea_home "
        f"{Path(sys.executable).with_name('linea')} artifacts list"
    )


if __name__ == "__main__":
    main()
