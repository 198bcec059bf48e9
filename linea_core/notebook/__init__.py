"""The IPython extension: ``%load_ext linea_core`` traces every cell the shell runs.

It works wherever IPython runs cells (Jupyter Notebook and Lab, VS Code, plain
``ipython``, hosted notebooks); ``linea ipython`` / ``linea jupyter ...`` load it for
you, and an admin can load it for everyone with
``c.InteractiveShellApp.extensions = ["linea_core"]``. Only ``run_ast_nodes`` of the
shell instance is replaced (see :mod:`linea_core.notebook.tracer`); unloading puts it
back. The tracer lives on the shell it traces, never in this module.
"""

from __future__ import annotations

from typing import Any

from linea_core.notebook.tracer import LineaNotebookWarning, NotebookTracer

_ATTRIBUTE = "_linea_tracer"


def load_ipython_extension(ipython: Any) -> None:
    """Start tracing the cells of ``ipython`` (called by ``%load_ext linea_core``)."""
    if tracer_of(ipython) is not None:
        return  # loading twice is a no-op, as for any IPython extension
    from linea_core.context import LineaContext, current_context

    try:
        context = current_context()
    except Exception:  # pragma: no cover - a broken configuration is reported on use
        context = LineaContext()
    tracer = NotebookTracer(ipython, context)
    setattr(ipython, _ATTRIBUTE, tracer)
    tracer.install()


def unload_ipython_extension(ipython: Any) -> None:
    """Stop tracing; the session recorded so far is written to the store."""
    tracer = tracer_of(ipython)
    if tracer is None:
        return
    delattr(ipython, _ATTRIBUTE)
    tracer.uninstall()


def tracer_of(ipython: Any) -> NotebookTracer | None:
    """The tracer attached to ``ipython``, if the extension is loaded there."""
    tracer = getattr(ipython, _ATTRIBUTE, None)
    return tracer if isinstance(tracer, NotebookTracer) else None


__all__ = [
    "LineaNotebookWarning",
    "NotebookTracer",
    "load_ipython_extension",
    "tracer_of",
    "unload_ipython_extension",
]
