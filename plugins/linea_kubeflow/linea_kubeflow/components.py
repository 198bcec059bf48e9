"""The pipeline's tasks as kfp components: names, parameters and artifact ports.

One component per task of the chosen breakdown. Its function arguments are

* the pipeline parameters the task uses, typed (``str``, ``int``, ``float``, ``bool``;
  a Python literal such as a list travels as its source text, ``str``);
* ``input_<name>: dsl.Input[dsl.Artifact]`` for each value an upstream component hands
  on, read back with pickle;
* ``output_<name>: dsl.Output[dsl.Artifact]`` for each value it hands on, and
  ``artifact_<artifact>: dsl.Output[dsl.Artifact]`` holding each artifact's value (the
  pipeline's outputs). A handed-on value that *is* an artifact's value goes out once,
  as the artifact.

Names are made unique where the user's variable names would collide, and kfp's own
names (``comp-<name>``, task keys) follow kfp's rule (lower case, ``-`` for ``_``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from linea_core.pipeline import Parameter, Pipeline, Task, TaskBreakdown, identifier, unique

# Names the generated file itself binds at module level: a component must not shadow them.
RESERVED = frozenset(
    {
        *("argparse", "ast", "compiler", "dsl", "kfp", "os", "pickle", "NamedTuple"),
        *("IMAGE", "HOST", "NAMESPACE", "EXPERIMENT", "ENABLE_CACHING"),
        *("Outputs", "main", "run_locally", "_boolean"),
    }
)


def k8s_name(name: str) -> str:
    """kfp's name for a component or task (``iris_model`` -> ``iris-model``)."""
    return re.sub("-+", "-", re.sub("[^-0-9a-z]+", "-", name.lower())).strip("-")


@dataclass(frozen=True)
class InputPort:
    """``argument`` receives ``local`` from ``producer``'s output ``key``."""

    argument: str
    local: str
    producer: str  # the producing component's function name
    key: str


@dataclass(frozen=True)
class OutputPort:
    """``argument`` receives the value of the expression ``value``."""

    argument: str
    value: str


@dataclass(frozen=True)
class Component:
    """One kfp component: a Python function decorated with ``@dsl.component``."""

    function: str
    task: Task
    parameters: tuple[Parameter, ...]
    inputs: tuple[InputPort, ...]
    outputs: tuple[OutputPort, ...]  # values handed on, not artifacts
    artifacts: tuple[tuple[str, OutputPort], ...]  # (artifact name, port)
    after: tuple[str, ...]  # components to wait for without a value from them

    @property
    def kfp_name(self) -> str:
        return k8s_name(self.function)

    @property
    def output_keys(self) -> tuple[str, ...]:
        return (*(p.argument for p in self.outputs), *(p.argument for _, p in self.artifacts))


@dataclass(frozen=True)
class ComponentGraph:
    breakdown: TaskBreakdown
    components: tuple[Component, ...]
    pipeline_function: str
    outputs: Mapping[str, tuple[str, str]]  # pipeline output -> (component function, key)


def component_graph(pipeline: Pipeline, breakdown: TaskBreakdown) -> ComponentGraph:
    graph = pipeline.task_graph(breakdown)
    # Module-level names of the generated file: the pipeline function is named after the
    # pipeline, components after their tasks (the one component of the whole pipeline
    # after the function it calls); parameters are locals of the pipeline function and
    # must not hide a component.
    params = {p.name for p in pipeline.parameters}
    pipeline_function = unique(pipeline.name, RESERVED | params)
    reserved = {*RESERVED, *params, pipeline_function}
    functions: dict[str, str] = {}
    taken_kfp = {k8s_name(pipeline_function)}
    for task in graph.tasks:
        wanted = task.functions[0] if task.name == pipeline.name else task.name
        name = unique(wanted, reserved | set(functions.values()))
        while k8s_name(name) in taken_kfp:
            name = unique(f"{name}_task", reserved | set(functions.values()))
        functions[task.name] = name
        taken_kfp.add(k8s_name(name))
    parameters = {p.name: p for p in pipeline.parameters}
    # (task, variable) -> output key, filled as tasks are visited in topological order.
    keys: dict[tuple[str, str], str] = {}
    components = []
    outputs: dict[str, tuple[str, str]] = {}
    output_names: set[str] = set()
    for task in graph.tasks:
        taken = set(task.parameters)
        inputs = []
        for item in task.inputs:
            argument = unique(f"input_{item.name}", taken)
            taken.add(argument)
            producer = functions[item.task]
            inputs.append(
                InputPort(argument, item.name, producer, keys[(item.task, item.variable)])
            )
        artifact_ports = []
        for artifact, value in task.artifacts.items():
            argument = unique(f"artifact_{identifier(artifact)}", taken)
            taken.add(argument)
            artifact_ports.append((artifact, OutputPort(argument, value)))
            output = unique(identifier(artifact), output_names)
            output_names.add(output)
            outputs[output] = (functions[task.name], argument)
        handed = []
        for name in task.outputs:
            same = next((p.argument for _, p in artifact_ports if p.value == name), None)
            if same is None:
                same = unique(f"output_{name}", taken)
                taken.add(same)
                handed.append(OutputPort(same, name))
            keys[(task.name, name)] = same
        fed_by = {port.producer for port in inputs}
        components.append(
            Component(
                function=functions[task.name],
                task=task,
                parameters=tuple(parameters[name] for name in sorted(task.parameters)),
                inputs=tuple(inputs),
                outputs=tuple(handed),
                artifacts=tuple(artifact_ports),
                after=tuple(
                    functions[name] for name in task.upstream if functions[name] not in fed_by
                ),
            )
        )
    return ComponentGraph(graph.breakdown, tuple(components), pipeline_function, outputs)
