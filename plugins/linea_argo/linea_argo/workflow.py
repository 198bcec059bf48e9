"""The Argo Workflow of a pipeline, as data: the manifest both generated files describe.

Each task of the chosen breakdown (:meth:`Pipeline.task_graph`) becomes a **script
template** of the same name and a **DAG task** calling it:

* the pipeline parameters the task's functions take are template input parameters,
  given by the DAG task as ``{{workflow.parameters.<name>}}``; the template passes
  each to its script as the environment variable ``LINEA_PARAM_<name>`` (never spliced
  into the source, so no value can break the script);
* each value the task hands on is an output artifact (a pickle at
  ``/tmp/linea/outputs/<variable>.pickle``), and each value it receives is an input
  artifact wired by the DAG task with ``from: {{tasks.<upstream>.outputs.artifacts.<variable>}}``
  (LineaPy's Argo writer declared none: its steps read pickles from a shared ``/tmp``
  that pods do not share);
* each artifact the task computes is kept as the output artifact
  ``artifact-<name>`` as well, so a run's results can be downloaded from Argo;
* ``depends`` lists the upstream tasks (data and ordering dependencies).

Argo and Kubernetes restrict names: template and task names are letters, digits and
``-`` (``_`` becomes ``-``, and names are lowercased because pod names embed them),
artifact names letters, digits, ``-`` and ``_``. Names that would collide after that
get a numeric suffix.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from linea_core.pipeline import (
    Parameter,
    ParameterType,
    Pipeline,
    Task,
    bind_parameter,
    format_source,
    load_template,
    needs_literal_eval,
    setting_value,
)

INPUTS = "/tmp/linea/inputs"
OUTPUTS = "/tmp/linea/outputs"
PARAM_ENV = "LINEA_PARAM_"
ARTIFACT_PREFIX = "artifact-"
_MAX_NAME = 63


def kube_name(name: str) -> str:
    """``name`` as an Argo template/task name: lowercase letters, digits and ``-``."""
    text = re.sub(r"[^a-z0-9-]+", "-", name.lower().replace("_", "-")).strip("-") or "step"
    if len(text) > _MAX_NAME:
        digest = hashlib.sha256(name.encode()).hexdigest()[:8]
        text = f"{text[: _MAX_NAME - 9].rstrip('-')}-{digest}"
    return text


def artifact_name(artifact: str) -> str:
    """The output artifact keeping ``artifact``'s value: ``artifact-<name>``."""
    return ARTIFACT_PREFIX + re.sub(r"[^A-Za-z0-9_-]+", "_", artifact)


class _Names:
    """Hands out names unique within one scope, suffixing ``-2``, ``-3``... on a clash."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken = set(taken)

    def add(self, name: str) -> str:
        candidate, number = name, 1
        while candidate in self.taken:
            number += 1
            candidate = f"{name}-{number}"
        self.taken.add(candidate)
        return candidate


@dataclass(frozen=True)
class StepInput:
    """An input artifact: ``local`` is bound to the value ``variable`` of ``task``."""

    name: str  # the artifact's name in the template (the task's local variable)
    path: str
    task: str  # the upstream DAG task (kube name)
    variable: str  # the upstream output artifact

    @property
    def source(self) -> str:
        return f"{{{{tasks.{self.task}.outputs.artifacts.{self.variable}}}}}"


@dataclass(frozen=True)
class StepOutput:
    """An output artifact: the value of the expression ``value`` pickled at ``path``."""

    name: str
    path: str
    value: str


@dataclass(frozen=True)
class Step:
    """One task of the pipeline: its script template and the DAG task calling it."""

    name: str
    task: Task
    parameters: tuple[str, ...]
    inputs: tuple[StepInput, ...]
    outputs: tuple[StepOutput, ...]
    depends: tuple[str, ...]
    source: str

    def env(self) -> list[dict[str, str]]:
        return [
            {"name": f"{PARAM_ENV}{name}", "value": f"{{{{inputs.parameters.{name}}}}}"}
            for name in self.parameters
        ]


@dataclass(frozen=True)
class ArgoWorkflow:
    """The workflow: its settings and steps, and :meth:`manifest` as Argo reads it."""

    generate_name: str
    namespace: str
    entrypoint: str
    image: str
    image_pull_policy: str
    service_account: str | None
    arguments: tuple[tuple[str, str], ...]  # (parameter, default as text)
    steps: tuple[Step, ...]

    def template(self, step: Step) -> dict[str, Any]:
        template: dict[str, Any] = {"name": step.name}
        inputs: dict[str, Any] = {}
        if step.parameters:
            inputs["parameters"] = [{"name": name} for name in step.parameters]
        if step.inputs:
            inputs["artifacts"] = [{"name": i.name, "path": i.path} for i in step.inputs]
        if inputs:
            template["inputs"] = inputs
        if step.outputs:
            template["outputs"] = {
                "artifacts": [
                    {"name": o.name, "path": o.path, "archive": {"none": {}}} for o in step.outputs
                ]
            }
        script: dict[str, Any] = {
            "image": self.image,
            "imagePullPolicy": self.image_pull_policy,
            "command": ["python"],
        }
        if step.parameters:
            script["env"] = step.env()
        script["source"] = step.source
        template["script"] = script
        return template

    def dag_task(self, step: Step) -> dict[str, Any]:
        task: dict[str, Any] = {"name": step.name, "template": step.name}
        if step.depends:
            task["depends"] = " && ".join(step.depends)
        arguments: dict[str, Any] = {}
        if step.parameters:
            arguments["parameters"] = [
                {"name": name, "value": f"{{{{workflow.parameters.{name}}}}}"}
                for name in step.parameters
            ]
        if step.inputs:
            arguments["artifacts"] = [{"name": i.name, "from": i.source} for i in step.inputs]
        if arguments:
            task["arguments"] = arguments
        return task

    def manifest(self) -> dict[str, Any]:
        """The Workflow resource (``apiVersion``, ``kind``, ``metadata``, ``spec``)."""
        spec: dict[str, Any] = {"entrypoint": self.entrypoint}
        if self.service_account:
            spec["serviceAccountName"] = self.service_account
        if self.arguments:
            spec["arguments"] = {
                "parameters": [{"name": name, "value": value} for name, value in self.arguments]
            }
        dag = {"name": self.entrypoint, "dag": {"tasks": [self.dag_task(s) for s in self.steps]}}
        spec["templates"] = [dag, *(self.template(step) for step in self.steps)]
        return {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Workflow",
            "metadata": {"generateName": self.generate_name, "namespace": self.namespace},
            "spec": spec,
        }


def parameter_text(parameter: Parameter) -> str:
    """A parameter's default as an Argo parameter value (always text): JSON for numbers
    and booleans (``0.33``, ``true``), the string itself, a literal's Python source."""
    value = setting_value(parameter)
    return value if isinstance(value, str) else json.dumps(value)


