"""The per-statement pipeline: learn what one top-level statement did while it runs natively.

For each statement, before it runs: the names it reads (static facts, plus globals the
user functions it may call reach) give its dependency edges; its calls are resolved
against annotation packs; when a call is not described, a fingerprint of everything the
statement could touch is taken. The statement then runs with a plain ``exec``. After it
ran: identity checks tell which names were rebound, fingerprints / annotations /
explicit mutation targets tell which objects changed, reachability walks merge alias
sets (containers holding inputs, numpy/pandas views), and the audit hook tells which
files were read and written.

Nothing here may turn a working program into a failing one: when the analysis itself
fails, the statement still runs (or has run) and is recorded as opaque.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import CodeType, FunctionType, MethodType, ModuleType
from typing import TYPE_CHECKING, Any

from linea_core.capture.fingerprint import (
    CLASS,
    DICT,
    FUNCTION,
    INSTANCE,
    LIST,
    MODULE,
    NDARRAY,
    PD_FRAME,
    PD_SERIES,
    SCALAR,
    SET,
    TUPLE,
    Snapshot,
    pandas_copy_on_write,
)
from linea_core.capture.functions import Summary
from linea_core.graph.model import Edge, ExternalState, Node, NodeKind

if TYPE_CHECKING:
    from linea_core.capture.calls import ResolvedCall
    from linea_core.capture.session import TracingSession
    from linea_core.syntax.facts import StatementFacts

MISSING: Any = object()

# Iterating these never runs user code and never changes them.
_PURE_ITERABLE_KINDS = frozenset({SCALAR, TUPLE, LIST, DICT, SET, NDARRAY, PD_FRAME, PD_SERIES})
# Objects that are code or namespaces rather than data: a statement reading them is not
# given fingerprints of them (user functions' and classes' state is walked through
# their own kinds when they are the user's).
_LIBRARY_CODE_KINDS = frozenset({FUNCTION, CLASS, MODULE})


class LineaOpaqueWarning(UserWarning):
    """A statement ran untouched as one opaque unit: linea could not analyse it."""


class _Opaque(Exception):
    """Raised during preparation: the statement must run as an opaque unit."""


@dataclass(frozen=True)
class StaticInfo:
    """What is known about a statement's text: cached per source text."""

    facts: StatementFacts | None
    certain_binds: frozenset[str]
    save_names: frozenset[str]
    error: str | None = None
    result_targets: tuple[str, ...] | None = None
    result_is_tuple: bool = False
    has_calls: bool = False


@dataclass
class StatementRun:
    """The statement being executed; ``save()`` reads it through the session."""

    node_id: int
    block: int
    lineno: int
    end_lineno: int
    source: str
    info: StaticInfo
    kind: NodeKind = NodeKind.STATEMENT
    edges: dict[int, tuple[set[str], set[str]]] = field(default_factory=dict)
    reads: dict[str, set[str]] = field(default_factory=dict)
    opaque: str | None = None
    linea: set[str] = field(default_factory=set)  # "save"/"get"/"other": calls into linea
    flushed: bool = False
    writes: set[ExternalState] = field(default_factory=set)

    def add_edge(self, producer: int, names: Iterable[str], via: Iterable[str]) -> None:
        if producer < 0 or producer >= self.node_id:
            return
        known = self.edges.get(producer)
        if known is None:
            self.edges[producer] = (set(names), set(via))
        else:
            known[0].update(names)
            known[1].update(via)

    def node(self, note: str = "") -> Node:
        deps = tuple(
            Edge(producer, frozenset(names), frozenset(via))
            for producer, (names, via) in sorted(self.edges.items())
        )
        kind = NodeKind.OPAQUE if self.opaque is not None else self.kind
        return Node(
            id=self.node_id,
            block=self.block,
            lineno=self.lineno,
            end_lineno=self.end_lineno,
            source=self.source,
            kind=kind,
            deps=deps,
            external_writes=frozenset(self.writes),
            note=note or (self.opaque or ""),
        )


