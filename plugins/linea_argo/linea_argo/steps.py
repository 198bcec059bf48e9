"""The code a workflow's steps run: a script per step (script templates) or one steps
file in the image with a function per step (container templates).

Either way a step binds the pipeline parameters it needs from its environment
(``LINEA_PARAM_<name>``, text as Argo passes parameters: JSON for numbers and booleans,
the text of a string, a literal's Python source), loads the values it receives from the
paths of its input artifacts, calls the pipeline module's functions and pickles what it
hands on, and its artifacts' values, to the paths of its output artifacts. Paths are
Argo's variables (``{{inputs.artifacts.df.path}}``) in a script's source, and command
line arguments of the steps file in a container.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from linea_core.pipeline import (
    Parameter,
    ParameterType,
    Pipeline,
    bind_parameter,
    format_source,
    indent,
    load_template,
    needs_literal_eval,
    setting_value,
)

if TYPE_CHECKING:
    from linea_argo.workflow import Step

PARAM_ENV = "LINEA_PARAM_"
_TEXT = (ParameterType.STR, ParameterType.LITERAL)


def parameter_text(parameter: Parameter) -> str:
    """A parameter's default as an Argo parameter value (always text): JSON for numbers
    and booleans (``0.33``, ``true``), the string itself, a literal's Python source."""
    value = setting_value(parameter)
    return value if isinstance(value, str) else json.dumps(value)


def _setting_expression(parameter: Parameter) -> str:
    """How a step reads a parameter from its environment variable (text)."""
    variable = json.dumps(f"{PARAM_ENV}{parameter.name}")
    if parameter.type in _TEXT:
        return f"os.environ[{variable}]"  # a literal's source is read by bind_parameter
    return f"_json_setting({variable}, {json.dumps(parameter.type.value)})"


def step_body(
    step: Step,
    parameters: Mapping[str, Parameter],
    input_path: Callable[[str], str],
    output_path: Callable[[str], str],
) -> str:
    """The statements of one step; ``input_path``/``output_path`` give the source of an
    artifact's path from its name."""
    used = [parameters[name] for name in step.parameters]
    lines = []
    if used:
        lines.append("params = {")
        lines += [f"    {json.dumps(p.name)}: {_setting_expression(p)}," for p in used]
        lines.append("}")
        lines += [bind_parameter(p, "params") for p in used]
    lines += [f"{item.name} = _load({input_path(item.name)})" for item in step.inputs]
    lines.append(step.task.code("module"))
    lines += [f"_dump({item.value}, {output_path(item.name)})" for item in step.outputs]
    return "\n".join(lines)


def _helpers(steps: Iterable[Step], parameters: Mapping[str, Parameter]) -> dict[str, bool]:
    used = [parameters[name] for step in steps for name in step.parameters]
    return {
        "needs_json": any(p.type not in _TEXT for p in used),
        "needs_ast": needs_literal_eval(used),
        "needs_load": any(step.inputs for step in steps),
    }


def script_source(pipeline: Pipeline, step: Step, parameters: Mapping[str, Parameter]) -> str:
    """The source of a script template: Argo substitutes the artifacts' paths."""

    def input_path(name: str) -> str:
        return json.dumps(f"{{{{inputs.artifacts.{name}.path}}}}")

    def output_path(name: str) -> str:
        return json.dumps(f"{{{{outputs.artifacts.{name}.path}}}}")

    text = load_template("linea_argo", "step.py.j2").render(
        pipeline=pipeline,
        step=step,
        param_env=PARAM_ENV,
        body=step_body(step, parameters, input_path, output_path),
        **_helpers([step], parameters),
    )
    return format_source(text)


def steps_file(
    pipeline: Pipeline, steps: Iterable[Step], parameters: Mapping[str, Parameter]
) -> str:
    """The steps file container templates run: ``python <file> <step> --input NAME=PATH
    --output NAME=PATH``."""
    steps = list(steps)

    def input_path(name: str) -> str:
        return f"inputs[{json.dumps(name)}]"

    def output_path(name: str) -> str:
        return f"outputs[{json.dumps(name)}]"

    functions = [
        (step, indent(step_body(step, parameters, input_path, output_path))) for step in steps
    ]
    text = load_template("linea_argo", "steps.py.j2").render(
        pipeline=pipeline,
        functions=functions,
        param_env=PARAM_ENV,
        **_helpers(steps, parameters),
    )
    return format_source(text)
