"""Task graphs: the pipeline broken into units of execution for an orchestrator.

* ``ARTIFACT``: a task per module function: one per artifact, one per shared
  computation, one per reused artifact. Values flow function to function.
* ``SESSION``: a task per traced session, calling the session function; it hands on
  the artifacts later sessions read.
* ``PIPELINE``: one task calling ``run_all_sessions``.

Upstream tasks come from the values a task receives, from ordering the code implies
without a value (a file written by one function and read by another), and from the
user's ``dependencies``.
"""

from __future__ import annotations

from dataclasses import replace
from graphlib import CycleError, TopologicalSorter
from types import MappingProxyType

from linea_core.pipeline.errors import DependencyCycleError
from linea_core.pipeline.model import (
    Call,
    ModuleFunction,
    Pipeline,
    PipelineSession,
    SessionStep,
    Task,
    TaskBreakdown,
    TaskGraph,
    TaskInput,
)

SESSION_RESULT = "session_artifacts"
PIPELINE_RESULT = "pipeline_artifacts"


def task_name(function: ModuleFunction) -> str:
    """``get_iris_model`` -> ``iris_model``."""
    return function.name.removeprefix("get_")


def task_graph(pipeline: Pipeline, breakdown: TaskBreakdown) -> TaskGraph:
    if breakdown is TaskBreakdown.ARTIFACT:
        tasks = _only_consumed_outputs(_per_function(pipeline))
    elif breakdown is TaskBreakdown.SESSION:
        tasks = _per_session(pipeline)
    else:
        tasks = [_single(pipeline)]
    return TaskGraph(breakdown, tuple(_ordered(tasks)))


def _only_consumed_outputs(tasks: list[Task]) -> list[Task]:
    """A task hands on only what a downstream task reads (artifacts: see ``artifacts``)."""
    consumed = {(item.task, item.variable) for task in tasks for item in task.inputs}
    return [
        replace(task, outputs=tuple(o for o in task.outputs if (task.name, o) in consumed))
        for task in tasks
    ]


def _artifact_owner(pipeline: Pipeline) -> dict[str, ModuleFunction]:
    owner: dict[str, ModuleFunction] = {}
    for function in pipeline.functions:
        for artifact in function.artifacts:
            owner[artifact] = function
    return owner


def _per_function(pipeline: Pipeline) -> list[Task]:
    owner = _artifact_owner(pipeline)
    tasks: list[Task] = []
    names = {f.name: task_name(f) for f in pipeline.functions}
    for session in pipeline.sessions:
        session_inputs = {i.name: i.artifact for i in session.inputs}
        # Which function provides each (function, input) pair inside the session.
        provider: dict[tuple[str, str], tuple[str, str]] = {}
        for step in session.steps:
            for argument, local in step.call.arguments:
                provider[(step.call.function, argument)] = _local_owner(session, step, local)
        for index, function in enumerate(session.functions):
            inputs: list[TaskInput] = []
            upstream: set[str] = {names[name] for name in function.after}
            for name in function.inputs:
                if name in session_inputs and provider.get((function.name, name)) == ("", name):
                    artifact = pipeline.artifact(session_inputs[name])
                    source = owner[artifact.name]
                    variable = artifact.variable or name
                    inputs.append(TaskInput(name, names[source.name], variable))
                    upstream.add(names[source.name])
                    continue
                source_function, variable = provider[(function.name, name)]
                inputs.append(TaskInput(name, names[source_function], variable))
                upstream.add(names[source_function])
            # The user's dependencies. Within a session: the artifact's function waits for
            # the prerequisite's. Across sessions: everything of the artifact's session up
            # to its function waits (the code before it may read what the other wrote).
            for computed in function.artifacts:
                for needed in pipeline.dependencies.get(computed, ()):
                    if needed in owner and owner[needed].session_id == session.id:
                        upstream.add(names[owner[needed].name])
            for later in session.functions[index:]:
                for computed in later.artifacts:
                    for needed in pipeline.dependencies.get(computed, ()):
                        if needed in owner and owner[needed].session_id != session.id:
                            upstream.add(names[owner[needed].name])
            upstream.discard(names[function.name])
            tasks.append(
                Task(
                    name=names[function.name],
                    functions=(function.name,),
                    parameters=function.parameters,
                    inputs=tuple(inputs),
                    outputs=function.outputs,
                    artifacts=MappingProxyType(
                        {
                            a.name: a.variable
                            for a in pipeline.artifacts
                            if a.function == function.name and a.variable is not None
                        }
                    ),
                    upstream=tuple(sorted(upstream)),
                    calls=(
                        Call(
                            function.name,
                            tuple((a, a) for a in function.arguments),
                            function.outputs,
                        ),
                    ),
                )
            )
    return tasks


