"""Building a :class:`~linea_core.pipeline.model.Pipeline` from stored artifacts.

The steps, each with its own module: resolve the artifacts (names or ``(name,
version)``) in the store; slice each session's artifacts together
(:mod:`linea_core.slicing.artifact_slices`); turn ``input_parameters`` into parameters
(:mod:`.parameters`); order the sessions by ``dependencies`` and by the artifacts one
session reads from another; refactor each session into functions (:mod:`.refactor`);
pin the requirements (:mod:`.requirements`).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from typing import TYPE_CHECKING, Any

from linea_core.errors import LineaWarning
from linea_core.graph.model import NodeKind
from linea_core.pipeline.errors import DependencyCycleError, PipelineError
from linea_core.pipeline.model import ArtifactRef, Pipeline, PipelineSession
from linea_core.pipeline.naming import identifier, unique
from linea_core.pipeline.parameters import SessionCode, resolve_parameters
from linea_core.pipeline.refactor import SessionTarget, refactor_session
from linea_core.pipeline.requirements import pipeline_requirements
from linea_core.slicing import LoaderCode
from linea_core.slicing.artifact_slices import SessionSlices, slice_artifacts
from linea_core.slicing.linea_calls import LINEA_MODULES

if TYPE_CHECKING:
    from linea_core.store.records import ArtifactRecord
    from linea_core.store.repository import Store

ArtifactSpec = str | tuple[str, int] | tuple[str, None] | Sequence[Any]

DEFAULT_PIPELINE_NAME = "pipeline"
# Names the generated module defines itself; user code must not be shadowed by them.
RESERVED_NAMES = frozenset(
    {"run_all_sessions", "artifacts", "_boolean", "_literal", "args", "parser", "read_linea_value"}
)


class PipelineWarning(LineaWarning):
    """Something about the pipeline the user should know; it was still generated."""


@dataclass(frozen=True)
class PipelineRequest:
    """What the user asked for, normalized; also what ``create_pipeline`` stores."""

    artifacts: tuple[tuple[str, int | None], ...]
    name: str = DEFAULT_PIPELINE_NAME
    dependencies: Mapping[str, frozenset[str]] = field(default_factory=dict)
    input_parameters: tuple[str, ...] = ()
    reuse_pre_computed_artifacts: tuple[tuple[str, int | None], ...] = ()
    include_non_slice_as_comment: bool = False


def normalize_artifacts(
    specs: Iterable[ArtifactSpec], argument: str
) -> tuple[tuple[str, int | None], ...]:
    """``["a", ("b", 1)]`` -> ``(("a", None), ("b", 1))``; a clear error for anything else."""
    if isinstance(specs, (str, bytes)):
        raise PipelineError(
            f"{argument} must be a list of artifact names or (name, version) pairs, "
            f"not the string {specs!r}; write [{specs!r}]"
        )
    found: list[tuple[str, int | None]] = []
    for spec in specs:
        if isinstance(spec, str):
            found.append((spec, None))
            continue
        if (
            isinstance(spec, (tuple, list))
            and len(spec) == 2
            and isinstance(spec[0], str)
            and (spec[1] is None or (isinstance(spec[1], int) and not isinstance(spec[1], bool)))
        ):
            found.append((spec[0], spec[1]))
            continue
        raise PipelineError(
            f"{argument}: {spec!r} is neither an artifact name nor a (name, version) pair "
            "such as ('iris_model', 2)"
        )
    return tuple(found)


def normalize_dependencies(
    dependencies: Mapping[str, Iterable[str]] | None,
) -> dict[str, frozenset[str]]:
    if not dependencies:
        return {}
    if not isinstance(dependencies, Mapping):
        raise PipelineError(
            "dependencies must be a dict like {'model': {'preprocessed'}} "
            f"(artifact -> artifacts it needs), not {type(dependencies).__name__}"
        )
    out: dict[str, frozenset[str]] = {}
    for key, value in dependencies.items():
        values = {value} if isinstance(value, str) else set(value)
        out[str(key)] = frozenset(str(v) for v in values)
    return out


def pipeline_name(name: str | None) -> str:
    """The pipeline's name as used in file and function names."""
    if name is None or not str(name).strip():
        return DEFAULT_PIPELINE_NAME
    text = str(name).strip()
    if text.isidentifier():
        return text
    return identifier(text, fallback="pipeline")


