"""The pipeline model: what every pipeline writer renders from.

Built by :func:`linea_core.pipeline.build_pipeline` from stored artifacts, a
:class:`Pipeline` is plain, immutable data:

* **module functions** (:class:`ModuleFunction`): each artifact's slice as a function
  ``get_<artifact>(...)``; code several artifacts of a session share, factored out once
  (``get_<vars>_for_artifact_<a>_and_downstream``); artifacts reused from the store
  (a function that loads the stored value);
* **sessions** (:class:`PipelineSession`): the functions of one traced session in the
  order they run, ordered among sessions by the user's ``dependencies`` and by the
  artifacts one session reads from another;
* **parameters** (:class:`Parameter`): the ``input_parameters``, with their literal
  default and type;
* **requirements** (:class:`Requirement`): the distributions the module imports, pinned
  to the versions recorded when the session was traced.

Writers choose how to break the work into tasks: :meth:`Pipeline.task_graph` gives a
:class:`TaskGraph` for one :class:`TaskBreakdown` (a task per function, per session, or
one for everything). Each :class:`Task` says which parameters it takes, which values it
receives from which upstream task, which values it hands on, and the code that calls
the module's functions. How values travel between tasks (in one process, or pickled
to a location that may be any fsspec URL) is the writer's choice; see
:mod:`linea_core.pipeline.handoff` for the shared helpers.

Nothing here imports heavy libraries or touches the store: a writer plugin can build
models by hand in its own tests.
"""

from __future__ import annotations

import keyword
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any

from linea_core.pipeline.errors import PipelineError


class ParameterType(str, Enum):
    """The type of a pipeline parameter, from the literal it was assigned.

    ``LITERAL`` covers ``None`` and containers of literals (lists, tuples, dicts, sets):
    on a command line they are given as Python literals (``"[1, 2]"``).
    """

    STR = "str"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    LITERAL = "literal"

    @classmethod
    def of(cls, value: object) -> ParameterType:
        if isinstance(value, bool):
            return cls.BOOL
        if isinstance(value, int):
            return cls.INT
        if isinstance(value, float):
            return cls.FLOAT
        if isinstance(value, str):
            return cls.STR
        return cls.LITERAL

    @property
    def json_type(self) -> str | None:
        """The JSON-schema type (Airflow ``Param(type=...)``), None when it varies."""
        return {
            ParameterType.STR: "string",
            ParameterType.INT: "integer",
            ParameterType.FLOAT: "number",
            ParameterType.BOOL: "boolean",
        }.get(self)


@dataclass(frozen=True)
class SourceLine:
    """Where a statement was in the traced session (for messages and comments)."""

    session_id: str
    session_name: str | None
    block: int
    lineno: int
    text: str

    def describe(self) -> str:
        where = self.session_name or self.session_id[:8]
        cell = f"block {self.block + 1}, " if self.block else ""
        return f"session {where!r} ({cell}line {self.lineno}): {self.text.strip()}"


@dataclass(frozen=True)
class Parameter:
    """An input parameter: a literal assignment of the traced code made tunable.

    ``default`` is the literal the user's code assigned; ``assigned_at`` lists where
    (the same literal may be assigned in several sessions).
    """

    name: str
    default: Any
    type: ParameterType
    assigned_at: tuple[SourceLine, ...] = ()

    @property
    def default_source(self) -> str:
        """The default as Python source (``0.33``, ``'iris.csv'``)."""
        return repr(self.default)


class FunctionKind(str, Enum):
    """Why a module function exists."""

    ARTIFACT = "artifact"  # computes one artifact's value (returns it first)
    COMMON = "common"  # code several artifacts share, factored out once
    REUSED = "reused"  # loads an artifact's stored value instead of recomputing it


