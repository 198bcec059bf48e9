"""One session's artifacts refactored into module functions.

Artifacts are taken in the order they were saved. For each, the statements its slice
keeps that no earlier function already runs are its *remaining* statements. Of those,
the ones a later artifact also needs, other than through this artifact's own value
(a later ``mod.predict(...)`` needs the fitted ``mod``: that is the artifact; a later
``X_test = split_samples[1]`` needs ``split_samples``: that is shared work), are
factored into a function of their own, run first: ``get_<vars>_for_artifact_<a>_and_
downstream``. The rest is ``get_<a>``. This is the iris example of LineaPy's docs.

Values flow between functions as arguments and return values: a function takes every
name its code reads before binding it (parameters, values of earlier functions,
artifacts of earlier sessions) and returns the names later functions take from it.
Which earlier function provides a name is decided by the original execution order:
the latest statement before the reader that bound or changed it.

Running functions one after another reorders statements. That is only safe when no
moved statement reads a name that a statement running earlier in the new order
changed after it in the original one. The refactoring checks exactly that and, when
it fails, keeps the session's code as one function in its original order (the values
of artifacts snapshotted where they were saved), so generated code is never wrong.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from linea_core.graph.model import Edge, NodeKind, SliceRoot
from linea_core.pipeline.errors import PipelineError
from linea_core.pipeline.model import (
    Call,
    FunctionKind,
    ModuleFunction,
    PipelineSession,
    SessionInput,
    SessionStep,
)
from linea_core.pipeline.naming import identifier, unique
from linea_core.slicing.artifact_slices import SessionSlices, SlicedStatement


@dataclass(frozen=True)
class SessionTarget:
    """An artifact of the session, as the pipeline wants it.

    ``reused``: load the stored value (``loader`` is the expression) instead of
    recomputing it. ``in_output``: the pipeline returns its value (False for an artifact
    only listed in ``reuse_pre_computed_artifacts``).
    """

    name: str
    version: int
    root: SliceRoot
    reused: bool = False
    in_output: bool = True
    loader: str | None = None


@dataclass(frozen=True)
class SessionPlan:
    """Everything the builder needs to know about the session once refactored."""

    session: PipelineSession
    artifact_functions: Mapping[str, tuple[str, str | None]]  # artifact -> (function, output)


@dataclass
class _Draft:
    kind: FunctionKind
    nodes: list[int]
    artifacts: list[str] = field(default_factory=list)
    for_artifact: str = ""
    reused_loader: str | None = None
    # filled by _resolve
    name: str = ""
    inputs: dict[str, int] = field(default_factory=dict)  # name -> provider draft (-1: none)
    outputs: list[str] = field(default_factory=list)
    value_names: dict[str, str] = field(default_factory=dict)  # artifact -> output name
    body_tail: list[str] = field(default_factory=list)  # lines after the statements


class _Unsafe(Exception):
    """Splitting this session into functions would reorder a read past a change."""


def refactor_session(
    *,
    session_id: str,
    session_name: str | None,
    slices: SessionSlices,
    targets: Sequence[SessionTarget],
    parameter_nodes: frozenset[int],
    parameters: frozenset[str],
    session_inputs: Mapping[str, str],
    hoisted: frozenset[int],
    module_names: frozenset[str],
    taken: set[str],
    include_non_slice_as_comment: bool = False,
) -> SessionPlan:
    """Turn one session's artifacts into module functions and the session function.

    ``parameter_nodes``: assignments replaced by ``parameters``; ``hoisted``: import
    statements moved to the module's top, binding ``module_names``;
    ``session_inputs``: argument name -> artifact of an earlier session; ``taken``:
    function names already used in the module (updated).
    """
    context = _Context(
        slices, targets, parameter_nodes, parameters, session_inputs, hoisted, module_names
    )
    try:
        drafts = context.split()
        context.resolve(drafts)
    except _Unsafe:
        drafts = context.whole()
        context.resolve(drafts)
    return context.finish(session_id, session_name, drafts, taken, include_non_slice_as_comment)


class _Context:
    def __init__(
        self,
        slices: SessionSlices,
        targets: Sequence[SessionTarget],
        parameter_nodes: frozenset[int],
        parameters: frozenset[str],
        session_inputs: Mapping[str, str],
        hoisted: frozenset[int],
        module_names: frozenset[str],
    ) -> None:
        self.slices = slices
        self.graph = slices.graph
        self.statements = slices.statements
        self.targets = list(targets)
        self.by_name = {a.name: a for a in slices.artifacts}
        self.parameter_nodes = parameter_nodes
        self.parameters = parameters
        self.session_inputs = session_inputs
        self.hoisted = hoisted
        self.module_names = module_names
        self.order = sorted(range(len(targets)), key=lambda i: (targets[i].root.save_node, i))
        self.changed = self._changed_names()

    # -- facts ------------------------------------------------------------------------

    def _changed_names(self) -> dict[int, frozenset[str]]:
        """Per kept node: names it binds, or through which later code used its changes."""
        found: dict[int, set[str]] = {n: set(s.binds) for n, s in self.statements.items()}
        for node in self.graph.nodes:
            for edge in node.deps:
                if edge.producer in found:
                    found[edge.producer].update(edge.names)
        for target in self.targets:
            for edge in target.root.edges:
                if edge.producer in found:
                    found[edge.producer].update(edge.names)
        return {n: frozenset(names) for n, names in found.items()}

    def body_nodes(self, index: int) -> list[int]:
        slice_ = self.by_name[self.targets[index].name]
        return [n for n in slice_.nodes if n not in self.parameter_nodes and n not in self.hoisted]

    def value_source(self, name: str) -> str | None:
        return self.by_name[name].value_source

    # -- splitting --------------------------------------------------------------------

    def split(self) -> list[_Draft]:
        assigned: set[int] = set()
        drafts: list[_Draft] = []
        deps = {n: self.graph.nodes[n].deps for n in self.statements}
        for position, index in enumerate(self.order):
            target = self.targets[index]
            remaining = set(self.body_nodes(index)) - assigned
            value = self.value_source(target.name)
            own = {value} if value and value.isidentifier() else set()
            save = target.root.save_node
            need = self._shared(position, remaining, assigned, own, save, deps)
            common = sorted(need)
            if target.reused:
                if common:
                    drafts.append(_Draft(FunctionKind.COMMON, common, for_artifact=target.name))
                drafts.append(
                    _Draft(
                        FunctionKind.REUSED, [], [target.name], reused_loader=target.loader or ""
                    )
                )
            elif need and need != remaining:
                drafts.append(_Draft(FunctionKind.COMMON, common, for_artifact=target.name))
                drafts.append(
                    _Draft(FunctionKind.ARTIFACT, sorted(remaining - need), [target.name])
                )
            else:
                drafts.append(_Draft(FunctionKind.ARTIFACT, sorted(remaining), [target.name]))
            assigned |= remaining
        return drafts

    def _shared(
        self,
        position: int,
        remaining: set[int],
        assigned: set[int],
        own: set[str],
        save: int,
        deps: Mapping[int, tuple[Edge, ...]],
    ) -> set[int]:
        """Remaining statements of the artifact at ``position`` that later artifacts need
        other than through its value (``own``, read after its ``save``)."""
        need: set[int] = set()
        stack: list[int] = []

        def want(node_id: int) -> None:
            if node_id in remaining and node_id not in need:
                need.add(node_id)
                stack.append(node_id)

        for later in self.order[position + 1 :]:
            later_target = self.targets[later]
            for consumer in self.by_name[later_target.name].nodes:
                if consumer in remaining or consumer in assigned:
                    continue
                for edge in deps.get(consumer, ()):
                    if edge.producer in remaining and not (
                        consumer > save and edge.via and edge.via <= own
                    ):
                        want(edge.producer)
            for edge in later_target.root.edges:
                if edge.producer in remaining and not (edge.via and edge.via <= own):
                    want(edge.producer)
        while stack:
            for edge in deps.get(stack.pop(), ()):
                want(edge.producer)
        return need

    def whole(self) -> list[_Draft]:
        """The fallback: every kept statement of the session in one function, in order."""
        nodes: set[int] = set()
        for index in self.order:
            if not self.targets[index].reused:
                nodes.update(self.body_nodes(index))
        drafts = []
        names = [self.targets[i].name for i in self.order if not self.targets[i].reused]
        if names:
            drafts.append(_Draft(FunctionKind.ARTIFACT, sorted(nodes), names))
        # Reused artifacts' values are loaded first: the code above no longer computes them.
        reused = [
            _Draft(FunctionKind.REUSED, [], [t.name], reused_loader=t.loader or "")
            for t in self.targets
            if t.reused
        ]
        return reused + drafts

    # -- values flowing between functions -------------------------------------------

    def resolve(self, drafts: list[_Draft]) -> None:
        """Fill each draft's inputs (with their provider) and outputs; raise _Unsafe."""
        # Where each name is defined: (node position, draft) pairs, node position being
        # the node id, or the save node for a reused artifact's loaded value.
        defined: list[tuple[int, int, frozenset[str]]] = []
        for number, draft in enumerate(drafts):
            for node_id in draft.nodes:
                defined.append((node_id, number, self.changed.get(node_id, frozenset())))
            if draft.kind is FunctionKind.REUSED:
                target = self._target(draft.artifacts[0])
                value = self.value_source(target.name)
                if value and value.isidentifier():
                    defined.append((target.root.save_node, number, frozenset({value})))
        for number, draft in enumerate(drafts):
            reads = self._reads(draft)
            draft.inputs = {}
            for name, position in reads.items():
                provider = self._provider(defined, name, position, number)
                if provider is not None:
                    draft.inputs[name] = provider
                elif name in self.parameters or name in self.session_inputs:
                    draft.inputs[name] = -1
                # else: a built-in, a dunder such as __name__, or a name the code reads
                # on a path that does not run: the module's global namespace has it
        for number, draft in enumerate(drafts):
            outputs = sorted(
                {
                    name
                    for later in drafts[number + 1 :]
                    for name, provider in later.inputs.items()
                    if provider == number
                }
            )
            draft.value_names = {}
            firsts: list[str] = []
            for artifact in draft.artifacts:
                out = self._value_output(draft, artifact)
                if out is not None:
                    draft.value_names[artifact] = out
                    if out not in firsts:
                        firsts.append(out)
            draft.outputs = firsts + [name for name in outputs if name not in firsts]

    def _target(self, name: str) -> SessionTarget:
        return next(t for t in self.targets if t.name == name)

    def _reads(self, draft: _Draft) -> dict[str, int]:
        """Free names of the draft's code -> the node position of their first read."""
        bound: set[str] = set()
        free: dict[str, int] = {}
        for node_id in draft.nodes:
            statement = self.statements[node_id]
            for name in statement.reads:
                if name not in bound and name not in free:
                    free[name] = node_id
            bound |= statement.binds
        for artifact in draft.artifacts:
            if draft.kind is FunctionKind.REUSED:
                continue
            value = self.value_source(artifact)
            save = self._target(artifact).root.save_node
            if value is not None:
                for name in _names_in(value):
                    if name not in bound and name not in free:
                        free[name] = save
        return {name: position for name, position in free.items() if name not in self.module_names}

    def _provider(
        self,
        defined: list[tuple[int, int, frozenset[str]]],
        name: str,
        position: int,
        reader: int,
    ) -> int | None:
        """The draft whose value of ``name`` the read at ``position`` saw originally.

        Raises :class:`_Unsafe` when the new order breaks that: the latest definition
        before the read is in a draft running after the reader, or a draft running
        before the reader defines or changes the name after the read.
        """
        best: tuple[int, int] | None = None
        for node_id, number, names in defined:
            if name not in names or number == reader:
                continue
            if number < reader and node_id > position:
                raise _Unsafe
            if node_id < position and (best is None or node_id > best[0]):
                best = (node_id, number)
        if best is None:
            return None
        if best[1] > reader:
            raise _Unsafe
        return best[1]

    def _value_output(self, draft: _Draft, artifact: str) -> str | None:
        """The output name holding ``artifact``'s value (None: file_system/db artifacts)."""
        slice_ = self.by_name[artifact]
        value = slice_.value_source
        if slice_.external_state is not None or value is None:
            return None
        if draft.kind is FunctionKind.REUSED:
            return value if value.isidentifier() else identifier(artifact)
        if value.isidentifier() and len(draft.artifacts) == 1:
            return value
        return None  # computed into a fresh name by finish()

    # -- rendering the drafts into module functions --------------------------------

    def finish(
        self,
        session_id: str,
        session_name: str | None,
        drafts: list[_Draft],
        taken: set[str],
        include_non_slice_as_comment: bool,
    ) -> SessionPlan:
        kept_anywhere = set(self.statements)
        for draft in drafts:
            self._name(draft, taken)
        functions: list[ModuleFunction] = []
        artifact_functions: dict[str, tuple[str, str | None]] = {}
        for number, draft in enumerate(drafts):
            what = ", ".join(repr(a) for a in draft.artifacts) or repr(draft.for_artifact)
            check_no_linea(self.statements, draft.nodes, f"the code of artifact {what}")
            body = self._body(draft, kept_anywhere, include_non_slice_as_comment)
            for artifact in draft.artifacts:
                artifact_functions[artifact] = (draft.name, draft.value_names.get(artifact))
            inputs = sorted(n for n, p in draft.inputs.items() if n not in self.parameters)
            functions.append(
                ModuleFunction(
                    name=draft.name,
                    kind=draft.kind,
                    session_id=session_id,
                    artifacts=tuple(draft.artifacts),
                    parameters=tuple(sorted(n for n in draft.inputs if n in self.parameters)),
                    inputs=tuple(inputs),
                    outputs=tuple(draft.outputs),
                    body=body,
                    after=tuple(self._order_dependencies(drafts, number)),
                )
            )
        steps = self._steps(drafts, functions)
        first = next(
            (self.targets[i].name for i in self.order if self.targets[i].in_output),
            self.targets[self.order[0]].name,
        )
        session_function = unique(f"run_session_including_{identifier(first)}", taken)
        taken.add(session_function)
        used_parameters = sorted({p for f in functions for p in f.parameters})
        used_inputs = sorted({i for f in functions for i in f.inputs if i in self.session_inputs})
        session = PipelineSession(
            id=session_id,
            name=session_name,
            function_name=session_function,
            functions=tuple(functions),
            steps=steps,
            artifacts=tuple(self.targets[i].name for i in self.order if self.targets[i].in_output),
            parameters=tuple(used_parameters),
            inputs=tuple(SessionInput(name, self.session_inputs[name]) for name in used_inputs),
        )
        return SessionPlan(session, artifact_functions)

    def _name(self, draft: _Draft, taken: set[str]) -> None:
        if draft.kind is FunctionKind.COMMON:
            what = "_".join(draft.outputs) if draft.outputs else "common_code"
            base = f"get_{what}_for_artifact_{identifier(draft.for_artifact)}_and_downstream"
        elif len(draft.artifacts) == 1:
            base = f"get_{identifier(draft.artifacts[0])}"
        else:
            base = "get_" + "_and_".join(identifier(a) for a in draft.artifacts)
        draft.name = unique(base, taken)
        taken.add(draft.name)
        # Values that are not a plain variable of the function get a fresh name.
        for artifact in draft.artifacts:
            if artifact in draft.value_names:
                continue
            slice_ = self.by_name[artifact]
            if slice_.external_state is not None or slice_.value_source is None:
                continue
            used = {n for node in draft.nodes for n in self.statements[node].binds}
            used |= set(draft.inputs) | set(draft.outputs)
            name = unique(identifier(artifact), used)
            draft.value_names[artifact] = name
            draft.outputs.insert(len(draft.value_names) - 1, name)

    def _body(self, draft: _Draft, kept_anywhere: set[int], with_comments: bool) -> str:
        if draft.kind is FunctionKind.REUSED:
            (artifact,) = draft.artifacts
            return f"{draft.value_names[artifact]} = {draft.reused_loader}"
        lines: list[str] = []
        if any("__name__" in self.statements[n].reads for n in draft.nodes):
            # The traced code ran as a script or notebook, where __name__ is "__main__";
            # inside an imported module it would not be, and `if __name__ == ...` would skip.
            lines.append('__name__ = "__main__"')
        snapshots = self._snapshots(draft)
        previous: int | None = None
        for node_id in draft.nodes:
            if with_comments and previous is not None:
                for skipped in range(previous + 1, node_id):
                    if skipped not in kept_anywhere:
                        lines.extend(_commented(self.graph.nodes[skipped].source))
            previous = node_id
            for position, text in snapshots:
                if position < node_id:
                    lines.append(text)
            snapshots = [(p, t) for p, t in snapshots if p >= node_id]
            statement = self.statements[node_id]
            lines.append(statement.text)
        lines.extend(text for _, text in snapshots)
        return "\n".join(lines)

    def _snapshots(self, draft: _Draft) -> list[tuple[int, str]]:
        """``name = value`` lines recording artifact values where they were saved."""
        out: list[tuple[int, str]] = []
        last = max(draft.nodes, default=-1)
        for artifact in draft.artifacts:
            name = draft.value_names.get(artifact)
            value = self.value_source(artifact)
            if name is None or value is None or name == value:
                continue
            save = self._target(artifact).root.save_node
            later = [n for n in draft.nodes if n > save]
            reads_later = any(
                not set(_names_in(value)).isdisjoint(self.statements[n].reads | self.changed[n])
                for n in later
            )
            expression = f"copy.deepcopy({value})" if reads_later else value
            out.append((save if save < last else last, f"{name} = {expression}"))
        return out

    def _order_dependencies(self, drafts: list[_Draft], number: int) -> list[str]:
        """Earlier drafts this one depends on through graph edges but no value."""
        mine = set(drafts[number].nodes)
        owner = {n: i for i, d in enumerate(drafts) for n in d.nodes}
        found: set[int] = set()
        for node_id in mine:
            for edge in self.graph.nodes[node_id].deps:
                other = owner.get(edge.producer)
                if other is not None and other < number:
                    found.add(other)
        found -= set(drafts[number].inputs.values())
        return [drafts[i].name for i in sorted(found)]

    def _steps(
        self, drafts: list[_Draft], functions: list[ModuleFunction]
    ) -> tuple[SessionStep, ...]:
        """Calls of the session function, renaming a local a later call would clobber."""

        def needed_after(number: int, holder: int, name: str) -> bool:
            return any(d.inputs.get(name) == holder for d in drafts[number + 1 :])

        local_of: dict[tuple[int, str], str] = {}  # (draft or -1, name) -> local name
        holds: dict[str, tuple[int, str]] = {}  # local name -> what it holds now
        for name in (*self.parameters, *self.session_inputs):
            local_of[(-1, name)] = name
            holds[name] = (-1, name)
        steps: list[SessionStep] = []
        for number, (draft, function) in enumerate(zip(drafts, functions, strict=True)):
            arguments = tuple(
                (argument, local_of[(draft.inputs.get(argument, -1), argument)])
                for argument in function.arguments
            )
            results = []
            for output in function.outputs:
                local = output
                held = holds.get(local)
                if held is not None and needed_after(number, *held):
                    local = unique(output, holds)
                local_of[(number, output)] = local
                holds[local] = (number, output)
                results.append(local)
            recorded = tuple(
                (artifact, local_of[(number, name)])
                for artifact, name in draft.value_names.items()
                if self._target(artifact).in_output
            )
            copied = frozenset(
                artifact
                for artifact, name in draft.value_names.items()
                if needed_after(number, number, name)
            )
            steps.append(
                SessionStep(Call(function.name, arguments, tuple(results)), recorded, copied)
            )
        return tuple(steps)


def _names_in(expression: str) -> list[str]:
    import ast

    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        return []
    return [n.id for n in ast.walk(tree) if isinstance(n, ast.Name)]


def _commented(text: str) -> list[str]:
    return [f"# {line}".rstrip() for line in text.splitlines()]


def check_no_linea(
    statements: Mapping[int, SlicedStatement], nodes: Sequence[int], describe: str
) -> None:
    """Generated modules never import linea: fail clearly when kept code still calls it."""
    for node_id in nodes:
        statement = statements[node_id]
        if statement.uses_linea and statement.kind is not NodeKind.IMPORT:
            raise PipelineError(
                f"{describe} keeps a call to linea at line {statement.lineno} "
                f"({statement.text.strip().splitlines()[0]}); generated pipelines run without "
                "linea. If it reads another artifact with lineapy.get, add that artifact to "
                "the pipeline's artifacts (or save it with linea's default storage)."
            )
