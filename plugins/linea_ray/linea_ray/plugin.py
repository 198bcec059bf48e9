"""linea plugin: the ``RAY`` pipeline writer (cheap to import: the options model and
templates load only when a pipeline is written)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from linea_core.plugins import PipelineWriter, hookimpl

if TYPE_CHECKING:
    from linea_core.pipeline import Pipeline, PipelineFile
    from linea_ray.options import RayOptions


class RayWriter:
    """``<name>_ray.py`` (the Ray program), the module, the requirements (with Ray) and a
    Dockerfile running the program (see :mod:`linea_ray.program`)."""

    framework = "RAY"

    def options_model(self) -> type[RayOptions]:
        from linea_ray.options import RayOptions

        return RayOptions

    def render(self, pipeline: Pipeline, options: Any) -> list[PipelineFile]:
        from linea_ray.program import render_files

        return render_files(pipeline, options)


@hookimpl
def linea_register_pipeline_writers(register: Callable[[PipelineWriter], None]) -> None:
    register(RayWriter())