def static_info(stmt: ast.stmt) -> StaticInfo:
    """Analyse a statement once (the session caches the result per source text)."""
    from linea_core.syntax import analyse

    try:
        facts = analyse(stmt)
    except Exception as exc:  # a construct the analyser does not know: run opaque
        return StaticInfo(None, frozenset(), frozenset(), f"linea could not analyse it ({exc!r})")
    targets, is_tuple = _result_targets(stmt)
    return StaticInfo(
        facts,
        _certain_binds(stmt),
        _save_argument_names(facts),
        result_targets=targets,
        result_is_tuple=is_tuple,
        has_calls=facts.has_calls,
    )


class StatementExecutor:
    """Runs statements of one session; all state lives in the session it serves."""

    def __init__(self, session: TracingSession) -> None:
        self.session = session
        self.ns = session.namespace
        self.walker = session.walker
        self.objects = session.objects
        self.functions = session.functions
        self.calls = session.calls
        self.external = session.external

    # =============================================================== entry
    def run(self, run: StatementRun, code: CodeType | None, filename: str) -> None:
        """Execute one statement and record its node; re-raises the user's exception."""
        session = self.session
        plan: _Plan | None = None
        info = run.info
        if info.error is not None or info.facts is None:
            run.opaque = info.error or "linea could not analyse it"
        elif info.facts.opaque_reason is not None:
            run.opaque = info.facts.opaque_reason
        else:
            try:
                plan = self._prepare(run, info.facts)
            except _Opaque as exc:
                run.opaque = str(exc)
                plan = None
            except Exception as exc:  # the engine failed, the program must not
                run.opaque = f"linea could not analyse it ({exc!r})"
                plan = None
        if plan is None:
            self._run_opaque(run, code, filename)
            return
        self.external.begin_statement()
        error: BaseException | None = None
        session.current = run
        try:
            if code is not None:
                exec(code, self.ns)
        except BaseException as exc:  # noqa: BLE001 - recorded, then re-raised unchanged
            error = exc
        finally:
            session.current = None
        try:
            unbound = self._record(run, plan, error)
        except Exception as exc:
            unbound = self._record_failed_analysis(run, plan, exc, filename)
        plan = None
        if unbound:
            self.objects.sweep(unbound)
        self.objects.maybe_sweep()
        if error is not None:
            raise error

    # ============================================================ prepare
    def _prepare(self, run: StatementRun, facts: StatementFacts) -> _Plan:
        ns = self.ns
        plan = _Plan(facts, run.info)
        reads = run.reads
        roots: list[tuple[str, Any]] = []
        for name in facts.reads:
            reads[name] = {name}
            value = ns.get(name, MISSING)
            if value is not MISSING:
                roots.append((name, value))
        holders = [(name, value) for name, value in roots if self.functions.holds_user_code(value)]
        if holders:
            self._extend_reach(run, plan, holders)
        for name, via in list(reads.items()):
            self.edges_for_name(run, name, via)
        for name in facts.binds - facts.certain_binds:
            if name not in reads:
                # ``if c: x = 1``: on the path that does not bind it, ``x`` keeps its
                # earlier value, which a slice of a later reader of ``x`` then needs.
                self.edges_for_name(run, name, {name})
        if len(roots) > 1:
            self._relate_aliases(run, roots)

        described_all = self._resolve_calls(run, plan, facts)
        run.linea = plan.linea
        if "save" in plan.linea:
            run.kind = NodeKind.ARTIFACT_SAVE
        elif "get" in plan.linea:
            run.kind = NodeKind.ARTIFACT_GET
        elif facts.is_import:
            run.kind = NodeKind.IMPORT

        # Described library calls may still call back into the user's code they are
        # given (``df.apply(fn)``): reaching user code means fingerprints are needed.
        has_calls = run.info.has_calls
        plan.fingerprint = (has_calls and (not described_all or bool(holders))) or (
            bool(roots) and any(self._runs_user_code_implicitly(value) for _, value in roots)
        )
        if plan.fingerprint:
            self._take_before_snapshots(run, plan)
        plan.candidates = set(facts.binds) | set(facts.deletes) | plan.reach_binds
        plan.before = {name: ns.get(name, MISSING) for name in plan.candidates}
        return plan

    def _extend_reach(
        self, run: StatementRun, plan: _Plan, holders: Iterable[tuple[str, Any]]
    ) -> list[str]:
        """Add globals reachable through user code; returns the names that are new."""
        reach = self.functions.reach(holders)
        if reach.opaque is not None:
            raise _Opaque(f"calls a function that {reach.opaque.replace('calls ', 'uses ')}")
        plan.reach_binds |= reach.binds
        new: list[str] = []
        for name, vias in reach.names.items():
            known = run.reads.get(name)
            if known is None:
                run.reads[name] = set(vias)
                plan.reached_globals.add(name)
                new.append(name)
            elif not vias <= known:
                known.update(vias)
                new.append(name)
        return new

    def edges_for_name(self, run: StatementRun, name: str, via: set[str]) -> None:
        """Edges for reading ``name``: its binder and its object's latest history node."""
        session = self.session
        binder = session.binders.get(name)
        if binder is not None:
            run.add_edge(binder, (name,), via)
        value = self.ns.get(name, MISSING)
        if value is MISSING or self.walker.is_scalar(value):
            return
        aset = self.objects.get(value)
        if aset is not None:
            for head, names in aset.head_edges():
                run.add_edge(head, names, via)
            for seen in aset.seen_sets():
                for head, names in seen.head_edges():
                    run.add_edge(head, names, via)
        for klass in self._user_classes_of(value):
            # class attributes are instance state too (``Savings.rate = 0.1``)
            class_set = self.objects.get(klass)
            if class_set is not None:
                for head, names in class_set.head_edges():
                    run.add_edge(head, names, via)
        if isinstance(value, ModuleType) and session.module_sets:
            prefix = value.__name__ + "."
            for module_name, module_set in session.module_sets.items():
                if module_name.startswith(prefix):
                    for head, names in module_set.head_edges():
                        run.add_edge(head, names, via)

    def _relate_aliases(self, run: StatementRun, roots: list[tuple[str, Any]]) -> None:
        """Tell slicing which names the statement reads share state when it starts.

        ``active = defaults`` then ``if ...: defaults.pop("k"); n = len(active)``: pruning
        must know that popping through ``defaults`` changes ``active``. Objects without
        history get no history edge saying so; instead the binder edge of the name bound
        first gains the others as ``via``, which slicing reads as "same object" (see
        ``Edge.via``). That binder made the object the others were derived from (``b = a``,
        a view of ``a``), so the edge adds nothing to what their slices keep. A container
        and a held object (``splits`` and ``train``) are related through the held
        object's binder: putting it in the container read it.
        """
        objects = self.objects
        is_scalar = self.walker.is_scalar
        binders = self.session.binders
        groups: dict[int, list[str]] = {}
        sets: dict[int, Any] = {}
        for name, value in roots:
            if is_scalar(value) or binders.get(name) is None:
                continue
            aset = objects.get(value)
            key = id(value) if aset is None else id(aset)
            groups.setdefault(key, []).append(name)
            if aset is not None:
                sets[key] = aset
        if len(groups) == len(roots) and not any(aset.holds for aset in sets.values()):
            return  # every name holds its own unrelated object
        for names in groups.values():
            if len(names) > 1:
                first = min(names, key=binders.__getitem__)
                run.add_edge(binders[first], (first,), names)
        for key, aset in sets.items():
            for held in aset.held_sets():
                members = groups.get(id(held))
                if members is None:
                    continue
                for member in members:
                    run.add_edge(binders[member], (member,), [member, *groups[key]])

    def _resolve_calls(self, run: StatementRun, plan: _Plan, facts: StatementFacts) -> bool:
        """Resolve and describe every call; True when all of them are described."""
        described_all = True
        calls = self.calls
        for site in facts.calls:
            if site.deferred:
                continue
            linea = calls.linea_kind(site)
            if linea is not None:
                plan.linea.add(linea)
                continue
            if site.kind == "iter":
                if not self._pure_iteration(site.receiver):
                    described_all = False
                continue
            resolved = calls.resolve(site)
            if resolved is None:
                described_all = False
                continue
            if self._is_user_code(resolved.func):
                described_all = False  # never described by packs: fingerprints decide
                continue
            if calls.describe(resolved):
                plan.resolved.append(resolved)
            else:
                described_all = False
        return described_all

    def _is_user_code(self, func: Any) -> bool:
        walker = self.walker
        tp = type(func)
        if tp is MethodType:
            func = func.__func__
            tp = type(func)
        if tp is FunctionType:
            return func.__globals__ is self.ns
        return isinstance(func, type) and walker.is_user_class(func)

    def _pure_iteration(self, receiver: str | None) -> bool:
        if receiver is None:
            return False
        value = self.ns.get(receiver, MISSING)
        if value is MISSING:
            return False
        return self.walker.kind_of_type(type(value)) in _PURE_ITERABLE_KINDS

    def _user_classes_of(self, value: Any) -> list[type]:
        """The user's classes in the MRO of ``value``'s type (empty for library objects)."""
        tp = type(value)
        is_user_class = self.walker.is_user_class
        if tp is type or not is_user_class(tp):
            return []
        return [klass for klass in tp.__mro__ if is_user_class(klass)]

    def _runs_user_code_implicitly(self, value: Any) -> bool:
        """Operators and attribute access on the user's own objects can run their code."""
        tp = type(value)
        if tp in self.functions.codeless_types:
            return False
        walker = self.walker
        return walker.kind_of_type(tp) == INSTANCE and walker.is_user_class(tp)

    def _fingerprint_roots(self, run: StatementRun, names: Iterable[str]) -> list[tuple[str, Any]]:
        ns = self.ns
        walker = self.walker
        roots = []
        for name in names:
            value = ns.get(name, MISSING)
            if value is MISSING or walker.is_scalar(value):
                continue
            kind = walker.kind_of_type(type(value))
            if kind in _LIBRARY_CODE_KINDS and not self._is_users(value, kind):
                continue
            roots.append((name, value))
            roots.extend((name, klass) for klass in self._user_classes_of(value))
        return roots

    def _is_users(self, value: Any, kind: int) -> bool:
        walker = self.walker
        if kind == FUNCTION:
            return walker.is_user_function(value)
        if kind == CLASS:
            return walker.is_user_class(value)
        return walker.is_user_module(value)

    def _take_before_snapshots(self, run: StatementRun, plan: _Plan) -> None:
        pending = list(run.reads)
        while pending:
            holders: list[tuple[str, Any]] = []
            for name, value in self._fingerprint_roots(run, pending):
                entry = plan.snapshots.get(id(value))
                if entry is not None:
                    entry.names.add(name)
                    continue
                snap = self.walker.snapshot(value)
                plan.snapshots[id(value)] = _Watched(value, {name}, snap)
                holders.extend((name, holder) for holder in snap.holders if holder is not value)
            pending = self._extend_reach(run, plan, holders) if holders else []
            for name in pending:
                self.edges_for_name(run, name, run.reads[name])

    # ============================================================= record
    def _record(self, run: StatementRun, plan: _Plan, error: BaseException | None) -> list[int]:
        """Turn what the statement did into history, bindings and a node; returns ids
        of objects the statement unbound (candidates for release)."""
        ns = self.ns
        walker = self.walker
        objects = self.objects
        node = run.node_id
        facts = plan.facts

        # -- bindings
        bound: dict[str, Any] = {}
        deleted: list[str] = []
        certain = run.info.certain_binds if error is None else frozenset()
        for name, old in plan.before.items():
            new = ns.get(name, MISSING)
            if new is old:
                if name in certain and new is not MISSING:
                    bound[name] = new
                continue
            if new is MISSING:
                deleted.append(name)
            else:
                bound[name] = new

        # -- what changed
        mutated: list[tuple[Any, set[str]]] = []
        for name in facts.mutates:
            value = ns.get(name, MISSING)
            if value is MISSING or walker.is_scalar(value):
                continue
            if plan.before.get(name, value) is value:
                mutated.append((value, {name}))
        for watched in plan.snapshots.values():
            after = walker.snapshot(watched.value)
            watched.after = after
            changed = after.changed_since(watched.before)
            if changed is None:
                changed = bool(
                    watched.names & (facts.passes | facts.mutates | plan.reached_globals)
                )
            if changed:
                names = set(watched.names)
                for name in watched.names:
                    names |= run.reads.get(name, set())  # and the callees that reach it
                mutated.append((watched.value, names))

        # -- objects named for the first time: this node created them (for linea)
        new_objects: dict[int, tuple[Any, set[str]]] = {}
        for name, value in bound.items():
            if walker.is_scalar(value):
                continue
            key = id(value)
            if key in new_objects:
                new_objects[key][1].add(name)
            elif objects.get(value) is None:
                new_objects[key] = (value, {name})
        untargeted = len(mutated)  # annotated changes below name their exact object
        self._apply_annotations(run, plan, bound, mutated)
        for value, _names in new_objects.values():
            # Tracked from now on; creating an object is not history (the binder edge
            # covers it), so a view or a container made from an input does not make
            # the input depend on the statement that made it.
            objects.ensure(value)
        self._merge_aliases(run, plan, new_objects, mutated)

        # -- history of changed objects (after merging, so whole sets get it)
        for index, (value, names) in enumerate(mutated):
            aset = objects.ensure(value)
            changed = [aset]
            if index < untargeted:
                # Seen by a fingerprint or an assignment into it: the change may be
                # anywhere in what the object holds.
                changed.extend(aset.held_sets())
            for target in changed:
                for head, head_names in target.head_edges():
                    # usually an edge it already has (it read the object); otherwise the
                    # earlier history becomes part of this change's past
                    run.add_edge(head, head_names, names)
                target.record(node, names)
            if isinstance(value, ModuleType):
                self.session.module_sets[value.__name__] = aset

        # -- external state
        self._record_external(run)

        # -- names
        binders = self.session.binders
        for name in bound:
            binders[name] = node
        for name in deleted:
            binders.pop(name, None)
        self._register_functions(plan, bound)

        self.session.finish_node(run.node())
        unbound = [
            id(plan.before[name])
            for name in [*bound, *deleted]
            if plan.before.get(name, MISSING) is not MISSING
            and plan.before[name] is not bound.get(name)
        ]
        return unbound

    def _apply_annotations(
        self,
        run: StatementRun,
        plan: _Plan,
        bound: dict[str, Any],
        mutated: list[tuple[Any, set[str]]],
    ) -> None:
        objects = self.objects
        walker = self.walker
        names_of = self._names_of(run) if plan.resolved else {}
        for call in plan.resolved:
            effects = call.effects
            if effects is None:
                continue
            result = self._call_result(plan, call, bound)
            for ref in effects.mutated:
                for obj in effects.resolve(ref, call.args, call.kwargs, result):
                    if obj is MISSING or walker.is_scalar(obj):
                        continue
                    names = names_of.get(id(obj))
                    if names is None:
                        names = _site_names(call)
                        # ``obj.tags.append(1)``: the list is part of ``obj``'s state
                        self._holder_changed(call, obj, names, mutated)
                    mutated.append((obj, set(names)))
            for group in effects.views:
                members = [
                    obj
                    for ref in group
                    for obj in effects.resolve(ref, call.args, call.kwargs, result)
                    if obj is not MISSING and not walker.is_scalar(obj)
                ]
                iterators = [obj for obj in members if _is_iterator(obj)]
                others = [obj for obj in members if not _is_iterator(obj)]
                if len(others) > 1:
                    first = objects.ensure(others[0])
                    for other in others[1:]:
                        first = objects.union(first, objects.ensure(other))
                for iterator in iterators:
                    # an iterator sees its source's changes; advancing it changes nothing else
                    for other in others:
                        objects.observe(objects.ensure(iterator), objects.ensure(other))
            for ref in effects.dependencies:
                for obj in effects.resolve(ref, call.args, call.kwargs, result):
                    if obj is MISSING or walker.is_scalar(obj):
                        continue
                    aset = objects.get(obj)
                    if aset is not None:
                        for head, names in aset.head_edges():
                            run.add_edge(head, names, ())
                    if isinstance(obj, ModuleType):
                        module_set = self.session.module_sets.get(obj.__name__)
                        if module_set is not None:
                            for head, names in module_set.head_edges():
                                run.add_edge(head, names, ())
            for state in effects.external_writes:
                if state == ExternalState.FILE_SYSTEM.value:
                    run.writes.add(ExternalState.FILE_SYSTEM)
                elif state == ExternalState.DB.value:
                    run.writes.add(ExternalState.DB)
            for state in effects.external_reads:
                if state == ExternalState.DB.value:
                    for producer in self.external.db_writers:
                        run.add_edge(producer, (), ())
                elif state == ExternalState.FILE_SYSTEM.value and not self.external.saw_paths:
                    for producer in self.external.all_file_writers:
                        run.add_edge(producer, (), ())

    def _holder_changed(
        self,
        call: ResolvedCall,
        obj: Any,
        names: set[str],
        mutated: list[tuple[Any, set[str]]],
    ) -> None:
        """A changed object reached through a name's attributes or items changes that
        name's object too; it holds the changed one from now on."""
        root = call.site.receiver
        if root is None:
            return
        holder = self.ns.get(root, MISSING)
        if (
            holder is MISSING
            or holder is obj
            or self.walker.is_scalar(holder)
            or isinstance(holder, (ModuleType, type))
        ):
            return
        objects = self.objects
        objects.hold(objects.ensure(holder), objects.ensure(obj))
        mutated.append((holder, set(names)))

    def _call_result(self, plan: _Plan, call: ResolvedCall, bound: dict[str, Any]) -> Any:
        """The call's return value when the statement binds it directly, else MISSING."""
        target = plan.info.result_targets
        if target is None or len([s for s in plan.facts.calls if not s.deferred]) != 1:
            return MISSING
        values = []
        for name in target:
            value = self.ns.get(name, MISSING)
            if value is MISSING:
                return MISSING
            values.append(value)
        return values[0] if len(values) == 1 and not plan.info.result_is_tuple else tuple(values)

    def _names_of(self, run: StatementRun) -> dict[int, set[str]]:
        out: dict[int, set[str]] = {}
        ns = self.ns
        for name in run.reads:
            value = ns.get(name, MISSING)
            if value is not MISSING:
                out.setdefault(id(value), set()).add(name)
        return out

    def _merge_aliases(
        self,
        run: StatementRun,
        plan: _Plan,
        new_objects: dict[int, tuple[Any, set[str]]],
        mutated: list[tuple[Any, set[str]]],
    ) -> None:
        """Union alias sets of objects that now share state.

        A new or changed object that holds a tracked object (``d = {"x": lst}``,
        ``a.append(b)``), a new object held by an input (``x = lst[-1]``), and numpy or
        pandas objects sharing a buffer with an input (``v = arr[1:]``) become one set.
        """
        if not new_objects and not mutated:
            return
        roots = self._fingerprint_roots(run, run.reads)
        if not roots:
            return  # nothing mutable went in: nothing can be shared
        objects = self.objects
        walker = self.walker
        inputs = self._input_walks(run, plan) if new_objects else []
        tracked = objects.ids()
        for value, _names in [*new_objects.values(), *mutated]:
            if isinstance(value, ModuleType):
                continue
            if id(value) not in new_objects and all(root is value for _, root in roots):
                continue  # it read nothing mutable but itself: it cannot now hold another
            aset = objects.ensure(value)
            walk = walker.snapshot(value, digest=False)
            for oid in walk.reached.keys() & tracked:
                other = objects.get_by_id(oid)
                if other is None or other is aset:
                    continue
                if isinstance(objects.object_by_id(oid), (ModuleType, type)):
                    continue  # referring to a module or class is not sharing its state
                objects.hold(aset, other)
                aset = aset.current()
            if id(value) not in new_objects:
                continue
            cow = None
            for input_value, input_walk in inputs:
                if input_value is value or id(input_value) in walk.reached:
                    continue  # the new object holds the input: related above
                holds = id(value) in input_walk.reached
                shares = bool(walk.owners.keys() & input_walk.owners.keys())
                if shares and walker.is_pandas(value) and walker.is_pandas(input_value):
                    # with copy-on-write, pandas objects sharing a buffer never see
                    # each other's changes
                    cow = pandas_copy_on_write() if cow is None else cow
                    shares = not cow
                unknown = not input_walk.complete and not holds
                if shares or unknown:
                    aset = objects.union(aset, objects.ensure(input_value))
                elif holds:  # ``x = lst[-1]``: the input contains the new object
                    objects.hold(objects.ensure(input_value), aset)
                    aset = aset.current()

    def _input_walks(self, run: StatementRun, plan: _Plan) -> list[tuple[Any, Snapshot]]:
        walks: list[tuple[Any, Snapshot]] = []
        for watched in plan.snapshots.values():
            if watched.after is not None:
                walks.append((watched.value, watched.after))
        seen = {id(value) for value, _ in walks}
        for _name, value in self._fingerprint_roots(run, run.reads):
            if id(value) in seen or isinstance(value, ModuleType):
                continue
            seen.add(id(value))
            walks.append((value, self.walker.snapshot(value, digest=False)))
        return walks

    def _record_external(self, run: StatementRun) -> None:
        external = self.external
        if not external.saw_paths and not run.writes:
            return
        for producer in external.read_producers():
            run.add_edge(producer, (), ())
        if run.kind is NodeKind.IMPORT:
            # importing writes caches (bytecode, font lists...), not the user's files
            external.pending_writes.clear()
        if external.commit_writes(run.node_id):
            run.writes.add(ExternalState.FILE_SYSTEM)
        if ExternalState.FILE_SYSTEM in run.writes:
            external.record_file_writer(run.node_id)
        if ExternalState.DB in run.writes:
            external.record_db_writer(run.node_id)

    def _register_functions(self, plan: _Plan, bound: dict[str, Any]) -> None:
        """Attach the static body facts of ``def``/``class`` statements to their code.

        Other code (lambdas, functions made by factories) keeps the ``co_names``
        fallback: a lambda's own code names are more precise than its statement's
        reads, which include its default values.
        """
        facts = plan.facts
        if not facts.is_def:
            return
        functions = self.functions
        summary: Summary | None = None
        for value in bound.values():
            if not functions.holds_user_code(value) or functions.is_registered(value):
                continue
            if summary is None:
                summary = Summary(
                    facts.reads | facts.body_reads,
                    facts.body_binds,
                    facts.body_opaque_reason,
                )
            functions.register(value, summary)

    # ============================================================= opaque
    def _run_opaque(self, run: StatementRun, code: CodeType | None, filename: str) -> None:
        """Run a statement linea cannot analyse: whole-namespace diff, depends on all."""
        session = self.session
        ns = self.ns
        before = dict(ns)
        for producer in range(run.node_id):  # known before it runs: save() may need them
            run.add_edge(producer, (), ())
        self.external.begin_statement()
        error: BaseException | None = None
        session.current = run
        try:
            if code is not None:
                exec(code, ns)
        except BaseException as exc:  # noqa: BLE001 - recorded, then re-raised unchanged
            error = exc
        finally:
            session.current = None
        _warn_opaque(run, filename)
        try:
            self._record_opaque(run, before)
        except Exception:  # pragma: no cover - recording an opaque node is plain bookkeeping
            session.finish_node(run.node())
        before.clear()
        if error is not None:
            raise error

    def _record_opaque(self, run: StatementRun, before: dict[str, Any]) -> None:
        ns = self.ns
        node = run.node_id
        binders = self.session.binders
        for name in before.keys() | ns.keys():
            old = before.get(name, MISSING)
            new = ns.get(name, MISSING)
            if old is new:
                continue
            if new is MISSING:
                binders.pop(name, None)
            else:
                binders[name] = node
        self._mark_everything_mutated(node)
        self._record_external(run)
        self.session.finish_node(run.node())

    def _mark_everything_mutated(self, node: int) -> None:
        objects = self.objects
        walker = self.walker
        host = self.session.host_names
        for name, value in list(self.ns.items()):
            if name.startswith("__") or name in host or walker.is_scalar(value):
                continue
            aset = objects.record(value, node, (name,))
            if isinstance(value, ModuleType):
                self.session.module_sets[value.__name__] = aset
        for aset in list(objects.sets()):
            aset.record(node, ())

    def _record_failed_analysis(
        self, run: StatementRun, plan: _Plan, exc: Exception, filename: str
    ) -> list[int]:
        """The statement ran but recording it failed: keep the graph sound anyway."""
        run.opaque = f"linea could not record its effects ({exc!r})"
        _warn_opaque(run, filename)
        ns = self.ns
        binders = self.session.binders
        for name, old in plan.before.items():
            new = ns.get(name, MISSING)
            if new is MISSING:
                binders.pop(name, None)
            elif new is not old:
                binders[name] = run.node_id
        for producer in range(run.node_id):
            run.add_edge(producer, (), ())
        self._mark_everything_mutated(run.node_id)
        self.session.finish_node(run.node())
        return []


