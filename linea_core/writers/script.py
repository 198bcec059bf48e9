"""The ``SCRIPT`` framework: the pipeline as a Python script, plus its requirements and a
Dockerfile that runs it.

A built-in plugin written only against the public writer API (``linea_core.plugins``
and ``linea_core.pipeline``), registered through ``linea_register_pipeline_writers``
exactly as ``linea-airflow`` registers its writer. ``docs/plugins.md`` uses it as the
worked example.

Every process that asks the plugin host anything (``lineapy.get`` included) imports this
module, so it imports ``linea_core.pipeline`` only inside ``render``: registering the
writer costs nothing to a process that never writes a pipeline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from linea_core.plugins import PipelineWriter, hookimpl

if TYPE_CHECKING:
    from linea_core.pipeline import Pipeline, PipelineFile
    from linea_core.writers.script_options import ScriptOptions


class ScriptWriter:
    """``<name>_module.py`` (runnable: ``python <name>_module.py --param value``),
    ``<name>_requirements.txt`` and ``<name>_Dockerfile``."""

    framework = "SCRIPT"

    def options_model(self) -> type[ScriptOptions]:
        from linea_core.writers.script_options import ScriptOptions

        return ScriptOptions

    def render(self, pipeline: Pipeline, options: Any) -> list[PipelineFile]:
        # Imported here, not at module level: every process that touches the plugin host
        # (``lineapy.get`` included) imports this module, only pipeline writing needs these.
        from linea_core.pipeline import PipelineFile, load_template, module_file, requirements_file

        base_image = options.base_image or f"python:{pipeline.python_version}-slim"
        dockerfile = load_template("linea_core.writers", "script_dockerfile.j2").render(
            name=pipeline.name,
            module_name=pipeline.module_name,
            base_image=base_image,
            parameters=pipeline.parameters,
        )
        return [
            module_file(pipeline),
            requirements_file(pipeline),
            PipelineFile(f"{pipeline.name}_Dockerfile", dockerfile, "Docker file"),
        ]


@hookimpl
def linea_register_pipeline_writers(register: Callable[[PipelineWriter], None]) -> None:
    register(ScriptWriter())
