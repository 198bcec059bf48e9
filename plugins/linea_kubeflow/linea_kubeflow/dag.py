"""``<name>_dag.py``: the pipeline for kfp 2, rendered from linea's pipeline model.

Each component is a lightweight Python component (``@dsl.component``) whose body
imports the pipeline module (it is in the image the components run in, see the
Dockerfile), binds its parameters, unpickles the values upstream components handed on
(``dsl.Input[dsl.Artifact]``), calls the module and pickles what it hands on and its
artifacts' values (``dsl.Output[dsl.Artifact]``). kfp is not installed into the image
at run time (``install_kfp_package=False``): the image has it, pinned.

The pipeline function wires the components, declares the pipeline parameters with
their types and defaults, and returns each artifact's value as a pipeline output. The
file's ``main()`` compiles it and, only when asked (``--submit``), starts a run: merely
importing the file contacts no server.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from typing import Any

from linea_core.pipeline import (
    Parameter,
    ParameterType,
    Pipeline,
    format_source,
    load_template,
    unique,
)
from linea_kubeflow.components import Component, ComponentGraph, k8s_name

_PYTHON_TYPES = {
    ParameterType.STR: "str",
    ParameterType.INT: "int",
    ParameterType.FLOAT: "float",
    ParameterType.BOOL: "bool",
    ParameterType.LITERAL: "str",  # the literal's source, read back with ast.literal_eval
}
_FLAG_TYPES = {**_PYTHON_TYPES, ParameterType.BOOL: "_boolean"}
# Flags of main() a parameter's flag must not take.
_MAIN_FLAGS = frozenset(
    {"output", "submit", "host", "local", "local_root", "local-root", "help", "h"}
)


def pipeline_id(pipeline: Pipeline, options: Any) -> str:
    """The pipeline's name in Kubeflow: the ``pipeline_id`` option or the name, kfp-style."""
    return str(options.pipeline_id or k8s_name(pipeline.name)[:128] or "pipeline")


def image(pipeline: Pipeline, options: Any) -> str:
    """The image the components run in: the ``image`` option or ``<pipeline id>:latest``."""
    return str(options.image or f"{pipeline_id(pipeline, options)}:latest")


def yaml_file(pipeline: Pipeline) -> str:
    return f"{pipeline.name}_pipeline.yaml"


def default_source(parameter: Parameter) -> str:
    """The pipeline parameter's default in the pipeline function's signature."""
    if parameter.type is ParameterType.LITERAL:
        return json.dumps(parameter.default_source)
    return parameter.default_source


@dataclass(frozen=True)
class _RenderedComponent:
    function: str
    arguments: list[str]
    doc: str
    imports: list[str]
    body: str


def _component_locals(component: Component) -> set[str]:
    """Every name the component's body binds or reads besides its helpers: the user's
    variable names, which the helpers (module alias, file handle, imports) must avoid."""
    alias = "__linea_module__"
    code = "\n".join(
        [component.task.code(alias), *(p.value for p in component.outputs)]
        + [p.value for _, p in component.artifacts]
    )
    names = {node.id for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Name)}
    names.discard(alias)
    names.update(p.name for p in component.parameters)
    names.update(port.local for port in component.inputs)
    names.update(port.argument for port in component.inputs)
    names.update(component.output_keys)
    return names


def _import(module: str, name: str) -> str:
    return f"import {module}" if module == name else f"import {module} as {name}"


def _component(component: Component, module_name: str) -> _RenderedComponent:
    arguments = [f"{p.name}: {_PYTHON_TYPES[p.type]}" for p in component.parameters]
    arguments += [f"{port.argument}: dsl.Input[dsl.Artifact]" for port in component.inputs]
    arguments += [f"{port.argument}: dsl.Output[dsl.Artifact]" for port in component.outputs]
    arguments += [f"{port.argument}: dsl.Output[dsl.Artifact]" for _, port in component.artifacts]
    # The helpers' names, renamed if a variable of the user's code is called the same.
    taken = _component_locals(component)
    module, stream, pickle, literal = (
        unique(name, taken) for name in ("module", "stream", "pickle", "ast")
    )
    lines = []
    for parameter in component.parameters:
        if parameter.type is ParameterType.FLOAT:  # an int given for a float stays a float
            lines.append(f"{parameter.name} = float({parameter.name})")
        elif parameter.type is ParameterType.LITERAL:
            lines.append(f"{parameter.name} = {literal}.literal_eval({parameter.name})")
    for received in component.inputs:
        lines.append(f'with open({received.argument}.path, "rb") as {stream}:')
        lines.append(f"    {received.local} = {pickle}.load({stream})")
    lines.append(component.task.code(module))
    for sent in (*component.outputs, *(p for _, p in component.artifacts)):
        lines.append(f'with open({sent.argument}.path, "wb") as {stream}:')
        lines.append(f"    {pickle}.dump({sent.value}, {stream})")
    imports = []
    if any(p.type is ParameterType.LITERAL for p in component.parameters):
        imports.append(_import("ast", literal))
    if component.inputs or component.outputs or component.artifacts:
        imports.append(_import("pickle", pickle))
    imports.append(f"import {module_name} as {module}")
    calls = ", ".join(component.task.functions)
    artifacts = [name for name, _ in component.artifacts]
    if artifacts:
        doc = f"Runs {calls}; outputs the value of {', '.join(artifacts)}."
    else:
        doc = f"Runs {calls} (computation later components use)."
    return _RenderedComponent(component.function, arguments, doc, imports, "\n".join(lines))


