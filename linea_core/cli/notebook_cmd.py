"""Notebook commands: ``linea ipython``, ``linea jupyter ...``, ``linea notebook``, ``linea file``.

The launchers start the real tools with the extension loaded and never touch the
user's own IPython profile or kernels: ``ipython`` gets ``--ext=linea_core``; for
Jupyter, a temporary ``python3`` kernelspec whose kernels load the extension is put
first on ``JUPYTER_PATH`` for the server's lifetime only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import click

# Everything after the command goes to the tool, except linea's own --help.
_PASS_THROUGH = {"ignore_unknown_options": True, "allow_extra_args": True}
_SAVE_NAME = "_linea_cli"


@click.command("ipython", context_settings=_PASS_THROUGH)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def ipython_cmd(args: tuple[str, ...]) -> None:
    """Start IPython with linea tracing every cell; ARGS go to ipython.

    `linea ipython -- --help` shows ipython's own help.
    """
    _require("IPython", "ipython")
    command = [sys.executable, "-m", "IPython", "--ext=linea_core", *args]
    sys.exit(subprocess.call(command))


@click.command("jupyter", context_settings=_PASS_THROUGH)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def jupyter_cmd(args: tuple[str, ...]) -> None:
    """Run `jupyter lab`, `jupyter notebook` (any jupyter command) with linea in its kernels.

    The Python 3 kernels it starts load the extension; your own IPython profile and
    Jupyter kernels are left as they are. `linea jupyter -- --help` shows jupyter's help.
    """
    _require("jupyter_core", "jupyter")
    _require("ipykernel", "ipykernel")
    folder = Path(tempfile.mkdtemp(prefix="linea-jupyter-"))
    try:
        write_kernelspec(folder)
        env = dict(os.environ)
        env["JUPYTER_PATH"] = os.pathsep.join(
            p for p in (str(folder), os.environ.get("JUPYTER_PATH", "")) if p
        )
        code = subprocess.call([sys.executable, "-m", "jupyter", *args], env=env)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(code)


def write_kernelspec(data_dir: Path) -> Path:
    """A ``python3`` kernelspec under ``data_dir/kernels`` whose kernels load linea."""
    spec_dir = data_dir / "kernels" / "python3"
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
            "--ext=linea_core",
        ],
        "display_name": "Python 3 (ipykernel) with linea",
        "language": "python",
        "metadata": {"debugger": True},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1))
    return spec_dir


@click.command("notebook")
@click.argument("notebook", type=click.Path(exists=True, dir_okay=False))
@click.argument("artifact_name")
@click.argument("artifact_value")
def notebook_cmd(notebook: str, artifact_name: str, artifact_value: str) -> None:
    """Run NOTEBOOK under linea, save the expression ARTIFACT_VALUE as ARTIFACT_NAME, print its code.

    Cells run in order in the notebook's folder, as in Jupyter; the first cell that
    raises stops the run (exit status 1).
    """
    _require("IPython", "ipython")
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell

    from linea_core.notebook import load_ipython_extension

    path = Path(notebook).resolve()
    nb = nbformat.read(str(path), as_version=4)
    previous = os.getcwd()
    os.chdir(path.parent)
    shell = InteractiveShell.instance()

    def run(source: str) -> bool:
        """Run one cell; its output is shown (on stderr) only when it fails."""
        from IPython.utils.capture import capture_output

        with capture_output(display=False) as captured:
            ok: bool = shell.run_cell(source, store_history=True).success
        if not ok:
            sys.stderr.write(captured.stdout + captured.stderr)
        return ok

    try:
        load_ipython_extension(shell)
        for number, cell in enumerate(nb.cells, start=1):
            if cell.cell_type != "code" or cell.source.strip() in ("%load_ext linea_core", ""):
                continue
            if not run(cell.source):
                raise click.ClickException(
                    f"cell {number} of {notebook} raised; nothing was saved."
                )
        code = _save_and_slice(run, artifact_name, artifact_value)
    finally:
        os.chdir(previous)
    click.echo(code, nl=not code.endswith("\n"))


@click.command("file")
@click.argument("script", type=click.Path(exists=True, dir_okay=False))
@click.argument("artifact_name")
@click.argument("artifact_value")
def file_cmd(script: str, artifact_name: str, artifact_value: str) -> None:
    """Run SCRIPT under linea, save the expression ARTIFACT_VALUE as ARTIFACT_NAME, print its code."""
    from linea_core.capture.session import TracingSession, read_script, script_environment
    from linea_core.capture.tracebacks import print_user_exception

    session = TracingSession(entry_path=os.path.abspath(script))

    def run(source: str) -> bool:
        try:
            session.run_block(source, f"<linea file {artifact_name}>")
        except BaseException as exc:  # noqa: BLE001 - reported as the interpreter would
            print_user_exception(exc)
            return False
        return True

    try:
        with script_environment(session, script, []) as absolute:
            try:
                session.run_block(read_script(script), absolute)
            except BaseException as exc:  # noqa: BLE001
                print_user_exception(exc)
                raise click.ClickException(f"{script} raised; nothing was saved.") from None
            code = _save_and_slice(run, artifact_name, artifact_value)
    finally:
        session.close()
    click.echo(code, nl=not code.endswith("\n"))


def _save_and_slice(run: Callable[[str], bool], name: str, expression: str) -> str:
    """Save ``expression`` as ``name`` in the traced code; its slice."""
    from linea_core.store.names import validate_artifact_name

    validate_artifact_name(name)
    try:
        compile(expression, "<artifact value>", "eval")
    except SyntaxError as exc:
        raise click.BadParameter(
            f"{expression!r} is not a Python expression ({exc.msg})."
        ) from None
    source = f"import linea_core as {_SAVE_NAME}\n{_SAVE_NAME}.save({expression}, {name!r});"
    if not run(source):
        raise click.ClickException(f"saving {expression!r} as {name!r} failed (see above).")
    from linea_core.api.functions import get

    return get(name).get_code()


def _require(module: str, package: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise click.ClickException(
            f"this command needs {package}: pip install 'linea-core[jupyter]'"
        )
