"""``pipeline_dag_config`` for ``framework="DVC"``.

LineaPy's ``dag_flavor`` is accepted too (``StagePerArtifact``,
``SingleStageAllSessions``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePosixPath

from pydantic import Field, field_validator

from linea_core.pipeline import TaskBreakdown
from linea_core.pipeline.options import TaskedWriterOptions

_FLAVORS: Mapping[str, TaskBreakdown] = {
    "stageperartifact": TaskBreakdown.ARTIFACT,
    "stagepersession": TaskBreakdown.SESSION,
    "singlestageallsessions": TaskBreakdown.PIPELINE,
}


class DVCOptions(TaskedWriterOptions):
    """The keys ``pipeline_dag_config`` accepts for ``framework="DVC"``."""

    lineapy_flavors = _FLAVORS

    data_location: str | None = Field(
        default=None,
        description=(
            "Folder (relative to dvc.yaml) of the values stages hand on and of the "
            "artifacts' values, all declared as stage outputs; default <pipeline name>_data."
        ),
    )
    base_image: str | None = Field(
        default=None,
        description="Base image of the Dockerfile; default python:<X.Y>-slim as traced.",
    )

    @field_validator("data_location")
    @classmethod
    def _inside_the_repository(cls, value: str | None) -> str | None:
        if value is None:
            return value
        path = PurePosixPath(value)
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", value) or path.is_absolute() or ".." in path.parts or not path.parts:  # fmt: skip
            raise ValueError(
                "DVC tracks stage outputs inside the project: use a folder relative to "
                "dvc.yaml, such as 'data'"
            )
        return value
