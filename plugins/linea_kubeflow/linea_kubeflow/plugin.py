"""linea plugin: the ``KUBEFLOW`` pipeline writer.

Registered through the ``linea`` entry point. This module stays cheap to import (hooks
run at every ``linea`` command): the options model, jinja2 and PyYAML load only when a
pipeline is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from linea_core.plugins import PipelineWriter, hookimpl

if TYPE_CHECKING:
    from linea_core.pipeline import Pipeline, PipelineFile
    from linea_kubeflow.options import KubeflowOptions


class KubeflowWriter:
    """``<name>_dag.py`` (the kfp 2 pipeline), ``<name>_pipeline.yaml`` (compiled),
    ``<name>_module.py``, ``<name>_requirements.txt`` and ``<name>_Dockerfile`` (the
    image the components run in); see :mod:`linea_kubeflow.files`."""

    framework = "KUBEFLOW"

    def options_model(self) -> type[KubeflowOptions]:
        from linea_kubeflow.options import KubeflowOptions

        return KubeflowOptions

    def render(self, pipeline: Pipeline, options: Any) -> list[PipelineFile]:
        from linea_kubeflow.files import render_files

        return render_files(pipeline, options)


@hookimpl
def linea_register_pipeline_writers(register: Callable[[PipelineWriter], None]) -> None:
    register(KubeflowWriter())
