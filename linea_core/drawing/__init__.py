"""Lineage pictures: a session's graph, or one artifact's slice inside it, drawn with graphviz.

Sits beside codegen: it reads the graph model and asks slicing which nodes a slice
keeps; the API (``LineaArtifact.visualize``) and the notebook (``lineapy.visualize``)
decide where a picture goes.
"""

from __future__ import annotations

from linea_core.drawing.picture import (
    ArtifactMark,
    Picture,
    artifact_picture,
    build_dot,
    session_picture,
    shorten,
)
from linea_core.drawing.render import DOT_HINT, FORMATS, DrawingError, to_file, to_svg

__all__ = [
    "DOT_HINT",
    "FORMATS",
    "ArtifactMark",
    "DrawingError",
    "Picture",
    "artifact_picture",
    "build_dot",
    "session_picture",
    "shorten",
    "to_file",
    "to_svg",
]