def make_request(
    artifacts: Iterable[ArtifactSpec],
    *,
    pipeline_name_: str | None = None,
    dependencies: Mapping[str, Iterable[str]] | None = None,
    input_parameters: Iterable[str] = (),
    reuse_pre_computed_artifacts: Iterable[ArtifactSpec] = (),
    include_non_slice_as_comment: bool = False,
) -> PipelineRequest:
    targets = normalize_artifacts(artifacts, "artifacts")
    if not targets:
        raise PipelineError("a pipeline needs at least one artifact; pass artifacts=['name', ...]")
    if isinstance(input_parameters, str):
        input_parameters = [input_parameters]
    return PipelineRequest(
        artifacts=targets,
        name=pipeline_name(pipeline_name_),
        dependencies=normalize_dependencies(dependencies),
        input_parameters=tuple(input_parameters),
        reuse_pre_computed_artifacts=normalize_artifacts(
            reuse_pre_computed_artifacts, "reuse_pre_computed_artifacts"
        ),
        include_non_slice_as_comment=bool(include_non_slice_as_comment),
    )


@dataclass
class _Session:
    id: str
    name: str | None
    python_version: str | None
    records: list[tuple[ArtifactRecord, bool, bool]]  # record, reused, in_output
    inputs: dict[str, str] = field(default_factory=dict)  # argument -> artifact
    slices: SessionSlices | None = None
    reads_stored_values: bool = False  # the module needs read_linea_value
    targets: list[SessionTarget] = field(default_factory=list)


def build_pipeline(store: Store, request: PipelineRequest) -> Pipeline:
    """The pipeline model for ``request`` from the artifacts in ``store``."""
    targets = _resolve(store, request.artifacts, "artifacts")
    names = [record.name for record in targets]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise PipelineError(
            f"artifact {duplicates[0]!r} is listed more than once; a pipeline computes one "
            "version of each artifact"
        )
    reuse = _resolve_reuse(store, request.reuse_pre_computed_artifacts, targets)
    _check_dependencies(request.dependencies, names + [r.name for r in reuse.values()])
    sessions = _group(store, targets, reuse)
    in_pipeline = {record.name: record for record in targets}
    owner_session = {record.name: record.session_id for record in targets}
    for session in sessions.values():
        _slice(store, session, in_pipeline, owner_session)
    codes = [SessionCode(s.id, s.name, s.slices) for s in sessions.values() if s.slices is not None]
    resolved = resolve_parameters(request.input_parameters, codes, names)
    parameter_names = frozenset(p.name for p in resolved.parameters)
    for name in sorted(parameter_names & RESERVED_NAMES):
        raise PipelineError(
            f"input parameter {name!r} has the name of a function or variable the generated "
            "module defines; rename the variable in your code"
        )
    order = _order_sessions(sessions, request.dependencies, owner_session)
    for session in sessions.values():
        session.targets = _targets(session, store)
    imports, hoisted, module_names = _hoist_imports([sessions[s] for s in order])
    taken: set[str] = set(module_names) | RESERVED_NAMES | _all_reads(sessions.values())
    plans = []
    artifact_function: dict[str, tuple[str, str | None]] = {}
    for session_id in order:
        session = sessions[session_id]
        assert session.slices is not None
        plan = refactor_session(
            session_id=session.id,
            session_name=session.name,
            slices=session.slices,
            targets=session.targets,
            parameter_nodes=resolved.replaced.get(session.id, frozenset()),
            parameters=parameter_names,
            session_inputs=session.inputs,
            hoisted=hoisted.get(session.id, frozenset()),
            module_names=module_names,
            taken=taken,
            include_non_slice_as_comment=request.include_non_slice_as_comment,
        )
        plans.append(plan.session)
        artifact_function.update(plan.artifact_functions)
    _warn_unused(resolved.parameters, plans)
    artifacts = _artifact_refs(plans, sessions, artifact_function)
    helpers: tuple[str, ...] = ()
    if any(s.reads_stored_values for s in sessions.values()):
        from linea_core.codegen.value_reader import reader_source

        helpers = (reader_source(),)
    requirements = pipeline_requirements(store, imports, plans, [s.id for s in plans])
    return Pipeline(
        name=request.name,
        artifacts=artifacts,
        parameters=resolved.parameters,
        sessions=tuple(plans),
        imports=tuple(imports),
        helpers=helpers,
        requirements=requirements,
        dependencies=dict(request.dependencies),
        python_version=_python_version(sessions.values()),
    )