@dataclass
class _Watched:
    value: Any
    names: set[str]
    before: Snapshot
    after: Snapshot | None = None


class _Plan:
    """What preparing a statement found out, used again once it has run."""

    __slots__ = (
        "facts",
        "info",
        "linea",
        "resolved",
        "fingerprint",
        "snapshots",
        "reach_binds",
        "reached_globals",
        "candidates",
        "before",
    )

    def __init__(self, facts: StatementFacts, info: StaticInfo) -> None:
        self.facts = facts
        self.info = info
        self.linea: set[str] = set()
        self.resolved: list[ResolvedCall] = []
        self.fingerprint = False
        self.snapshots: dict[int, _Watched] = {}
        self.reach_binds: set[str] = set()
        self.reached_globals: set[str] = set()
        self.candidates: set[str] = set()
        self.before: dict[str, Any] = {}


def _is_iterator(obj: object) -> bool:
    """Iterators and generators: objects that are consumed as they are read."""
    tp = type(obj)
    return hasattr(tp, "__next__") and getattr(tp, "__iter__", None) is not None


def _site_names(call: ResolvedCall) -> set[str]:
    site = call.site
    names = {site.receiver} if site.receiver else set()
    if site.callee:
        names.add(site.callee[0])
    return names


def _warn_opaque(run: StatementRun, filename: str) -> None:
    lines = (
        f"line {run.lineno}"
        if run.lineno == run.end_lineno
        else f"lines {run.lineno}-{run.end_lineno}"
    )
    message = (
        f"linea cannot analyse {lines} of {filename}: {run.opaque}. The statement ran "
        "unchanged as one opaque unit; slices that need anything from it or after it "
        "keep it whole."
    )
    warnings.warn_explicit(message, LineaOpaqueWarning, filename, run.lineno)