@dataclass(frozen=True)
class ModuleFunction:
    """One function of the generated module.

    Its arguments are ``parameters`` (pipeline parameters) and ``inputs`` (values
    returned by earlier functions of the session, or artifacts of earlier sessions), in
    the order of :attr:`arguments`. It returns ``outputs`` (a single value, or a tuple in
    that order); an artifact function returns its artifacts' values first. ``body`` is
    the function's code without the ``def`` line and the ``return``, unindented.
    ``artifacts`` are the artifacts it computes (usually one; several when a session's
    code could not be split safely, empty for shared code). ``after`` names functions
    of the same session that must run first although no value flows from them (they
    write a file this one reads, for instance).
    """

    name: str
    kind: FunctionKind
    session_id: str
    artifacts: tuple[str, ...]
    parameters: tuple[str, ...]
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    body: str
    after: tuple[str, ...] = ()

    @property
    def arguments(self) -> tuple[str, ...]:
        """Every argument, sorted by name (the order of the ``def`` line)."""
        return tuple(sorted((*self.parameters, *self.inputs)))

    @property
    def source(self) -> str:
        """The function's full definition (``def ...:`` + body + ``return``)."""
        from linea_core.pipeline.module_code import function_source

        return function_source(self)


@dataclass(frozen=True)
class ArtifactRef:
    """One artifact of the pipeline and where its value comes from.

    ``variable`` is the output of ``function`` holding the value (None for artifacts
    saved from ``file_system``/``db``: their function redoes the writes and returns no
    value, and they are not part of the values the pipeline returns).
    """

    name: str
    version: int
    session_id: str
    function: str
    variable: str | None
    external_state: str | None = None
    reused: bool = False


@dataclass(frozen=True)
class SessionInput:
    """An artifact value a session takes from an earlier session.

    Inside the session the value is the argument ``name`` (the session's code read it
    with ``lineapy.get(artifact)``).
    """

    name: str
    artifact: str


@dataclass(frozen=True)
class SessionStep:
    """One call in a session function, and the artifacts whose values it produced.

    ``call.results`` are the session function's locals bound to the function's outputs
    (usually the output names themselves; renamed when a later call returns a value of
    the same name that an even later call must not see). ``artifacts`` pairs each
    artifact computed by this call with the local holding its value; the values of
    ``copied`` artifacts are deep-copied when recorded because later calls receive the
    object and may change it.
    """

    call: Call
    artifacts: tuple[tuple[str, str], ...] = ()
    copied: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PipelineSession:
    """The functions of one traced session and the calls that run them, in order."""

    id: str
    name: str | None
    function_name: str  # run_session_including_<first artifact>
    functions: tuple[ModuleFunction, ...]
    steps: tuple[SessionStep, ...]
    artifacts: tuple[str, ...]
    parameters: tuple[str, ...]
    inputs: tuple[SessionInput, ...]

    @property
    def arguments(self) -> tuple[str, ...]:
        """The session function's arguments: inputs (no default) then parameters."""
        return (*sorted(i.name for i in self.inputs), *sorted(self.parameters))


@dataclass(frozen=True)
class Requirement:
    """A distribution the pipeline imports, pinned to the version seen when traced.

    ``version`` is None when linea does not know it (a module from a local file or a
    session traced before versions were recorded and not installed here).
    """

    distribution: str
    version: str | None
    modules: tuple[str, ...]

    @property
    def pin(self) -> str:
        """The requirements-file line: ``scikit-learn==1.5.2``."""
        return f"{self.distribution}=={self.version}" if self.version else self.distribution


class TaskBreakdown(str, Enum):
    """How a writer splits the pipeline into tasks (its units of execution)."""

    ARTIFACT = "artifact"  # a task per module function: artifacts and shared code
    SESSION = "session"  # a task per traced session
    PIPELINE = "pipeline"  # one task running everything


@dataclass(frozen=True)
class TaskInput:
    """A value a task receives: bind ``name`` to ``variable`` output by task ``task``."""

    name: str
    task: str
    variable: str


@dataclass(frozen=True)
class Call:
    """One call a task makes: ``results = module.function(argument=local, ...)``.

    ``arguments`` pairs each argument name of the function with the task's local
    variable passed to it. ``results`` are the locals bound to what it returns: one name
    for a single value, several to unpack a tuple, none when it returns nothing.
    """

    function: str
    arguments: tuple[tuple[str, str], ...]
    results: tuple[str, ...]

    def render(self, module: str) -> str:
        args = ", ".join(f"{name}={local}" for name, local in self.arguments)
        call = f"{module}.{self.function}({args})"
        if not self.results:
            return call
        return f"{', '.join(self.results)} = {call}"


