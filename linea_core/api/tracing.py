"""Driving the tracer from Python: ``linea_core.trace(...)``, ``tag``, ``file_system``, ``db``.

``trace`` is for tests, tools and people who run linea from their own code: it runs a
script or a code string under tracing in a fresh ``__main__`` namespace, exactly as
``linea python`` does, and returns the final variables and the artifacts saved.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from linea_core.api.recorded_code import record_session_code
from linea_core.capture.runtime import active_session
from linea_core.errors import LineaError, LineaWarning
from linea_core.graph.model import ExternalState

if TYPE_CHECKING:
    from linea_core.api.artifact import LineaArtifact
    from linea_core.capture.session import TracingSession
    from linea_core.graph.model import SessionGraph

file_system = ExternalState.FILE_SYSTEM
"""Pass to ``save`` to save the code that writes files (no value)."""

db = ExternalState.DB
"""Pass to ``save`` to save the code that writes to databases (no value)."""

CODE_FILENAME = "<linea trace>"


class GraphNotStoredWarning(LineaWarning):
    """A traced run's graph could not be stored after the user's code failed."""


class ScriptNotFoundError(LineaError, FileNotFoundError):
    """``trace`` was given a path to a script that does not exist."""


@dataclass
class TraceResult:
    """What a traced run left behind.

    ``values`` are the final variables (the namespace without dunder names);
    ``artifacts`` maps each name saved during the run to its (latest) artifact.
    """

    session: TracingSession
    values: dict[str, Any]
    artifacts: dict[str, LineaArtifact] = field(default_factory=dict)

    @property
    def graph(self) -> SessionGraph:
        return self.session.graph


def trace(
    code_or_path: str | os.PathLike[str],
    *,
    argv: list[str] | None = None,
    name: str | None = None,
) -> TraceResult:
    """Run a script (a path) or code (a string) under tracing, in a fresh namespace.

    A string is a path when it names an existing file or ends in ``.py`` and holds
    no newline; otherwise it is code (common leading indentation is removed, so an
    indented triple-quoted block works). ``argv`` becomes ``sys.argv[1:]``; ``name``
    names the session (as ``tag`` does). The user's exceptions propagate unchanged
    once the run has been recorded; ``sys.argv``, ``sys.path`` and
    ``sys.modules["__main__"]`` are restored afterwards.
    """
    from linea_core.capture.session import (
        TracingSession,
        read_script,
        script_environment,
    )
    from linea_core.capture.tracebacks import clean_exception

    path = _script_path(code_or_path)
    session = TracingSession(name=name, entry_path=os.path.abspath(path) if path else None)
    try:
        if path is not None:
            source = read_script(path)
            with script_environment(session, path, argv) as absolute:
                session.run_block(source, absolute)
        else:
            source = _code_text(code_or_path)
            with _code_environment(session, argv):
                session.run_block(source, CODE_FILENAME)
    except BaseException as exc:
        _close_quietly(session)
        # ``raise exc``, not a bare ``raise``: before 3.11 a bare raise re-raises the
        # traceback saved when the exception was caught, engine frames included
        raise clean_exception(exc)  # noqa: B904 - the user's exception, unchanged
    session.close()
    record_session_code(session)
    return TraceResult(session, session.values(), saved_artifacts(session))


def _close_quietly(session: TracingSession) -> None:
    """Close after the user's code failed: a store error must not hide their exception."""
    import warnings

    try:
        session.close()
    except Exception as exc:
        warnings.warn(
            f"linea could not store the session's graph: {exc}", GraphNotStoredWarning, stacklevel=3
        )
    else:
        record_session_code(session)


def tag(name: str) -> None:
    """Name the session being traced (shown with its artifacts).

    Outside a traced run there is no session to name and this does nothing, so a
    script using it still runs under plain ``python``.
    """
    if not isinstance(name, str) or not name.strip():
        raise LineaError(f"tag() needs a non-empty name, not {name!r}.")
    session = active_session()
    if session is not None:
        session.name = name


def _script_path(code_or_path: str | os.PathLike[str]) -> str | None:
    if isinstance(code_or_path, os.PathLike):
        path = os.fspath(code_or_path)
    elif isinstance(code_or_path, str):
        if "\n" in code_or_path:
            return None
        if os.path.isfile(code_or_path):
            return code_or_path
        if not code_or_path.endswith(".py"):
            return None
        path = code_or_path
    else:
        raise TypeError(
            f"trace() takes code (a str) or a script path, not {type(code_or_path).__name__}"
        )
    if not os.path.isfile(path):
        raise ScriptNotFoundError(f"No script at {path!r} (from {os.getcwd()}).")
    return path


def _code_text(code: str | os.PathLike[str]) -> str:
    text = str(code)
    first = next((line for line in text.splitlines() if line.strip()), "")
    if first[:1] in (" ", "\t"):
        text = textwrap.dedent(text)
    return text


@contextmanager
def _code_environment(session: TracingSession, argv: list[str] | None) -> Iterator[None]:
    """``__main__`` and ``sys.argv`` for code given as a string (as ``python -c``)."""
    saved_main = sys.modules.get("__main__")
    saved_argv = sys.argv
    if argv is not None:
        sys.argv = ["-c", *argv]
    if session.module is not None:
        sys.modules["__main__"] = session.module
    try:
        yield
    finally:
        sys.argv = saved_argv
        if saved_main is not None:
            sys.modules["__main__"] = saved_main


def saved_artifacts(session: TracingSession) -> dict[str, LineaArtifact]:
    """Each artifact name saved by the session -> its latest artifact (empty if none)."""
    store = session.store
    if store is None:
        return {}
    from linea_core.api.artifact import LineaArtifact

    found: dict[str, LineaArtifact] = {}
    for record in store.list_artifacts():
        if record.session_id == session.session_id:
            # later versions win; the session's graph is already in memory
            found[record.name] = LineaArtifact(record, store, graph=session.graph)
    return found
