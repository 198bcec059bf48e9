"""``<name>_pipeline.yaml``: the compiled pipeline (kfp's IR, a ``PipelineSpec``).

kfp's compiler turns ``<name>_dag.py`` into this document; linea writes it from the
same component sources instead, so generating a pipeline needs no kfp (whose exact pins
of requests and urllib3 would fight the user's environment). The document is what
kfp's compiler produces for these components (schema 2.1.0): the tests compile the
generated ``_dag.py`` with the real kfp and check both documents are the same, then
run this one with kfp's local runner.

Each component becomes ``comp-<name>`` with its input and output definitions, an
executor running the embedded function source with ``kfp.dsl.executor_main`` in the
configured image, and a task of the root DAG wired to the pipeline parameters and to
the upstream tasks' output artifacts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from linea_core.pipeline import Parameter, ParameterType, Pipeline
from linea_kubeflow import KFP_VERSION
from linea_kubeflow.components import Component, ComponentGraph

SCHEMA_VERSION = "2.1.0"
_ARTIFACT_TYPE = {"schemaTitle": "system.Artifact", "schemaVersion": "0.0.1"}
_PARAMETER_TYPES = {
    ParameterType.STR: "STRING",
    ParameterType.INT: "NUMBER_INTEGER",
    ParameterType.FLOAT: "NUMBER_DOUBLE",
    ParameterType.BOOL: "BOOLEAN",
    ParameterType.LITERAL: "STRING",
}
# The executor of a lightweight Python component: write the embedded source to a file
# and run it with kfp's executor (kfp.dsl.component_factory, as kfp 2 compiles it).
_PROGRAM = (
    "program_path=$(mktemp -d)\n\n"
    'printf "%s" "$0" > "$program_path/ephemeral_component.py"\n'
    "_KFP_RUNTIME=true python3 -m kfp.dsl.executor_main"
    "                         --component_module_path"
    '                         "$program_path/ephemeral_component.py"'
    '                         "$@"\n'
)
_SOURCE_PREAMBLE = (
    "\nimport kfp\nfrom kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *\n\n"
)


class _Dumper(yaml.SafeDumper):
    """PyYAML's own string style, whatever another library (hera) registered on
    SafeDumper in the same process: the YAML must be kfp's, byte for byte."""


_Dumper.add_representer(str, yaml.representer.SafeRepresenter.represent_str)


def _artifacts(names: list[str]) -> dict[str, Any]:
    return {name: {"artifactType": dict(_ARTIFACT_TYPE)} for name in names}


