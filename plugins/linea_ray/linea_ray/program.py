"""The files of a Ray pipeline, rendered from linea's pipeline model.

``<name>_ray.py`` defines one ``@ray.remote`` function per task of the chosen breakdown
and ``run(...)``, which submits them all and fetches the artifacts' values with one
``ray.get``. Values move between tasks as object references: a task returns every
value a later task reads plus its artifacts' values (``num_returns`` when there are
several; a value that is both is returned once), and ``run`` passes the references on,
so Ray resolves them from its object store. Nothing is pickled to disk.

Ordering without a value (a function writes a file another reads, or the user's
``dependencies``) becomes an argument too: the upstream task then also returns a small
"done" marker, which Ray must resolve (and whose failure it propagates) before the
downstream task starts, without fetching the upstream's real values. Orders that the
values already imply add nothing.

Ray hands numpy data over read-only and shared (zero-copy), so by default a task works
on a deep copy of each value it receives, as a task of an orchestrator passing pickles
would; otherwise code that changes a DataFrame in place (``df.loc[...] = ...``) fails.

Importing the program starts nothing: ``main()`` (run by ``python <name>_ray.py``)
starts Ray, or joins a cluster, with the configured ``runtime_env``.
"""

from __future__ import annotations

import ast
import json
import shlex
from dataclasses import dataclass
from typing import Any

from linea_core.pipeline import (
    Parameter,
    ParameterType,
    Pipeline,
    PipelineFile,
    Task,
    argparse_flags,
    format_source,
    identifier,
    load_template,
    module_file,
    requirements_file,
    unique,
)
from linea_ray import RAY_VERSION

DONE = "done-marker"
ARTIFACT = "artifact-"
AFTER_PREFIX = "_after_"


@dataclass(frozen=True)
class RayTask:
    """One ``@ray.remote`` function and the line of ``run`` that submits it."""

    function: str
    module: str  # the local name of the pipeline module in the task
    decorator: str
    arguments: tuple[str, ...]
    doc: str
    copied: tuple[str, ...]
    code: str
    returns: tuple[str, ...]
    submit: str


def program_name(pipeline: Pipeline) -> str:
    return f"{pipeline.name}_ray"