@dataclass(frozen=True)
class Task:
    """A unit of execution for an orchestrator.

    Before :meth:`code` runs, each name in ``parameters`` must be bound to the
    pipeline parameter of that name and each :class:`TaskInput` to the upstream value it
    names; afterwards each name in ``outputs`` holds a value a downstream task needs and
    ``artifacts`` maps each artifact the task computes to the expression of its value.
    ``upstream`` lists the tasks that must finish first (data and ordering dependencies).
    """

    name: str
    functions: tuple[str, ...]
    parameters: tuple[str, ...]
    inputs: tuple[TaskInput, ...]
    outputs: tuple[str, ...]
    artifacts: Mapping[str, str]
    upstream: tuple[str, ...]
    calls: tuple[Call, ...]
    extra_lines: tuple[str, ...] = ()

    def code(self, module: str) -> str:
        """The statements running this task's calls, the module imported as ``module``."""
        lines = [call.render(module) for call in self.calls]
        lines.extend(self.extra_lines)
        return "\n".join(lines)


@dataclass(frozen=True)
class TaskGraph:
    """Tasks in an order that respects ``Task.upstream`` (the first has no upstream)."""

    breakdown: TaskBreakdown
    tasks: tuple[Task, ...]

    def task(self, name: str) -> Task:
        for task in self.tasks:
            if task.name == name:
                return task
        raise KeyError(name)

    @property
    def edges(self) -> Mapping[str, frozenset[str]]:
        """graphlib-style ``{task: {prerequisite, ...}}``."""
        return MappingProxyType({task.name: frozenset(task.upstream) for task in self.tasks})

    @property
    def sinks(self) -> tuple[str, ...]:
        """Tasks no other task waits for."""
        waited = {name for task in self.tasks for name in task.upstream}
        return tuple(task.name for task in self.tasks if task.name not in waited)


@dataclass(frozen=True)
class Pipeline:
    """A pipeline built from artifacts: the contract between core and pipeline writers.

    ``name`` is a valid Python identifier (files are named ``<name>_module.py`` and so
    on). ``dependencies`` are the user's artifact-level dependencies (graphlib style:
    ``{artifact: {prerequisite, ...}}``). ``python_version`` is ``"3.11"``-style: the
    Python the sessions were traced with (the newest when they differ). ``helpers``
    are functions the module defines before its own (``read_linea_value``, which
    reads stored values for reused artifacts without linea).
    """

    name: str
    artifacts: tuple[ArtifactRef, ...]
    parameters: tuple[Parameter, ...]
    sessions: tuple[PipelineSession, ...]
    imports: tuple[str, ...]
    requirements: tuple[Requirement, ...]
    dependencies: Mapping[str, frozenset[str]] = field(default_factory=dict)
    helpers: tuple[str, ...] = ()
    python_version: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.name.isidentifier() or keyword.iskeyword(self.name):
            raise PipelineError(
                f"pipeline name {self.name!r} is not a Python identifier; "
                "use letters, digits and underscores"
            )

    @property
    def module_name(self) -> str:
        """The generated module's import name: ``<name>_module``."""
        return f"{self.name}_module"

    @property
    def functions(self) -> tuple[ModuleFunction, ...]:
        """Every module function, in the order the pipeline runs them."""
        return tuple(f for session in self.sessions for f in session.functions)

    def function(self, name: str) -> ModuleFunction:
        for function in self.functions:
            if function.name == name:
                return function
        raise KeyError(name)

    def artifact(self, name: str) -> ArtifactRef:
        for artifact in self.artifacts:
            if artifact.name == name:
                return artifact
        raise KeyError(name)

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        raise KeyError(name)

    @property
    def value_artifacts(self) -> tuple[ArtifactRef, ...]:
        """Artifacts whose values the pipeline returns (not file_system/db ones)."""
        return tuple(a for a in self.artifacts if a.variable is not None)

    def task_graph(self, breakdown: TaskBreakdown | str = TaskBreakdown.ARTIFACT) -> TaskGraph:
        """The tasks for ``breakdown`` (see :class:`TaskBreakdown`)."""
        from linea_core.pipeline.tasks import task_graph

        return task_graph(self, TaskBreakdown(breakdown))