def _setting_expression(parameter: Parameter) -> str:
    """How a step reads a parameter from its environment variable (text)."""
    variable = json.dumps(f"{PARAM_ENV}{parameter.name}")
    if parameter.type in (ParameterType.STR, ParameterType.LITERAL):
        return f"os.environ[{variable}]"  # a literal's source is read by bind_parameter
    return f"_json_setting({variable}, {json.dumps(parameter.type.value)})"


def step_source(pipeline: Pipeline, step: Step, parameters: dict[str, Parameter]) -> str:
    """The script a step runs: parameters from the environment, inputs from their
    artifact paths, the module's functions, outputs to their artifact paths."""
    used = [parameters[name] for name in step.parameters]
    text = load_template("linea_argo", "step.py.j2").render(
        pipeline=pipeline,
        step=step,
        settings=[(p.name, _setting_expression(p)) for p in used],
        bindings=[bind_parameter(p, "params") for p in used],
        needs_json=any(p.type not in (ParameterType.STR, ParameterType.LITERAL) for p in used),
        needs_ast=needs_literal_eval(used),
        code=step.task.code("module"),
        param_env=PARAM_ENV,
    )
    return format_source(text)


def build_workflow(pipeline: Pipeline, options: Any) -> ArgoWorkflow:
    graph = pipeline.task_graph(options.breakdown)
    names = _Names()
    entrypoint = names.add(kube_name(pipeline.name))
    kube = {task.name: names.add(kube_name(task.name)) for task in graph.tasks}
    parameters = {p.name: p for p in pipeline.parameters}
    steps = []
    for task in graph.tasks:
        artifact_names = _Names(task.outputs)
        outputs = [StepOutput(name, f"{OUTPUTS}/{name}.pickle", name) for name in task.outputs]
        for artifact, value in task.artifacts.items():
            name = artifact_names.add(artifact_name(artifact))
            outputs.append(StepOutput(name, f"{OUTPUTS}/{name}.pickle", value))
        inputs = tuple(
            StepInput(item.name, f"{INPUTS}/{item.name}.pickle", kube[item.task], item.variable)
            for item in task.inputs
        )
        step = Step(
            name=kube[task.name],
            task=task,
            parameters=tuple(sorted(task.parameters)),
            inputs=inputs,
            outputs=tuple(outputs),
            depends=tuple(kube[name] for name in task.upstream),
            source="",
        )
        steps.append(_with_source(pipeline, step, parameters))
    return ArgoWorkflow(
        generate_name=f"{options.workflow_name or kube_name(pipeline.name)[:56].rstrip('-')}-",
        namespace=options.namespace,
        entrypoint=entrypoint,
        image=options.image or f"{kube_name(pipeline.name)}:latest",
        image_pull_policy=options.image_pull_policy,
        service_account=options.service_account,
        arguments=tuple(
            (p.name, parameter_text(p)) for p in sorted(pipeline.parameters, key=lambda p: p.name)
        ),
        steps=tuple(steps),
    )


def _with_source(pipeline: Pipeline, step: Step, parameters: dict[str, Parameter]) -> Step:
    from dataclasses import replace

    return replace(step, source=step_source(pipeline, step, parameters))
