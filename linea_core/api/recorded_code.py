"""Artifact code computed once and kept in the store, so ``get_code()`` does not grow with
the session.

Slicing an artifact of a 10,000-statement session means reading and decoding the whole
session graph and walking it: most of a second, in every process that asks. The code
only changes when its inputs do, so it is kept (``artifact_code`` table) once computed,
stamped with what it was computed from:

- the ``get_code`` options it was rendered with (:func:`variant`); the
  ``use_lineapy_serialization=False`` form is never kept, because it names where values
  are stored now, which deletes and moves change;
- the slicing engine (:func:`engine_key`): linea's version, the Python version, and a
  hash of the source of the packages that turn a graph into code, so a linea with other
  slicing rules (an upgrade, or a developer's edit) computes the code again;
- the session graph's revision, which every write of that graph bumps (a notebook
  session still running keeps adding cells, which may make earlier slices larger).

Code is recorded when a session ends (:func:`record_session_code`, called by
``trace``, ``linea python`` and the notebook extension), for the latest version of each
name it saved, and otherwise by the first ``get_code()`` that computes it from the
stored graph. A
store that cannot be written (read-only) just computes it every time, as before.
"""

from __future__ import annotations

import hashlib
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linea_core.capture.session import TracingSession

log = logging.getLogger(__name__)

#: The packages whose code decides what an artifact's code is, given its graph.
ENGINE_PACKAGES = ("graph", "syntax", "slicing", "codegen")


def variant(keep_lineapy_save: bool, include_non_slice_as_comment: bool) -> str:
    """The key of one rendering of an artifact's code (``get_code``'s options)."""
    return f"save={int(keep_lineapy_save)};comments={int(include_non_slice_as_comment)}"


#: ``get_code()`` with its default options: what is recorded when a session ends.
DEFAULT_VARIANT = variant(False, False)


def engine_key() -> str:
    """Which slicing engine computed a piece of code: linea's version, the Python
    version (``ast`` differs between them) and a hash of the engine's source files.

    Reading about 200 KB of source costs about a millisecond, much less than importing
    the engine, which the path that finds recorded code never does.
    """
    import linea_core

    root = Path(linea_core.__file__).parent
    digest = hashlib.sha256()
    for package in ENGINE_PACKAGES:
        for path in sorted((root / package).glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return f"{linea_core.__version__}/py{python}/{digest.hexdigest()[:32]}"


def record_session_code(session: TracingSession) -> None:
    """After ``session`` ended: record the default code of the latest version of each
    artifact it saved.

    The session's graph in memory is then exactly the stored one, so each artifact is
    sliced from it (one slicer for all, sharing parsed statements) and the code is
    stamped with the stored revision. Nothing here may fail the user's run: an
    artifact whose code cannot be computed is left for ``get_code()`` to report, and a
    store that cannot be written is left as it is.
    """
    store = session.store
    if store is None or not session.closed:
        return
    try:
        records = store.session_artifacts(session.session_id)
    except Exception as exc:  # a store gone away: get_code() computes the code later
        log.debug("linea could not list the session's artifacts to record code: %s", exc)
        return
    # The latest version of each name only: a loop saving a checkpoint per epoch would
    # otherwise slice the session once per version when it ends; older versions are
    # recorded by their first get_code().
    latest = {record.name: record for record in records}  # by name, then version
    traced = [record for record in latest.values() if record.slice_root is not None]
    if not traced:
        return
    from linea_core.codegen import artifact_code
    from linea_core.slicing import Slicer

    graph = session.graph
    slicer = Slicer(graph)
    codes: dict[int, str] = {}
    for record in traced:
        assert record.slice_root is not None
        try:
            codes[record.id] = artifact_code(
                graph, record.slice_root, artifact_name=record.name, slicer=slicer
            )
        except Exception as exc:  # get_code() raises it for the user, with context
            log.debug("linea could not slice artifact %r: %s", record.name, exc)
    try:
        store.record_code(
            session.session_id, codes, variant=DEFAULT_VARIANT, engine=engine_key(), revision=None
        )
    except Exception as exc:
        log.debug("linea could not record artifact code: %s", exc)