# -- resolving artifacts ----------------------------------------------------------------


def _resolve(
    store: Store, specs: Sequence[tuple[str, int | None]], argument: str
) -> list[ArtifactRecord]:
    records = []
    for name, version in specs:
        record = store.get_artifact(name, version)
        if argument == "artifacts" and (record.session_id is None or record.slice_root is None):
            raise PipelineError(
                f"artifact {name!r} version {record.version} was saved outside a traced "
                "session, so linea has its value but no code to build a pipeline from; save "
                "it from code run with `linea python` or a notebook with %load_ext linea_core"
            )
        records.append(record)
    return records


def _resolve_reuse(
    store: Store, specs: Sequence[tuple[str, int | None]], targets: list[ArtifactRecord]
) -> dict[str, ArtifactRecord]:
    by_name = {record.name: record for record in targets}
    sessions = {record.session_id for record in targets}
    found: dict[str, ArtifactRecord] = {}
    for name, version in specs:
        if name in by_name and version is None:
            record = by_name[name]
        else:
            record = store.get_artifact(name, version)
            if name in by_name and by_name[name].version != record.version:
                raise PipelineError(
                    f"reuse_pre_computed_artifacts names {name!r} version {record.version} but "
                    f"artifacts names version {by_name[name].version}; use one version"
                )
        if record.session_id not in sessions or record.slice_root is None:
            raise PipelineError(
                f"reuse_pre_computed_artifacts: {name!r} is not computed by the code of any "
                "of the pipeline's artifacts' sessions; list artifacts those sessions compute"
            )
        found[name] = record
    return found


def _check_dependencies(dependencies: Mapping[str, frozenset[str]], known: list[str]) -> None:
    for artifact, needs in dependencies.items():
        for name in (artifact, *sorted(needs)):
            if name not in known:
                raise PipelineError(
                    f"dependencies name {name!r}, which is not one of the pipeline's artifacts "
                    f"({', '.join(known)}); dependencies relate artifacts of the pipeline"
                )
    sorter: TopologicalSorter[str] = TopologicalSorter()
    for artifact, needs in dependencies.items():
        sorter.add(artifact, *sorted(needs))
    try:
        sorter.prepare()
    except CycleError as exc:
        cycle = exc.args[1]
        raise DependencyCycleError(
            "dependencies form a cycle: "
            + " -> ".join(reversed(cycle))
            + "; an artifact cannot (indirectly) depend on itself"
        ) from None


def _group(
    store: Store, targets: list[ArtifactRecord], reuse: Mapping[str, ArtifactRecord]
) -> dict[str, _Session]:
    sessions: dict[str, _Session] = {}
    for record in targets:
        assert record.session_id is not None
        session = sessions.get(record.session_id)
        if session is None:
            info = store.session_info(record.session_id)
            session = sessions[record.session_id] = _Session(
                record.session_id, info.name, info.python_version, []
            )
        session.records.append((record, record.name in reuse, True))
    target_names = {record.name for record in targets}
    for name, record in reuse.items():
        if name not in target_names:
            assert record.session_id is not None
            sessions[record.session_id].records.append((record, True, False))
    return sessions


# -- slicing ------------------------------------------------------------------------------


def _slice(
    store: Store,
    session: _Session,
    in_pipeline: Mapping[str, ArtifactRecord],
    owner_session: Mapping[str, str | None],
) -> None:
    """Slice the session's artifacts together. ``lineapy.get`` of an artifact another
    session of the pipeline computes becomes an argument named after it (renamed if the
    session's code uses that name itself); other gets read the stored value."""

    graph = store.load_graph(session.id)
    ordered = sorted(
        session.records,
        key=lambda item: (item[0].slice_root.save_node, item[0].id),  # type: ignore[union-attr]
    )
    session.records = ordered
    pairs = [(record.name, record.slice_root) for record, _, _ in ordered if record.slice_root]
    avoid: set[str] = set()
    for _ in range(3):
        chosen: dict[str, str] = {}
        loader = _loader(store, session, in_pipeline, owner_session, chosen, frozenset(avoid))
        slices = slice_artifacts(graph, pairs, value_loader_source=loader)
        clashes = _clashes(slices, set(chosen.values()))
        if not clashes:
            break
        avoid |= clashes | _names_of(slices)
    session.slices = slices
    session.inputs = {argument: name for name, argument in chosen.items()}


