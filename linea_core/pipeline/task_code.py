"""The body of a task that runs in its own process and hands values on as pickles.

Orchestrators that run each task in a process of its own (Airflow, DVC, Argo...) all
generate the same few lines per task: bind the pipeline parameters from the run's
settings, load the values upstream tasks handed on, call the module, hand on what
downstream tasks read and keep the artifacts' values. Only where the settings come from
differs (Airflow's ``params``, DVC's ``params.yaml``, command-line flags), so a writer
passes the expression of that mapping and gets the body back.

Settings arrive as JSON or YAML values. :func:`setting_value` is the value a writer
puts into its settings file for a parameter's default, and :func:`bind_parameter`
converts a setting back to what the traced code assigned: ``float`` for floats (JSON's
``1`` stays a float: ``train_test_split(test_size=1)`` would mean one sample), ``int``
for ints, and Python literals (tuples, sets, ``None``, dicts with non-string keys, which
JSON and YAML cannot all express) travel as their source text and are read back with
``ast.literal_eval``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from linea_core.pipeline.model import Parameter, ParameterType, Task

ARTIFACT_PREFIX = "artifact-"


def artifact_key(artifact: str) -> str:
    """The hand-off name under which a task keeps ``artifact``'s value
    (``artifact-iris_model``; ``-`` cannot occur in a variable, so it never collides
    with a handed-on value)."""
    return f"{ARTIFACT_PREFIX}{artifact}"


def setting_value(parameter: Parameter) -> Any:
    """The parameter's default as a JSON/YAML value (a literal's source for LITERAL)."""
    if parameter.type is ParameterType.LITERAL:
        return parameter.default_source
    return parameter.default


def bind_parameter(parameter: Parameter, settings: str) -> str:
    """``test_size = float(params["test_size"])``: bind the parameter from the mapping
    ``settings`` (an expression of the generated code)."""
    value = f"{settings}[{json.dumps(parameter.name)}]"
    converter = {
        ParameterType.INT: "int({})",
        ParameterType.FLOAT: "float({})",
        ParameterType.LITERAL: "ast.literal_eval({})",
    }.get(parameter.type, "{}")
    return f"{parameter.name} = {converter.format(value)}"


def needs_literal_eval(parameters: Iterable[Parameter]) -> bool:
    """Whether code from :func:`bind_parameter` needs ``import ast``."""
    return any(p.type is ParameterType.LITERAL for p in parameters)


def task_body(
    task: Task,
    parameters: Iterable[Parameter],
    *,
    module: str = "module",
    settings: str = "params",
    run_id: str = "run_id",
    keep_artifacts: bool = True,
) -> str:
    """The statements running ``task``: parameters bound from ``settings``, inputs
    loaded with ``load_value``, the module called (imported as ``module``), outputs
    and (``keep_artifacts``) each artifact's value saved with ``dump_value`` (see
    :mod:`linea_core.pipeline.handoff`), all keyed by the expression ``run_id``."""
    by_name = {p.name: p for p in parameters}
    lines = [bind_parameter(by_name[name], settings) for name in task.parameters]
    for item in task.inputs:
        lines.append(
            f"{item.name} = load_value({run_id}, {json.dumps(item.task)}, "
            f"{json.dumps(item.variable)})"
        )
    lines.append(task.code(module))
    for name in task.outputs:
        lines.append(f"dump_value({name}, {run_id}, {json.dumps(task.name)}, {json.dumps(name)})")
    if keep_artifacts:
        for artifact, value in task.artifacts.items():
            lines.append(
                f"dump_value({value}, {run_id}, {json.dumps(task.name)}, "
                f"{json.dumps(artifact_key(artifact))})"
            )
    return "\n".join(lines)


def artifact_locations(tasks: Iterable[Task]) -> dict[str, tuple[str, str]]:
    """artifact -> (task, hand-off name) where :func:`task_body` keeps its value."""
    return {
        artifact: (task.name, artifact_key(artifact))
        for task in tasks
        for artifact in task.artifacts
    }
