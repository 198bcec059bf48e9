"""linea plugin: the ``ARGO`` pipeline writer.

Registered through the ``linea`` entry point. This module stays cheap to import (hooks
run at every ``linea`` command): the options model, jinja2 and PyYAML load only when a
pipeline is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from linea_core.plugins import PipelineWriter, hookimpl

if TYPE_CHECKING:
    from linea_argo.options import ArgoOptions
    from linea_core.pipeline import Pipeline, PipelineFile


class ArgoWriter:
    """``<name>_module.py``, ``<name>_argo.py`` (hera), ``<name>_argo.yaml`` (the
    manifest), ``<name>_requirements.txt`` and ``<name>_Dockerfile`` (the image the
    steps run in); see :mod:`linea_argo.workflow`."""

    framework = "ARGO"

    def options_model(self) -> type[ArgoOptions]:
        from linea_argo.options import ArgoOptions

        return ArgoOptions

    def render(self, pipeline: Pipeline, options: Any) -> list[PipelineFile]:
        from linea_argo.files import render_files

        return render_files(pipeline, options)


@hookimpl
def linea_register_pipeline_writers(register: Callable[[PipelineWriter], None]) -> None:
    register(ArgoWriter())