class _Locals:
    """The driver's names for object references: the task's own variable names where
    they are free, else numbered (``df_2``); never a parameter or a name ``run`` uses."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = set(taken)
        self.names: dict[tuple[str, str], str] = {}

    def add(self, task: str, label: str, base: str) -> str:
        name = unique(base, self.taken)
        self.taken.add(name)
        self.names[(task, label)] = name
        return name

    def __getitem__(self, key: tuple[str, str]) -> str:
        return self.names[key]


def _bound_lines(task: Task) -> dict[str, str]:
    """``name = expression`` lines a task runs after its calls (a session task binding
    the artifacts it hands on): name -> expression."""
    bound = {}
    for line in task.extra_lines:
        target, _, value = line.partition(" = ")
        if target.isidentifier() and value:
            bound[target] = value
    return bound


def _returns(task: Task, needs_done: bool) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """(label, expression) of each value the task returns, and artifact -> label.

    Outputs come first, then each artifact whose value is not already an output, then the
    done marker when a later task waits for this one without reading a value (or when the
    task returns nothing else: ``run`` waits for it at the end)."""
    values: list[tuple[str, str]] = [(name, name) for name in task.outputs]
    bound = _bound_lines(task)
    same = {bound.get(name, name): name for name in task.outputs}
    artifacts = {}
    for artifact, expression in task.artifacts.items():
        if expression in same:
            artifacts[artifact] = same[expression]
        else:
            label = f"{ARTIFACT}{artifact}"
            values.append((label, expression))
            artifacts[artifact] = label
    if needs_done or not values:
        values.append((DONE, "True"))
    return values, artifacts


def _ordering_only(tasks: tuple[Task, ...]) -> dict[str, list[str]]:
    """task -> upstream tasks it must wait for although it reads no value of theirs and
    no value it reads comes after them."""
    reached: dict[str, set[str]] = {}  # task -> every task Ray makes it wait for
    extra: dict[str, list[str]] = {}
    for task in tasks:
        direct = {item.task for item in task.inputs}
        covered = set(direct)
        for name in direct:
            covered |= reached.get(name, set())
        candidates = [name for name in task.upstream if name not in covered]
        # Waiting for a task also waits for everything it waited for.
        waits = [
            name
            for name in candidates
            if not any(name in reached.get(other, set()) for other in candidates)
        ]
        extra[task.name] = waits
        for name in waits:
            covered |= {name} | reached.get(name, set())
        reached[task.name] = covered
    return extra


def _remote_options(count: int, options: Any) -> str:
    settings = []
    if count > 1:
        settings.append(f"num_returns={count}")
    for key in ("num_cpus", "num_gpus", "max_retries"):
        value = getattr(options, key)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # num_gpus=1, not 1.0
        if value is not None:
            settings.append(f"{key}={value!r}")
    return f"@ray.remote({', '.join(settings)})" if settings else "@ray.remote"


def _doc(task: Task, pipeline: Pipeline) -> str:
    calls = ", ".join(task.functions)
    parts = []
    if task.artifacts:
        parts.append(f"returns the value of {', '.join(task.artifacts)}")
    redone = [
        a.name for a in pipeline.artifacts if a.function in task.functions and a.variable is None
    ]
    if redone:
        parts.append(f"redoes what {', '.join(redone)} saved (files, databases)")
    if not parts:
        return f"Runs {calls} (computation shared by later tasks)."
    return f"Runs {calls}; {'; '.join(parts)}."


# Names ``run`` itself uses: a reference must not hide them.
_DRIVER_NAMES = {
    "artifacts",
    "cloudpickle",
    "dict",
    "finished",
    "list",
    "ray",
    "sys",
    "values",
    "zip",
}


def ray_tasks(pipeline: Pipeline, options: Any) -> tuple[list[RayTask], dict[str, str], list[str]]:
    """The program's tasks; artifact -> the driver's reference to its value; the done
    markers ``run`` waits for at the end (tasks that return no value)."""
    graph = pipeline.task_graph(options.breakdown)
    waits = _ordering_only(graph.tasks)
    awaited = {name for names in waits.values() for name in names}
    functions = {task.name: f"task_{task.name}" for task in graph.tasks}
    refs = _Locals({*_DRIVER_NAMES, *functions.values(), *(p.name for p in pipeline.parameters)})
    rendered = []
    artifact_refs: dict[str, str] = {}
    finished = []
    for task in graph.tasks:
        values, artifacts = _returns(task, task.name in awaited)
        passed = [f"{name}={name}" for name in sorted(task.parameters)]
        passed += [f"{item.name}={refs[(item.task, item.variable)]}" for item in task.inputs]
        passed += [f"{AFTER_PREFIX}{name}={refs[(name, DONE)]}" for name in waits[task.name]]
        targets = []
        for label, _ in values:
            if label == DONE:
                base = f"{task.name}_done"
            elif label.startswith(ARTIFACT):
                base = identifier(label.removeprefix(ARTIFACT))
            else:
                base = label
            targets.append(refs.add(task.name, label, base))
        for artifact, label in artifacts.items():
            artifact_refs[artifact] = refs[(task.name, label)]
        if [label for label, _ in values] == [DONE]:
            finished.append(refs[(task.name, DONE)])
        inputs = [item.name for item in task.inputs]
        after = [f"{AFTER_PREFIX}{name}" for name in waits[task.name]]
        arguments = (*sorted({*task.parameters, *inputs}), *after)
        module = "module"
        while module in arguments:  # a parameter or value named "module"
            module = f"_{module}"
        function = functions[task.name]
        rendered.append(
            RayTask(
                function=function,
                decorator=_remote_options(len(values), options),
                arguments=arguments,
                module=module,
                doc=_doc(task, pipeline),
                copied=tuple(sorted(inputs)) if options.copy_inputs else (),
                code=task.code(module),
                returns=tuple(expression for _, expression in values),
                submit=f"{', '.join(targets)} = {function}.remote({', '.join(passed)})",
            )
        )
    ordered = {a.name: artifact_refs[a.name] for a in pipeline.value_artifacts}
    return rendered, ordered, finished


def _sorted(parameters: tuple[Parameter, ...]) -> list[Parameter]:
    return sorted(parameters, key=lambda p: p.name)


def _needs_module_parsers(pipeline: Pipeline) -> bool:
    return any(p.type in (ParameterType.BOOL, ParameterType.LITERAL) for p in pipeline.parameters)


def _literal(value: Any) -> str:
    """``value`` (validated plain data) as Python source."""
    source = repr(value)
    ast.literal_eval(source)  # validated options are plain data; this guards the promise
    return source


def render_program(pipeline: Pipeline, options: Any) -> str:
    tasks, artifact_refs, finished = ray_tasks(pipeline, options)
    parameters = _sorted(pipeline.parameters)
    copies = any(task.copied for task in tasks)
    imports = ["import argparse", "import importlib", "import os", "import sys"]
    if copies:
        imports.append("import copy")
    text = load_template("linea_ray", "ray.py.j2").render(
        pipeline=pipeline,
        program=program_name(pipeline),
        breakdown=options.breakdown.value,
        imports=sorted(imports),
        runtime_env=_literal(options.runtime_env) if options.runtime_env else "None",
        address=json.dumps(options.address) if options.address else "None",
        copies=copies,
        tasks=tasks,
        signature=", ".join(f"{p.name}={p.default_source}" for p in parameters),
        artifact_refs=artifact_refs,
        finished=finished,
        flags=argparse_flags(parameters, helpers="module."),
        module_parsers=_needs_module_parsers(pipeline),
        call_arguments=", ".join(f"{p.name}=args.{p.name}" for p in parameters),
        example_flags=" ".join(f"--{p.name} {_shell(p)}" for p in parameters),
    )
    return format_source(text)


def _shell(parameter: Parameter) -> str:
    """The default as a command-line flag's value (the README line of the program)."""
    if parameter.type is ParameterType.LITERAL:
        return shlex.quote(parameter.default_source)
    return shlex.quote(str(parameter.default))


def render_dockerfile(pipeline: Pipeline, options: Any) -> str:
    python = (pipeline.python_version or "3.11").replace(".", "")
    base_image = options.base_image or f"rayproject/ray:{RAY_VERSION}-py{python}"
    return str(
        load_template("linea_ray", "Dockerfile.j2").render(
            name=pipeline.name, program=program_name(pipeline), base_image=base_image
        )
    )


def render_files(pipeline: Pipeline, options: Any) -> list[PipelineFile]:
    return [
        module_file(pipeline),
        requirements_file(pipeline, extra=[f"ray=={RAY_VERSION}"]),
        PipelineFile(
            f"{program_name(pipeline)}.py", render_program(pipeline, options), "Ray program"
        ),
        PipelineFile(
            f"{pipeline.name}_Dockerfile", render_dockerfile(pipeline, options), "Docker file"
        ),
    ]