def _loader(
    store: Store,
    session: _Session,
    in_pipeline: Mapping[str, ArtifactRecord],
    owner_session: Mapping[str, str | None],
    chosen: dict[str, str],
    avoid: frozenset[str],
) -> Callable[[str, int | None], LoaderCode | None]:
    """The ``value_loader_source`` for one slicing attempt (fills ``chosen``)."""
    from linea_core.codegen.value_loaders import stored_value_reader

    def loader(name: str, version: int | None) -> LoaderCode | None:
        target = in_pipeline.get(name)
        if (
            target is not None
            and owner_session.get(name) != session.id
            and (version is None or version == target.version)
        ):
            if name not in chosen:
                chosen[name] = unique(identifier(name), avoid | set(chosen.values()))
            return LoaderCode(chosen[name])
        code = stored_value_reader(store, name, version)
        if code is not None:
            session.reads_stored_values = True
        return code

    return loader


def _names_of(slices: SessionSlices) -> set[str]:
    found: set[str] = set()
    for statement in slices.statements.values():
        found |= statement.reads | statement.binds
    return found


def _clashes(slices: SessionSlices, arguments: set[str]) -> set[str]:
    """Arguments standing for other sessions' artifacts that the session's code also
    binds, or reads other than where a ``lineapy.get`` was replaced."""
    found: set[str] = set()
    for statement in slices.statements.values():
        found |= arguments & statement.binds
        if statement.kind is not NodeKind.ARTIFACT_GET:
            found |= arguments & statement.reads
    return found


def _targets(session: _Session, store: Store) -> list[SessionTarget]:
    from linea_core.codegen.value_loaders import stored_value_reader

    targets = []
    for record, reused, in_output in session.records:
        assert record.slice_root is not None
        loader: str | None = None
        if reused:
            code = stored_value_reader(store, record.name, record.version)
            if code is None:
                raise PipelineError(
                    f"reuse_pre_computed_artifacts: the value of {record.name!r} is kept by "
                    f"the {record.storage_backend!r} storage backend, which generated code "
                    "cannot read without linea; recompute it instead"
                )
            loader = code.expression
            session.reads_stored_values = True
        targets.append(
            SessionTarget(
                name=record.name,
                version=record.version,
                root=record.slice_root,
                reused=reused,
                in_output=in_output,
                loader=loader,
            )
        )
    return targets


# -- ordering sessions ---------------------------------------------------------------------


def _order_sessions(
    sessions: Mapping[str, _Session],
    dependencies: Mapping[str, frozenset[str]],
    owner_session: Mapping[str, str | None],
) -> list[str]:
    owner = dict(owner_session)
    for session in sessions.values():
        for record, _, _ in session.records:
            owner.setdefault(record.name, session.id)
    why: dict[tuple[str, str], str] = {}
    sorter: TopologicalSorter[str] = TopologicalSorter()
    for session in sessions.values():
        sorter.add(session.id)
        for artifact in session.inputs.values():
            other = owner[artifact]
            if other is not None and other != session.id:
                sorter.add(session.id, other)
                why.setdefault((session.id, other), f"its code reads {artifact!r}")
    for artifact, needs in dependencies.items():
        mine = owner.get(artifact)
        for needed in needs:
            other = owner.get(needed)
            if mine and other and mine != other:
                sorter.add(mine, other)
                why.setdefault((mine, other), f"{artifact!r} depends on {needed!r}")
    try:
        ordered = list(sorter.static_order())
    except CycleError as exc:
        cycle = list(reversed(exc.args[1]))
        steps = []
        for before, after in zip(cycle, cycle[1:], strict=False):
            label = sessions[before].name or before[:8]
            steps.append(
                f"session {label!r} must run after the next one because {why.get((before, after), 'of dependencies')}"
            )
        raise DependencyCycleError(
            "the sessions of the pipeline's artifacts cannot be ordered (a cycle): "
            + "; ".join(steps)
            + ". Remove one of these dependencies."
        ) from None
    # static_order is deterministic for a given insertion order: sessions in the order
    # their first artifact was listed, each after what it needs.
    return [s for s in ordered if s in sessions]


