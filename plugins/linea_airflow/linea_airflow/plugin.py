"""linea plugin: the ``AIRFLOW`` pipeline writer.

Registered through the ``linea`` entry point. This module stays cheap to import (hooks
run at every ``linea`` command): the options model and jinja2 load only when a
pipeline is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from linea_core.plugins import PipelineWriter, hookimpl

if TYPE_CHECKING:
    from linea_airflow.options import AirflowOptions
    from linea_core.pipeline import Pipeline, PipelineFile


class AirflowWriter:
    """``<name>_module.py``, ``<name>_dag.py``, ``<name>_requirements.txt`` and
    ``<name>_Dockerfile`` (see :mod:`linea_airflow.dag` for the DAG)."""

    framework = "AIRFLOW"

    def options_model(self) -> type[AirflowOptions]:
        from linea_airflow.options import AirflowOptions

        return AirflowOptions

    def render(self, pipeline: Pipeline, options: Any) -> list[PipelineFile]:
        from linea_airflow.dag import render_files

        return render_files(pipeline, options)


@hookimpl
def linea_register_pipeline_writers(register: Callable[[PipelineWriter], None]) -> None:
    register(AirflowWriter())
