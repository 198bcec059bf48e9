"""Rendering pictures to SVG text or to a file, with one clear line when graphviz is missing."""

from __future__ import annotations

import os
from pathlib import Path

from linea_core.drawing.picture import Picture, build_dot
from linea_core.errors import LineaError
from linea_core.support.atomic_files import write_bytes_atomically

#: File extensions a picture can be written as, and graphviz's name for each format.
FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf"}

DOT_HINT = (
    "install graphviz's `dot` program: `apt-get install graphviz` (Debian/Ubuntu), "
    "`brew install graphviz` (macOS), `conda install graphviz` or see https://graphviz.org/download/"
)


class DrawingError(LineaError):
    """A lineage picture could not be drawn (graphviz missing, unknown file type)."""


def to_svg(picture: Picture) -> str:
    """The picture as SVG text."""
    return _pipe(picture, "svg").decode("utf-8")


def to_file(picture: Picture, path: str | os.PathLike[str]) -> Path:
    """Write the picture to ``path``, as SVG, PNG or PDF by its extension."""
    target = Path(path)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise DrawingError(
            f"cannot draw to {str(target)!r}: give a path ending in "
            f"{', '.join(FORMATS)} (the picture's format is taken from it)."
        )
    data = _pipe(picture, fmt)
    write_bytes_atomically(target, data)
    return target


def _pipe(picture: Picture, fmt: str) -> bytes:
    try:
        import graphviz
    except ImportError:
        raise DrawingError(
            "drawing lineage needs the `graphviz` Python package: "
            "pip install 'linea-core[notebook]' (and " + DOT_HINT + ")."
        ) from None
    dot = build_dot(picture)
    try:
        data: bytes = dot.pipe(format=fmt)
    except graphviz.ExecutableNotFound:
        raise DrawingError(f"graphviz's `dot` was not found on PATH; {DOT_HINT}.") from None
    except graphviz.CalledProcessError as exc:
        raise DrawingError(f"graphviz's `dot` failed: {exc}") from None
    return data