def _definitions(artifacts: list[str], parameters: Mapping[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if artifacts:
        found["artifacts"] = _artifacts(artifacts)
    if parameters:
        found["parameters"] = dict(parameters)
    return found


def _default(parameter: Parameter) -> Any:
    """The default as the IR holds it: numbers are doubles (protobuf ``Value``)."""
    if parameter.type is ParameterType.LITERAL:
        return parameter.default_source
    if parameter.type is ParameterType.INT:
        return float(parameter.default)
    return parameter.default


def _component_spec(component: Component) -> dict[str, Any]:
    spec: dict[str, Any] = {"executorLabel": f"exec-{component.kfp_name}"}
    inputs = _definitions(
        [port.argument for port in component.inputs],
        {p.name: {"parameterType": _PARAMETER_TYPES[p.type]} for p in component.parameters},
    )
    if inputs:
        spec["inputDefinitions"] = inputs
    outputs = _definitions(list(component.output_keys), {})
    if outputs:
        spec["outputDefinitions"] = outputs
    return spec


def _executor(component: Component, source: str, image: str) -> dict[str, Any]:
    return {
        "container": {
            "args": ["--executor_input", "{{$}}", "--function_to_execute", component.function],
            "command": ["sh", "-ec", _PROGRAM, _SOURCE_PREAMBLE + source + "\n"],
            "image": image,
        }
    }


def _task(component: Component, graph: ComponentGraph, caching: bool) -> dict[str, Any]:
    names = {c.function: c.kfp_name for c in graph.components}
    task: dict[str, Any] = {
        "cachingOptions": {"enableCache": True} if caching else {},
        "componentRef": {"name": f"comp-{component.kfp_name}"},
    }
    upstream = {port.producer for port in component.inputs} | set(component.after)
    if upstream:
        task["dependentTasks"] = sorted(names[name] for name in upstream)
    inputs: dict[str, Any] = {}
    if component.inputs:
        inputs["artifacts"] = {
            port.argument: {
                "taskOutputArtifact": {
                    "outputArtifactKey": port.key,
                    "producerTask": names[port.producer],
                }
            }
            for port in component.inputs
        }
    if component.parameters:
        inputs["parameters"] = {
            p.name: {"componentInputParameter": p.name} for p in component.parameters
        }
    if inputs:
        task["inputs"] = inputs
    task["taskInfo"] = {"name": component.kfp_name}
    return task


def pipeline_spec(
    pipeline: Pipeline,
    options: Any,
    graph: ComponentGraph,
    sources: Mapping[str, str],
    *,
    name: str,
    description: str,
    image: str,
) -> dict[str, Any]:
    """The PipelineSpec of the generated pipeline, as a plain mapping."""
    names = {c.function: c.kfp_name for c in graph.components}
    dag: dict[str, Any] = {}
    if graph.outputs:
        dag["outputs"] = {
            "artifacts": {
                output: {
                    "artifactSelectors": [
                        {"outputArtifactKey": key, "producerSubtask": names[function]}
                    ]
                }
                for output, (function, key) in graph.outputs.items()
            }
        }
    dag["tasks"] = {c.kfp_name: _task(c, graph, options.enable_caching) for c in graph.components}
    root: dict[str, Any] = {"dag": dag}
    parameters = sorted(pipeline.parameters, key=lambda p: p.name)
    if parameters:
        root["inputDefinitions"] = {
            "parameters": {
                p.name: {
                    "defaultValue": _default(p),
                    "isOptional": True,
                    "parameterType": _PARAMETER_TYPES[p.type],
                }
                for p in parameters
            }
        }
    if graph.outputs:
        root["outputDefinitions"] = {"artifacts": _artifacts(list(graph.outputs))}
    spec: dict[str, Any] = {
        "components": {f"comp-{c.kfp_name}": _component_spec(c) for c in graph.components},
    }
    if options.pipeline_root:
        spec["defaultPipelineRoot"] = options.pipeline_root
    spec["deploymentSpec"] = {
        "executors": {
            f"exec-{c.kfp_name}": _executor(c, sources[c.function], image) for c in graph.components
        }
    }
    spec["pipelineInfo"] = {"description": description, "name": name}
    spec["root"] = root
    spec["schemaVersion"] = SCHEMA_VERSION
    spec["sdkVersion"] = f"kfp-{KFP_VERSION}"
    return spec


def _header(pipeline: Pipeline, graph: ComponentGraph, name: str, description: str) -> str:
    """The summary kfp's compiler puts at the top of the file."""
    lines = ["# PIPELINE DEFINITION", f"# Name: {name}", f"# Description: {description}"]
    parameters = sorted(pipeline.parameters, key=lambda p: p.name)
    if parameters:
        lines.append("# Inputs:")
        for p in parameters:
            kind = {ParameterType.LITERAL: "str"}.get(p.type, p.type.value)
            lines.append(f"#    {p.name}: {kind} [Default: {_default(p)!r}]")
    if graph.outputs:
        lines.append("# Outputs:")
        lines.extend(f"#    {output}: system.Artifact" for output in sorted(graph.outputs))
    return "\n".join(lines) + "\n"


def render_yaml(
    pipeline: Pipeline,
    options: Any,
    graph: ComponentGraph,
    sources: Mapping[str, str],
    *,
    name: str,
    description: str,
    image: str,
) -> str:
    spec = pipeline_spec(
        pipeline, options, graph, sources, name=name, description=description, image=image
    )
    body = yaml.dump(spec, Dumper=_Dumper, sort_keys=True, default_flow_style=False, width=80)
    return _header(pipeline, graph, name, description) + body
