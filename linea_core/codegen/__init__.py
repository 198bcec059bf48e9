"""Code generation: an artifact's slice as source text, and running that text alone."""

from __future__ import annotations

from linea_core.codegen.artifact_code import artifact_code, execute_artifact, run_slice
from linea_core.codegen.render import render_slice, session_code

__all__ = ["artifact_code", "execute_artifact", "render_slice", "run_slice", "session_code"]