def _certain_binds(stmt: ast.stmt) -> frozenset[str]:
    """Names a statement certainly rebinds when it completes without an exception.

    Identity checks miss a rebinding to the very same object (``x = 5`` after another
    ``x = 5``); for these statements the binding is certain, so the node becomes the
    name's binder regardless.
    """
    names: set[str] = set()
    if isinstance(stmt, ast.Assign):
        for target in stmt.targets:
            _target_names(target, names)
    elif isinstance(stmt, ast.AnnAssign):
        if stmt.value is not None and isinstance(stmt.target, ast.Name):
            names.add(stmt.target.id)
    elif isinstance(stmt, ast.AugAssign):
        if isinstance(stmt.target, ast.Name):
            names.add(stmt.target.id)
    elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
        for alias in stmt.names:
            if alias.name != "*":
                names.add(alias.asname or alias.name.split(".")[0])
    elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        names.add(stmt.name)
    return frozenset(names)


def _target_names(target: ast.expr, out: set[str]) -> None:
    if isinstance(target, ast.Name):
        out.add(target.id)
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            _target_names(element, out)
    elif isinstance(target, ast.Starred):
        _target_names(target.value, out)


def _save_argument_names(facts: StatementFacts) -> frozenset[str]:
    """Names passed as the value of ``<x>.save(NAME, ...)`` calls in the statement.

    Only a hint for :meth:`TracingSession.slice_root`: which call is linea's is decided
    by identity at run time; here any ``save`` call's first argument counts.
    """
    names: set[str] = set()
    for site in facts.calls:
        if not site.callee or site.callee[-1] != "save":
            continue
        value = site.args[0] if site.args else None
        for key, ref in site.keywords:
            if key == "reference":
                value = ref
        if value is not None and value.kind == "name":
            names.add(value.value)
    return frozenset(names)


def _result_targets(stmt: ast.stmt) -> tuple[tuple[str, ...] | None, bool]:
    """For ``x = call(...)`` / ``a, b = call(...)``: the names holding the call's result."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.value, ast.Call):
        target = stmt.targets[0]
        if isinstance(target, ast.Name):
            return (target.id,), False
        if isinstance(target, ast.Tuple) and all(isinstance(e, ast.Name) for e in target.elts):
            return tuple(e.id for e in target.elts), True  # type: ignore[attr-defined]
    if (
        isinstance(stmt, ast.AnnAssign)
        and isinstance(stmt.target, ast.Name)
        and isinstance(stmt.value, ast.Call)
    ):
        return (stmt.target.id,), False
    return None, False
