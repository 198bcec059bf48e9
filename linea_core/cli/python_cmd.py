"""``linea python [OPTIONS] SCRIPT [ARGS]...``: run a script under linea, then print or export slices.

The script must behave exactly as under plain ``python``: same ``sys.argv``,
``__file__``, ``__name__``, ``sys.path[0]``, stdout, stderr (byte for byte: warnings as
Python prints them, a SyntaxError without linea's frames), exit code and exceptions (a
traceback of the user's frames only, exit status 1). As with ``python``, everything
after the script's name belongs to the script: linea's own options come before it.
"""

from __future__ import annotations

import os
import signal
import sys
import warnings
from typing import Any

import click


@click.command(
    "python",
    # Options after SCRIPT are the script's own (`linea python --slice m train.py --epochs 3`).
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@click.argument("script", type=click.Path(dir_okay=False))
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.option(
    "--slice",
    "slices",
    multiple=True,
    metavar="NAME",
    help="Print the code slice of the artifact NAME saved by the script (repeatable).",
)
@click.option(
    "--export-slice",
    "exports",
    multiple=True,
    metavar="FILE",
    help="Also write the slice of the matching --slice (in order) to FILE (.py added if "
    "missing); the slice is printed either way.",
)
@click.option("--print-source", is_flag=True, help="Print the script's source after it ran.")
@click.option("--print-graph", is_flag=True, help="Print the recorded graph after the script ran.")
def python_cmd(
    script: str,
    args: tuple[str, ...],
    slices: tuple[str, ...],
    exports: tuple[str, ...],
    print_source: bool,
    print_graph: bool,
) -> None:
    """Run SCRIPT with ARGS under linea, then print or export the slices of its artifacts."""
    if exports and len(exports) != len(slices):
        raise click.UsageError(
            f"--export-slice was given {len(exports)} time(s) but --slice {len(slices)} time(s); "
            "give one FILE per NAME, in the same order."
        )
    if not os.path.isfile(script):
        # plain python's message and status for a missing script
        click.echo(
            f"{sys.executable}: can't open file {os.path.abspath(script)!r}: "
            "[Errno 2] No such file or directory",
            err=True,
        )
        sys.exit(2)

    from linea_core.capture.session import TracingSession, read_script, script_environment
    from linea_core.capture.tracebacks import clean_exception

    source = read_script(script)
    session = TracingSession(entry_path=os.path.abspath(script))
    exit_code: Any = None
    try:
        with (
            warnings.catch_warnings(),
            script_environment(session, script, list(args), restore=False) as absolute,
        ):
            warnings.showwarning = _show_warning_like_python
            session.run_block(source, absolute)
    except SystemExit as exc:
        exit_code = exc.code
        if exit_code not in (None, 0):
            _close(session)
            raise
    except KeyboardInterrupt as exc:
        _close(session)
        _report(clean_exception(exc))
        _die_of_sigint()
    except BaseException as exc:  # noqa: BLE001 - reported as the interpreter would
        _close(session)
        _report(_as_python_reports(clean_exception(exc), os.path.abspath(script)))
        sys.exit(1)
    _close(session)

    if print_source:
        click.echo(source, nl=not source.endswith("\n"))
    if print_graph:
        click.echo(format_graph(session))
    if slices:
        _emit_slices(session, script, slices, exports)
    if exit_code not in (None, 0):  # pragma: no cover - handled above
        sys.exit(exit_code)


def _close(session: Any) -> None:
    try:
        session.close()
    except Exception as exc:  # the script's own outcome matters more
        click.echo(f"linea: could not store the session's graph: {exc}", err=True)
        return
    from linea_core.api.recorded_code import record_session_code

    record_session_code(session)


def _show_warning_like_python(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """What CPython's default ``warnings.showwarning`` writes, and nothing more."""
    stream = file if file is not None else sys.stderr
    if stream is None:
        return
    try:
        stream.write(warnings.formatwarning(message, category, filename, lineno, line))
    except OSError:
        pass


def _as_python_reports(exc: BaseException, script: str) -> BaseException:
    """The exception as ``python`` would show it.

    A script that does not parse never runs under ``python``: its SyntaxError comes
    with no traceback at all, where linea's came from parsing the source in its own
    frames. A SyntaxError raised while the script runs (``compile``, an import) keeps
    the script's frames.
    """
    if isinstance(exc, SyntaxError) and not _frames_in(exc.__traceback__, script):
        return exc.with_traceback(None)
    return exc


def _frames_in(tb: Any, filename: str) -> bool:
    while tb is not None:
        if os.path.abspath(tb.tb_frame.f_code.co_filename) == filename:
            return True
        tb = tb.tb_next
    return False


def _report(exc: BaseException) -> None:
    sys.stdout.flush()
    sys.excepthook(type(exc), exc, exc.__traceback__)
    sys.stderr.flush()


def _die_of_sigint() -> None:
    """Exit as CPython does on an uncaught KeyboardInterrupt: killed by SIGINT."""
    sys.stdout.flush()
    sys.stderr.flush()
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    sys.exit(130)  # pragma: no cover - only where SIGINT cannot be delivered


def _emit_slices(
    session: Any, script: str, slices: tuple[str, ...], exports: tuple[str, ...]
) -> None:
    from linea_core.api.tracing import saved_artifacts

    artifacts = saved_artifacts(session)
    missing = [name for name in slices if name not in artifacts]
    if missing:
        saved = ", ".join(sorted(artifacts)) or "none"
        raise click.ClickException(
            f"{script} saved no artifact named {', '.join(map(repr, missing))} "
            f"(artifacts saved by this run: {saved})."
        )
    for position, name in enumerate(slices):
        code = artifacts[name].get_code()
        click.echo(code, nl=not code.endswith("\n"))
        if exports:
            target = exports[position]
            if not target.endswith(".py"):
                target += ".py"
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(code)
            click.echo(f"linea: wrote the slice of {name!r} to {target}", err=True)


def format_graph(session: Any) -> str:
    """One line per node: id, kind, where, first line of source, and what it uses."""
    graph = session.graph
    out: list[str] = [f"session {graph.session_id} ({len(graph.nodes)} nodes)"]
    for node in graph.nodes:
        block = graph.blocks[node.block]
        where = (
            f"{block.filename}:{node.lineno}"
            if node.lineno == node.end_lineno
            else f"{block.filename}:{node.lineno}-{node.end_lineno}"
        )
        first = node.source.splitlines()[0] if node.source else ""
        if len(node.source.splitlines()) > 1:
            first += " ..."
        uses = ", ".join(
            f"{edge.producer}({','.join(sorted(edge.names)) or '*'})" for edge in node.deps
        )
        line = f"[{node.id}] {node.kind.value:<12} {where}  {first}"
        if uses:
            line += f"   <- {uses}"
        if node.external_writes:
            line += "   writes " + ",".join(sorted(s.value for s in node.external_writes))
        if node.note:
            line += f"   # {node.note}"
        out.append(line)
    return "\n".join(out)