def _pipeline_body(pipeline: Pipeline, graph: ComponentGraph, enable_caching: bool) -> list[str]:
    taken = {p.name for p in pipeline.parameters}
    variables: dict[str, str] = {}
    lines = []
    for component in graph.components:
        variable = unique(f"{component.function}_task", taken)
        taken.add(variable)
        variables[component.function] = variable
        arguments = [f"{p.name}={p.name}" for p in component.parameters]
        arguments += [
            f"{port.argument}={variables[port.producer]}.outputs[{port.key!r}]"
            for port in component.inputs
        ]
        lines.append(f"{variable} = {component.function}({', '.join(arguments)})")
        lines.append(f"{variable}.set_caching_options({enable_caching})")
        for name in component.after:
            lines.append(f"{variable}.after({variables[name]})")
    if graph.outputs:
        lines.append("return Outputs(")
        for output, (function, key) in graph.outputs.items():
            lines.append(f"    {output}={variables[function]}.outputs[{key!r}],")
        lines.append(")")
    elif not lines:
        lines.append("pass")
    return lines


def _flags(parameters: list[Parameter]) -> list[str]:
    lines = []
    for parameter in parameters:
        flag = parameter.name if parameter.name not in _MAIN_FLAGS else f"param-{parameter.name}"
        about = f"default {parameter.default_source}"
        if parameter.type is ParameterType.LITERAL:
            about = f"a Python literal, {about}"
        lines.append(
            f'parser.add_argument("--{flag}", dest={"param_" + parameter.name!r}, '
            f"type={_FLAG_TYPES[parameter.type]}, default=None, help={about!r})"
        )
    return lines


def render_dag(pipeline: Pipeline, options: Any, graph: ComponentGraph) -> str:
    parameters = sorted(pipeline.parameters, key=lambda p: p.name)
    example = [
        f" --{p.name} {p.default_source}"
        for p in parameters
        if p.type in (ParameterType.INT, ParameterType.FLOAT)
    ]
    text = load_template("linea_kubeflow", "dag.py.j2").render(
        pipeline=pipeline,
        options=options,
        graph=graph,
        pipeline_id=pipeline_id(pipeline, options),
        image=image(pipeline, options),
        host=options.host,
        yaml_file=yaml_file(pipeline),
        description=description(pipeline, graph),
        example_flags="".join(example[:1]),
        components=[_component(c, pipeline.module_name) for c in graph.components],
        outputs=list(graph.outputs),
        pipeline_arguments=[
            f"{p.name}: {_PYTHON_TYPES[p.type]} = {default_source(p)}" for p in parameters
        ],
        pipeline_body=_pipeline_body(pipeline, graph, options.enable_caching),
        boolean=any(p.type is ParameterType.BOOL for p in parameters),
        parameters=parameters,
        flags=_flags(parameters),
    )
    return format_source(text)


def description(pipeline: Pipeline, graph: ComponentGraph) -> str:
    return f"linea pipeline {pipeline.name} (a component per {graph.breakdown.value})"


def component_sources(text: str, functions: list[str]) -> dict[str, str]:
    """Each component function's source as kfp's compiler embeds it: from the ``def``
    line to the end of the function (decorators left out), as written in ``text``."""
    lines = text.splitlines()
    found = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef) and node.name in functions:
            end = node.end_lineno or node.lineno
            found[node.name] = "\n".join(lines[node.lineno - 1 : end]) + "\n"
    return found