def _local_owner(session: PipelineSession, step: SessionStep, local: str) -> tuple[str, str]:
    """(function, output) that bound ``local`` before ``step`` in the session function;
    ("", local) when it is an argument of the session function itself."""
    found = ("", local)
    for earlier in session.steps:
        if earlier is step:
            break
        function = next(f for f in session.functions if f.name == earlier.call.function)
        for output, result in zip(function.outputs, earlier.call.results, strict=True):
            if result == local:
                found = (function.name, output)
    return found


def _session_task_name(session_function: str) -> str:
    return session_function.removeprefix("run_")


def _per_session(pipeline: Pipeline) -> list[Task]:
    owner_session = {
        artifact: session.function_name
        for session in pipeline.sessions
        for artifact in session.artifacts
    }
    needed_later: dict[str, set[str]] = {}
    for session in pipeline.sessions:
        for item in session.inputs:
            needed_later.setdefault(owner_session[item.artifact], set()).add(item.artifact)
    # file_system/db artifacts have no value: the session function returns none for them.
    valued = {a.name for a in pipeline.value_artifacts}
    tasks = []
    for session in pipeline.sessions:
        name = _session_task_name(session.function_name)
        inputs = tuple(
            TaskInput(
                item.name,
                _session_task_name(owner_session[item.artifact]),
                _output_name(item.artifact),
            )
            for item in sorted(session.inputs, key=lambda i: i.name)
        )
        upstream = {i.task for i in inputs}
        for artifact in session.artifacts:
            for needed in pipeline.dependencies.get(artifact, ()):
                other = owner_session.get(needed)
                if other is not None and other != session.function_name:
                    upstream.add(_session_task_name(other))
        handed = sorted(needed_later.get(session.function_name, ()))
        arguments = tuple((a, a) for a in session.arguments)
        tasks.append(
            Task(
                name=name,
                functions=(session.function_name,),
                parameters=session.parameters,
                inputs=inputs,
                outputs=tuple(_output_name(a) for a in handed),
                artifacts=MappingProxyType(
                    {a: f"{SESSION_RESULT}[{a!r}]" for a in session.artifacts if a in valued}
                ),
                upstream=tuple(sorted(upstream)),
                calls=(Call(session.function_name, arguments, (SESSION_RESULT,)),),
                extra_lines=tuple(f"{_output_name(a)} = {SESSION_RESULT}[{a!r}]" for a in handed),
            )
        )
    return tasks


def _output_name(artifact: str) -> str:
    from linea_core.pipeline.naming import identifier

    return identifier(artifact)


def _single(pipeline: Pipeline) -> Task:
    parameters = tuple(sorted(p.name for p in pipeline.parameters))
    return Task(
        name=pipeline.name,
        functions=("run_all_sessions",),
        parameters=parameters,
        inputs=(),
        outputs=(),
        artifacts=MappingProxyType(
            {a.name: f"{PIPELINE_RESULT}[{a.name!r}]" for a in pipeline.value_artifacts}
        ),
        upstream=(),
        calls=(Call("run_all_sessions", tuple((p, p) for p in parameters), (PIPELINE_RESULT,)),),
    )


def _ordered(tasks: list[Task]) -> list[Task]:
    """Tasks in a topological order, stable (original order among ready tasks)."""
    by_name = {t.name: t for t in tasks}
    position = {t.name: i for i, t in enumerate(tasks)}
    sorter: TopologicalSorter[str] = TopologicalSorter()
    for task in tasks:
        sorter.add(task.name, *task.upstream)
    try:
        sorter.prepare()
    except CycleError as exc:
        cycle = exc.args[1]
        raise DependencyCycleError(
            "the pipeline's tasks form a cycle: "
            + " -> ".join(cycle)
            + "; check the dependencies argument (an artifact cannot need one computed after it)"
        ) from None
    order: list[Task] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=lambda n: position.get(n, len(position)))
        for name in ready:
            if name in by_name:
                order.append(by_name[name])
            sorter.done(name)
    return order
