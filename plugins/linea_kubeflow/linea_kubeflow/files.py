"""The files of a Kubeflow pipeline, rendered from linea's pipeline model.

``<name>_dag.py`` is rendered first (and formatted); the compiled YAML embeds each
component's source exactly as it is written there, so the two always agree.
"""

from __future__ import annotations

from typing import Any

from linea_core.pipeline import (
    Pipeline,
    PipelineFile,
    load_template,
    module_file,
    requirements_file,
)
from linea_kubeflow import KFP_VERSION
from linea_kubeflow.components import component_graph
from linea_kubeflow.dag import (
    component_sources,
    description,
    image,
    pipeline_id,
    render_dag,
    yaml_file,
)
from linea_kubeflow.spec import render_yaml


def render_dockerfile(pipeline: Pipeline, options: Any) -> str:
    python = pipeline.python_version or "3.11"
    return str(
        load_template("linea_kubeflow", "Dockerfile.j2").render(
            name=pipeline.name,
            module_name=pipeline.module_name,
            image=image(pipeline, options),
            base_image=options.base_image or f"python:{python}-slim",
            kfp_version=KFP_VERSION,
        )
    )


def render_files(pipeline: Pipeline, options: Any) -> list[PipelineFile]:
    graph = component_graph(pipeline, options.breakdown)
    dag = render_dag(pipeline, options, graph)
    sources = component_sources(dag, [c.function for c in graph.components])
    compiled = render_yaml(
        pipeline,
        options,
        graph,
        sources,
        name=pipeline_id(pipeline, options),
        description=description(pipeline, graph),
        image=image(pipeline, options),
    )
    return [
        module_file(pipeline),
        requirements_file(pipeline),
        PipelineFile(f"{pipeline.name}_dag.py", dag, "Kubeflow pipeline file"),
        PipelineFile(yaml_file(pipeline), compiled, "compiled Kubeflow pipeline"),
        PipelineFile(
            f"{pipeline.name}_Dockerfile", render_dockerfile(pipeline, options), "Docker file"
        ),
    ]