# -- imports ----------------------------------------------------------------------------------


def _hoist_imports(
    sessions: Sequence[_Session],
) -> tuple[list[str], dict[str, frozenset[int]], frozenset[str]]:
    """Import statements that can move to the module's top, per session the nodes moved.

    An import binding a name that another import binds differently, or that other code
    rebinds, stays in its function; imports of linea itself are dropped (code that
    still calls linea is refused anyway).
    """
    imports: list[tuple[str, str, int, frozenset[str]]] = []  # session, text, node, binds
    other_binds: set[str] = set()
    for session in sessions:
        assert session.slices is not None
        for node_id, statement in session.slices.statements.items():
            if statement.kind is NodeKind.IMPORT:
                imports.append((session.id, statement.text, node_id, statement.binds))
            else:
                other_binds |= statement.binds
    bound_by: dict[str, set[str]] = {}
    for _, text, _, binds in imports:
        for name in binds:
            bound_by.setdefault(name, set()).add(text)
    lines: list[str] = []
    moved: dict[str, set[int]] = {s.id: set() for s in sessions}
    names: set[str] = set()
    for session_id, text, node_id, binds in imports:
        if _imports_linea(text):
            moved[session_id].add(node_id)
            continue
        if any(len(bound_by[n]) > 1 or n in other_binds for n in binds):
            continue
        moved[session_id].add(node_id)
        names |= binds
        if text not in lines:
            lines.append(text)
    for session in sessions:
        assert session.slices is not None
        for statement in session.slices.statements.values():
            for line in statement.setup:
                if line not in lines:
                    lines.append(line)
    for line in lines:
        names |= _bound_by_import(line)
    return lines, {k: frozenset(v) for k, v in moved.items()}, frozenset(names)


def _imports_linea(text: str) -> bool:
    return any(re.search(rf"\b{module}\b", text) for module in LINEA_MODULES) and bool(
        re.match(r"\s*(import|from)\b", text)
    )


def _bound_by_import(line: str) -> set[str]:
    import ast

    try:
        tree = ast.parse(line)
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add((alias.asname or alias.name).split(".")[0])
    return names


def _all_reads(sessions: Iterable[_Session]) -> set[str]:
    found: set[str] = set()
    for session in sessions:
        assert session.slices is not None
        for statement in session.slices.statements.values():
            found |= statement.reads | statement.binds
    return found


# -- the rest ---------------------------------------------------------------------------------


def _warn_unused(parameters: Sequence[Any], plans: Sequence[PipelineSession]) -> None:
    used = {p for plan in plans for p in plan.parameters}
    for parameter in parameters:
        if parameter.name not in used:
            warnings.warn(
                f"input parameter {parameter.name!r} is only used by artifacts reused from the "
                "store, so changing it changes nothing",
                PipelineWarning,
                stacklevel=4,
            )


def _artifact_refs(
    plans: Sequence[PipelineSession],
    sessions: Mapping[str, _Session],
    functions: Mapping[str, tuple[str, str | None]],
) -> tuple[ArtifactRef, ...]:
    refs = []
    for plan in plans:
        session = sessions[plan.id]
        for record, reused, in_output in session.records:
            if not in_output:
                continue
            function, variable = functions[record.name]
            refs.append(
                ArtifactRef(
                    name=record.name,
                    version=record.version,
                    session_id=plan.id,
                    function=function,
                    variable=variable,
                    external_state=(record.external_state.value if record.external_state else None),
                    reused=reused,
                )
            )
    return tuple(refs)


def _python_version(sessions: Iterable[_Session]) -> str:
    versions = []
    for session in sessions:
        if session.python_version:
            parts = session.python_version.split(".")
            if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
                versions.append((int(parts[0]), int(parts[1])))
    if not versions:
        import sys

        return f"{sys.version_info.major}.{sys.version_info.minor}"
    major, minor = max(versions)
    return f"{major}.{minor}"
