"""Tracebacks that point at the user's lines, not at the engine running them.

An exception raised by user code travels through the engine's frames (the loop that
runs statements, ``exec``). Users must see the same traceback plain ``python`` prints,
so those frames are cut out of the chain; frames of user code and of the libraries it
called stay. Traceback objects are rebuilt with the documented ``types.TracebackType``
constructor; no frame internals are touched.
"""

from __future__ import annotations

import os
import sys
import types
from typing import TextIO

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_ENGINE_FILES = (
    os.path.join(_PACKAGE_DIR, "capture") + os.sep,
    os.path.join(_PACKAGE_DIR, "api", "tracing.py"),
    os.path.join(_PACKAGE_DIR, "cli", "python_cmd.py"),
)


def is_engine_frame(frame: types.FrameType) -> bool:
    filename = frame.f_code.co_filename
    return filename.startswith(_ENGINE_FILES)


def strip_engine_frames(tb: types.TracebackType | None) -> types.TracebackType | None:
    """The traceback chain without the engine's frames (a new chain; ``tb`` is unchanged)."""
    kept: list[types.TracebackType] = []
    while tb is not None:
        if not is_engine_frame(tb.tb_frame):
            kept.append(tb)
        tb = tb.tb_next
    result: types.TracebackType | None = None
    for item in reversed(kept):
        result = types.TracebackType(result, item.tb_frame, item.tb_lasti, item.tb_lineno)
    return result


def clean_exception(exc: BaseException) -> BaseException:
    """Strip engine frames from ``exc`` and from its causes and contexts, in place."""
    seen: set[int] = set()
    current: BaseException | None = exc
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        current.__traceback__ = strip_engine_frames(current.__traceback__)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                stack.append(linked)
    return exc


def print_user_exception(exc: BaseException, file: TextIO | None = None) -> None:
    """Report an uncaught exception the way the interpreter does (through sys.excepthook)."""
    clean_exception(exc)
    if file is None:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    else:  # pragma: no cover - used by callers that capture output
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__, file=file)
