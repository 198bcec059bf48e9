"""The Argo Workflow of a pipeline, as data: the manifest both generated files describe.

Each task of the chosen breakdown (:meth:`Pipeline.task_graph`) becomes a template of
the same name and a **DAG task** calling it. The template is a **script template**
(its code inline in the manifest, see :mod:`linea_argo.steps`) or, with
``template="container"``, a **container template** running the step's function of the
steps file the image holds (``python <name>_argo_steps.py <step> --input NAME=PATH
--output NAME=PATH``, the paths being Argo's variables):

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
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from linea_argo.steps import PARAM_ENV, parameter_text, script_source
from linea_core.pipeline import Parameter, Pipeline, PipelineError, Task

INPUTS = "/tmp/linea/inputs"
OUTPUTS = "/tmp/linea/outputs"
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
    source: str = ""  # the script (script templates)

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
    kind: str = "script"  # or "container": python <steps_file> <step> ...
    steps_file: str = ""

    def container_args(self, step: Step) -> list[str]:
        """The steps file's command line for ``step`` (container templates)."""
        args = [step.name]
        for item in step.inputs:
            args += ["--input", f"{item.name}={{{{inputs.artifacts.{item.name}.path}}}}"]
        for output in step.outputs:
            args += ["--output", f"{output.name}={{{{outputs.artifacts.{output.name}.path}}}}"]
        return args

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
        container: dict[str, Any] = {
            "image": self.image,
            "imagePullPolicy": self.image_pull_policy,
        }
        if self.kind == "container":
            container["command"] = ["python", self.steps_file]
            container["args"] = self.container_args(step)
        else:
            container["command"] = ["python"]
        if step.parameters:
            container["env"] = step.env()
        if self.kind == "script":
            container["source"] = step.source
        template[self.kind] = container
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


def steps_file_name(pipeline: Pipeline) -> str:
    """The steps file container templates run (``<name>_argo_steps.py``)."""
    return f"{pipeline.name}_argo_steps.py"


_ARGO_IO_NAME = re.compile(r"^[-a-zA-Z0-9_]+$")


def _check_io_name(name: str, what: str) -> None:
    """Argo's parameter and artifact names are ASCII; Python identifiers need not be."""
    if not _ARGO_IO_NAME.match(name):
        raise PipelineError(
            f"Argo allows only ASCII letters, digits, '_' and '-' in parameter and artifact "
            f"names: rename {what} {name!r} in the traced code"
        )


def build_workflow(pipeline: Pipeline, options: Any) -> ArgoWorkflow:
    graph = pipeline.task_graph(options.breakdown)
    for parameter in pipeline.parameters:
        _check_io_name(parameter.name, "the parameter")
    for task in graph.tasks:
        for variable in (*task.outputs, *(item.name for item in task.inputs)):
            _check_io_name(variable, "the variable")
    names = _Names()
    entrypoint = names.add(kube_name(pipeline.name))
    kube = {task.name: names.add(kube_name(task.name)) for task in graph.tasks}
    parameters: Mapping[str, Parameter] = {p.name: p for p in pipeline.parameters}
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
        )
        if options.template == "script":
            step = replace(step, source=script_source(pipeline, step, parameters))
        steps.append(step)
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
        kind=options.template,
        steps_file=steps_file_name(pipeline),
    )
