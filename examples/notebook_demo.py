"""The notebook half of `make demo`, and `make lineage-picture`.

Executes examples/iris_getting_started.ipynb in a real Jupyter kernel with the
extension (as `jupyter nbconvert --execute` would), prints the slice of the model the
notebook saved, checks that the slice runs on its own, and draws its lineage. Uses the
store in demo_output/linea_home, never the user's ~/.linea.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "iris_getting_started.ipynb"
PICTURE = ROOT / "docs" / "iris_model_lineage.svg"


def run_notebook(home: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=300,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    env = {**os.environ, "LINEA_HOME_DIR": str(home)}
    with client.setup_kernel(env=env):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)


def main() -> None:
    picture_only = "--picture" in sys.argv
    home = ROOT / "demo_output" / "notebook_home"
    shutil.rmtree(home, ignore_errors=True)
    os.environ["LINEA_HOME_DIR"] = str(home)
    print(
        f"\n$ jupyter nbconvert --execute {NOTEBOOK.relative_to(ROOT)}  (with %load_ext linea_core)"
    )
    run_notebook(home)
    import linea_core as lineapy

    model = lineapy.get("iris_model")
    if picture_only:
        model.visualize(str(PICTURE))
        print(f"wrote {PICTURE.relative_to(ROOT)}")
        return
    print("\nThe slice of iris_model saved by the notebook: the plot and df.head() are gone.\n")
    print(model.get_code())
    os.chdir(NOTEBOOK.parent)  # the notebook read data/iris.csv from its own folder
    value = model.execute()
    print(f"ok: the slice ran on its own in a fresh namespace ({value!r})")
    target = ROOT / "demo_output" / "iris_model_lineage.svg"
    model.visualize(str(target))
    print(f"lineage picture: {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
