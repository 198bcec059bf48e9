"""linea plugin: the ``DVC`` pipeline writer (cheap to import: the options model and
templates load only when a pipeline is written)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from linea_core.plugins import PipelineWriter, hookimpl

if TYPE_CHECKING:
    from linea_core.pipeline import Pipeline, PipelineFile
    from linea_dvc.options import DVCOptions


class DVCWriter:
    """``dvc.yaml``, ``params.yaml``, ``task_<stage>.py`` per stage, the module, the
    requirements and a Dockerfile running ``dvc repro`` (see :mod:`linea_dvc.stages`)."""

    framework = "DVC"

    def options_model(self) -> type[DVCOptions]:
        from linea_dvc.options import DVCOptions

        return DVCOptions

    def render(self, pipeline: Pipeline, options: Any) -> list[PipelineFile]:
        from linea_dvc.stages import render_files

        return render_files(pipeline, options)


@hookimpl
def linea_register_pipeline_writers(register: Callable[[PipelineWriter], None]) -> None:
    register(DVCWriter())
