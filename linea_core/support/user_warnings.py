"""Warnings attributed to the user's line, not to the linea code that noticed the problem.

``warnings.warn(..., stacklevel=N)`` needs the caller to know how deep inside linea it
is, which changes whenever code moves. :func:`warn_user` walks out of ``linea_core``
itself, so the warning names the user's file and line (a script, a notebook cell, or
the code calling the API), and Python's warning filters see the user's module.
"""

from __future__ import annotations

import os
import sys
import warnings

from linea_core.errors import LineaWarning

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
# Frames of the interpreter's own import and runpy machinery are not the user's either.
_INTERNAL_PREFIXES = ("<frozen ", "<string>")


def _is_internal(filename: str) -> bool:
    return filename.startswith(_PACKAGE_DIR) or filename.startswith(_INTERNAL_PREFIXES)


def user_stacklevel() -> int:
    """The ``stacklevel`` that makes ``warnings.warn`` in the caller point at user code."""
    frame = sys._getframe(1)
    level = 1
    while frame.f_back is not None and _is_internal(frame.f_code.co_filename):
        frame = frame.f_back
        level += 1
    return level


def warn_user(message: str, category: type[Warning] = LineaWarning) -> None:
    """``warnings.warn`` at the first frame outside linea."""
    warnings.warn(message, category, stacklevel=user_stacklevel())
