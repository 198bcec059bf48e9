"""Options of the ``SCRIPT`` framework, validated from ``pipeline_dag_config``.

A module of its own so the plugin module stays cheap to import: pydantic is loaded
only when a pipeline is written.
"""

from __future__ import annotations

from pydantic import Field

from linea_core.pipeline.options import WriterOptions


class ScriptOptions(WriterOptions):
    """``pipeline_dag_config`` keys the SCRIPT framework accepts."""

    base_image: str | None = Field(
        default=None,
        description=(
            "Base image of the Dockerfile; default: python:<X.Y>-slim for the Python the "
            "artifacts were traced with."
        ),
    )
