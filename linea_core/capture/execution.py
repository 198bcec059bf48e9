"""Running one analysed statement natively and learning what it did.

Before it runs: the names it reads (static facts, plus globals the user functions it
may call reach) give its dependency edges; its calls are resolved against annotation
packs; when a call is not described, a fingerprint of everything the statement could
touch is taken. The statement then runs with a plain ``exec``. After it ran: identity
checks tell which names were rebound, fingerprints / annotations / explicit mutation
targets tell which objects changed, reachability walks merge alias sets (see
:mod:`.aliasing`), annotated effects apply (:mod:`.effects`), and the audit hook tells
which files were read and written.

Nothing here may turn a working program into a failing one: when the analysis itself
fails, the statement still runs (or has run) and is recorded as opaque (:mod:`.opaque`).
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Callable, Iterable
from types import CodeType, FunctionType, MethodType, ModuleType
from typing import Any

from linea_core.capture.aliasing import fingerprint_roots, merge_aliases, relate_aliases
from linea_core.capture.effects import apply_annotations
from linea_core.capture.fingerprint import (
    DICT,
    INSTANCE,
    LIST,
    NDARRAY,
    PD_FRAME,
    PD_SERIES,
    SCALAR,
    SET,
    TUPLE,
    Snapshot,
)
from linea_core.capture.functions import Reach, Summary
from linea_core.capture.opaque import record_failed_analysis, run_opaque
from linea_core.capture.readonly import Vetting, is_big
from linea_core.capture.records import MISSING, StatementPlan, StatementRun, Watched
from linea_core.capture.state import TraceState
from linea_core.graph.model import NodeKind
from linea_core.syntax.analysis import expression_names, is_evaluating_call
from linea_core.syntax.facts import CallSite, StatementFacts

_STDIN = re.compile(r"\bstdin\b")

# Storing into an item of these runs no code of their items (see ``slot_stores``).
_OWN_SLOTS_TYPES = (dict, list)

# Iterating these never runs user code and never changes them.
_PURE_ITERABLE_KINDS = frozenset({SCALAR, TUPLE, LIST, DICT, SET, NDARRAY, PD_FRAME, PD_SERIES})


def _plain_data(walk: Snapshot) -> bool:
    """A big root's walk a proof can stand on (see :mod:`.readonly`)."""
    return walk.passive and walk.complete and not walk.opaque and not walk.capabilities


class _Opaque(Exception):
    """Raised during preparation: the statement must run as an opaque unit."""


def _executing(code: CodeType | None, namespace: dict[str, Any]) -> Callable[[], object]:
    def execute() -> None:
        if code is not None:
            exec(code, namespace)

    return execute


class StatementExecutor:
    """Runs statements against one :class:`TraceState` (the narrow state, not the session)."""

    def __init__(self, state: TraceState) -> None:
        self.state = state
        self.ns = state.namespace
        self.walker = state.walker
        self.objects = state.objects
        self.functions = state.functions
        self.calls = state.calls
        self.external = state.external

    # =============================================================== entry
    def run(self, run: StatementRun, code: CodeType | None, filename: str) -> None:
        """Execute one statement and record its node; re-raises the user's exception."""
        state = self.state
        plan: StatementPlan | None = None
        info = run.info
        if run.opaque is not None:
            pass  # the caller decided (see TracingSession.run_block's ``opaque``)
        elif info.error is not None or info.facts is None:
            run.opaque = info.error or "linea could not analyse it"
        elif info.facts.opaque_reason is not None:
            run.opaque = info.facts.opaque_reason
        else:
            try:
                plan = self._prepare(run, info.facts, code)
            except _Opaque as exc:
                run.opaque = str(exc)
                plan = None
            except Exception as exc:  # the engine failed, the program must not
                run.opaque = f"linea could not analyse it ({exc!r})"
                plan = None
        if plan is None:
            run_opaque(state, run, _executing(code, self.ns), filename)
            return
        self.external.begin_statement()
        if plan.fingerprint or run.info.has_calls:
            plan.tokens = state.probes.read(full=plan.fingerprint)
        plan.input_calls = self.external.input_calls
        error: BaseException | None = None
        state.current = run
        try:
            if code is not None:
                if plan.vetting is not None:
                    state.proofs.begin()
                    with plan.vetting:
                        exec(code, self.ns)
                else:
                    exec(code, self.ns)
        except BaseException as exc:  # noqa: BLE001 - recorded, then re-raised unchanged
            error = exc
        finally:
            state.current = None
        try:
            unbound = self._record(run, plan, error)
        except Exception as exc:
            record_failed_analysis(state, run, plan, exc, filename)
            unbound = []
        plan = None
        if unbound:
            self.objects.sweep(unbound)
        self.objects.maybe_sweep()
        if error is not None:
            raise error

    # ============================================================ prepare
    def _prepare(
        self, run: StatementRun, facts: StatementFacts, code: CodeType | None
    ) -> StatementPlan:
        ns = self.ns
        plan = StatementPlan(facts, run.info)
        reads = run.reads
        roots: list[tuple[str, Any]] = []
        own_reads = facts.reads
        defined_stores: frozenset[str] = frozenset()
        if run.info.has_calls and not facts.is_def:
            # ``with ...: def main(): ...`` then ``main()``: a function the statement
            # defines may run in it, reading its globals now, and rebinding those it
            # declares ``global``, also on a path the traced run did not take (the
            # statement stays their binder, see _record).
            own_reads = own_reads | facts.body_reads
            defined_stores = facts.body_binds
            plan.reach_stores |= defined_stores
        for name in own_reads:
            reads[name] = {name}
            value = ns.get(name, MISSING)
            if value is not MISSING:
                roots.append((name, value))
        for site in facts.calls:
            if is_evaluating_call(site.callee):
                self._names_in_expression_variable(site, reads, roots)
        if facts.reads_everything:
            # ``df.query(" and ".join(conds))``: the string is only known when it runs,
            # so every name bound so far may be read (see StatementFacts)
            host = self.state.host_names
            for name in list(self.state.binders):
                if name not in reads and name not in host:
                    reads[name] = {name}
        holders = [(name, value) for name, value in roots if self.functions.holds_user_code(value)]
        if holders:
            self._extend_reach(run, plan, holders)
        for name, via in list(reads.items()):
            self.state.edges_for_name(run, name, via)
        if self.state.ambient:
            self.state.edges_for_ambient(run)
        if self.state.settings and roots:
            self.state.edges_for_settings(run, roots)
        for name in (facts.binds - facts.certain_binds) | facts.deletes | defined_stores:
            if name not in reads:
                # ``if c: x = 1``: on the path that does not bind it, ``x`` keeps its
                # earlier value, which a slice of a later reader of ``x`` then needs.
                self.state.edges_for_name(run, name, {name})
        if len(roots) > 1:
            relate_aliases(self.state, run, roots)

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
            self._take_before_snapshots(run, plan, code)
        if run.info.imported:
            plan.new_submodules = _missing_submodules(run.info.imported)
        # body_binds: a function the statement defines may rebind globals when it calls it
        plan.candidates = (
            set(facts.binds) | set(facts.deletes) | plan.reach_binds | set(facts.body_binds)
        )
        plan.before = {name: ns.get(name, MISSING) for name in plan.candidates}
        if run.info.star_module is not None:
            plan.before = dict(ns)  # any name may be bound: the whole namespace is compared
        return plan

    def _names_in_expression_variable(
        self, site: CallSite, reads: dict[str, set[str]], roots: list[tuple[str, Any]]
    ) -> None:
        """``q = "A < @limit"; df.query(q)``: the names the string held when it ran."""
        refs = [*site.args[:1], *(ref for key, ref in site.keywords if key in ("expr", "ex"))]
        for ref in refs:
            if ref.kind != "name":
                continue
            text = self.ns.get(ref.value, MISSING)
            if not isinstance(text, str):
                continue
            for name in expression_names(text):
                if name not in reads:
                    reads[name] = {ref.value}
                    value = self.ns.get(name, MISSING)
                    if value is not MISSING:
                        roots.append((name, value))

    def _extend_reach(
        self, run: StatementRun, plan: StatementPlan, holders: Iterable[tuple[str, Any]]
    ) -> list[str]:
        """Add globals reachable through user code; returns the names that are new."""
        reach = self.functions.reach(holders)
        if reach.opaque is not None:
            raise _Opaque(f"calls a function that {reach.opaque.replace('calls ', 'uses ')}")
        plan.reach_binds |= reach.binds
        plan.reach_stores |= reach.stores
        ended = self._certainly_rebound(run, plan, reach) if run.info.direct_calls else ()
        new: list[str] = []
        for name, vias in reach.names.items():
            known = run.reads.get(name)
            if known is None and name in ended:
                # rebound by a function the statement always calls, and read by none:
                # its earlier value is no part of the statement, nor of what follows
                continue
            if known is None:
                run.reads[name] = set(vias)
                plan.reached_globals.add(name)
                new.append(name)
            elif not vias <= known:
                known.update(vias)
                new.append(name)
        return new

    def _certainly_rebound(self, run: StatementRun, plan: StatementPlan, reach: Reach) -> set[str]:
        """Globals that a function the statement always calls rebinds on every normal
        return, and that no code the statement reaches reads (see ``_direct_calls``)."""
        ended: set[str] = set()
        for callee in run.info.direct_calls:
            if callee not in plan.reach_binds:  # a called function may rebind the callee
                ended |= self.functions.certain_binds(self.ns.get(callee))
        return ended - reach.read - plan.facts.reads - plan.facts.mutates - plan.facts.passes

    def _resolve_calls(self, run: StatementRun, plan: StatementPlan, facts: StatementFacts) -> bool:
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
                self._describe_callee(plan, site)
                continue
            if self._is_user_code(resolved.func):
                described_all = False  # never described by packs: fingerprints decide
                continue
            if calls.describe(resolved):
                plan.resolved.append(resolved)
            else:
                described_all = False
        return described_all

    def _describe_callee(self, plan: StatementPlan, site: CallSite) -> None:
        """A call whose arguments are expressions (``plt.plot(x, [1, 2])``): what a pack
        says it does to its receiver or module and to external state still holds."""
        partial = self.calls.resolve_callee(site)
        if partial is None:
            if site.kind == "call" and site.callee and not site.in_comprehension:
                plan.unresolved.append(site)
            return
        if not self._is_user_code(partial.func) and self.calls.describe(partial):
            plan.resolved.append(partial)

    def _describe_after_run(self, plan: StatementPlan) -> None:
        """Calls whose callable appeared while the statement ran (``np.random`` is
        imported on first use): described now, unless the statement rebound the name
        the callable is reached through."""
        binds = plan.facts.binds
        for site in plan.unresolved:
            if site.callee and site.callee[0] not in binds:
                partial = self.calls.resolve_callee(site)
                if (
                    partial is not None
                    and not self._is_user_code(partial.func)
                    and self.calls.describe(partial)
                ):
                    plan.resolved.append(partial)

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

    def _runs_user_code_implicitly(self, value: Any) -> bool:
        """Operators and attribute access on the user's own objects can run their code."""
        tp = type(value)
        if tp is not dict and isinstance(value, dict) and hasattr(tp, "__missing__"):
            return True  # ``d["a"]`` on a defaultdict inserts the key
        if tp is map or tp is filter:
            return True  # consuming it calls its function (``map(lst.append, xs)``)
        if tp in self.functions.codeless_types:
            return False
        walker = self.walker
        return walker.kind_of_type(tp) == INSTANCE and walker.is_user_class(tp)

    def _take_before_snapshots(
        self, run: StatementRun, plan: StatementPlan, code: CodeType | None
    ) -> None:
        """Fingerprint what the statement may change; big roots may be proved instead.

        A big root (see :mod:`.readonly`) whose cached walk shows plain data is set
        aside in ``plan.proved``; once every root is known, the statement's code and the
        user functions it reads are checked, and if the proof is refused the set-aside
        roots are fingerprinted after all.
        """
        proofs = self.state.proofs
        proving = code is not None and not plan.linea and sys.getprofile() is None
        pending = list(run.reads)
        while pending:
            holders: list[tuple[str, Any]] = []
            for name, value in fingerprint_roots(self.state, pending):
                entry = plan.snapshots.get(id(value))
                if entry is not None:
                    entry.names.add(name)
                    continue
                proved = plan.proved.get(id(value))
                if proved is not None:
                    proved[1].add(name)
                    continue
                if proving and is_big(self.walker, value):
                    walk = proofs.scan(value)
                    if walk is not None and _plain_data(walk):
                        plan.proved[id(value)] = (value, {name}, walk)
                        continue
                snap = self.walker.snapshot(value)
                plan.snapshots[id(value)] = Watched(value, {name}, snap)
                holders.extend((name, holder) for holder in snap.holders if holder is not value)
            pending = self._extend_reach(run, plan, holders) if holders else []
            for name in pending:
                self.state.edges_for_name(run, name, run.reads[name])
        if not plan.proved:
            return
        assert code is not None
        if self._proof_refused(plan, code) is None:
            big_ids: set[int] = set()
            for _value, _names, walk in plan.proved.values():
                big_ids.update(walk.reached)
            plan.vetting = Vetting(code, proofs, big_ids, lambda: self._catch_up(plan))
            return
        for value, names, _walk in plan.proved.values():
            plan.snapshots[id(value)] = Watched(value, names, self.walker.snapshot(value))
        plan.proved = {}

    def _catch_up(self, plan: StatementPlan) -> bool:
        """Fingerprint the big roots now (called by the hook when the proof fails while
        the statement runs, before anything unproved ran: these are "before" prints)."""
        taken = {
            key: Watched(value, names, self.walker.snapshot(value))
            for key, (value, names, _walk) in plan.proved.items()
        }
        plan.snapshots.update(taken)
        plan.proved = {}
        return True

    def _proof_refused(self, plan: StatementPlan, code: CodeType) -> str | None:
        """Why the statement's run cannot prove its big roots unchanged (None: it can)."""
        proofs = self.state.proofs
        for watched in plan.snapshots.values():
            if watched.before.capabilities:
                return f"{sorted(watched.names)[0]} holds a callable C code could call unseen"
            value = watched.value
            if self.walker.is_user_function(value):
                reason = proofs.refused_code(value.__code__)
                if reason is not None:
                    return reason
        return proofs.refused_code(code, statement=True)

    # ============================================================= record
    def _record(
        self, run: StatementRun, plan: StatementPlan, error: BaseException | None
    ) -> list[int]:
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
        # Rebound to the very same object (``with nullcontext(a) as a: a = a + a`` with
        # ``a = 0``): identity cannot tell, so a name bound on every path counts as
        # rebound (the analysis' ``certain_binds`` covers compound statements too).
        certain = (run.info.certain_binds | facts.certain_binds) if error is None else frozenset()
        if run.info.star_module is not None:
            plan.before.update((name, MISSING) for name in ns.keys() - plan.before.keys())
            if error is None:
                certain = certain | _star_exports(run.info.star_module)
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
        # indexes into ``mutated`` of changes of the container alone (see below)
        own_slots: set[int] = set()
        slot_stores = run.info.slot_stores
        if slot_stores and (plan.fingerprint or any(s.kind == "iter" for s in facts.calls)):
            # code linea does not see ran, or something was iterated (a generator the
            # container holds is consumed by that): any held object may have changed
            slot_stores = frozenset()
        for name in facts.mutates:
            value = ns.get(name, MISSING)
            if value is MISSING or walker.is_scalar(value):
                continue
            if plan.before.get(name, value) is value:
                if name in slot_stores and type(value) in _OWN_SLOTS_TYPES:
                    own_slots.add(len(mutated))
                mutated.append((value, {name}))
        for name in _defined_and_called_reads(run, facts):
            # ``if c: def f(): lst.append(1)`` then ``f()``: on a path the traced run did
            # not take, the call changes the objects the body reads (as ``if c:
            # lst.append(1)`` does): the statement is part of their history.
            value = ns.get(name, MISSING)
            if (
                value is MISSING
                or walker.is_scalar(value)
                or isinstance(value, (ModuleType, type, FunctionType))
            ):
                continue
            if plan.before.get(name, value) is value:
                mutated.append((value, {name}))
        vetting = plan.vetting
        if vetting is not None and vetting.unsafe_code is not None:
            self.state.proofs.failed.add(vetting.unsafe_code)  # fingerprinted from now on
        if plan.proved and vetting is not None and vetting.unsafe is not None:
            # the proof failed and no fingerprint could be taken: every big root may
            # have changed
            for value, proved_names, _walk in plan.proved.values():
                names = set(proved_names)
                for name in proved_names:
                    names |= run.reads.get(name, set())
                mutated.append((value, names))
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
        if plan.unresolved:
            self._describe_after_run(plan)
        apply_annotations(self.state, run, plan, bound, mutated)
        if plan.new_submodules and error is None:
            mutated.extend(_packages_given_submodules(run.info.imported, plan.new_submodules))
        if plan.tokens:
            self._hidden_state_changes(run, plan, mutated)
        if self.external.input_calls != plan.input_calls or _STDIN.search(run.source):
            # reading standard input consumes it: the next read depends on this one
            stdin = sys.stdin
            if stdin is not None:
                mutated.append((stdin, set(run.reads) | {"stdin"}))
        for value, _names in new_objects.values():
            # Tracked from now on; creating an object is not history (the binder edge
            # covers it), so a view or a container made from an input does not make
            # the input depend on the statement that made it.
            objects.ensure(value)
        if facts.is_import and bound:
            self._held_by_their_module(run, bound)
        merge_aliases(self.state, run, plan, new_objects, mutated)

        # -- history of changed objects (after merging, so whole sets get it)
        for index, (value, names) in enumerate(mutated):
            aset = objects.ensure(value)
            changed_sets = [aset]
            if index < untargeted and index not in own_slots:
                # Seen by a fingerprint or an assignment into it: the change may be
                # anywhere in what the object holds. Not so for ``x[k] = v`` into a
                # plain dict or list: it replaces an item, and changes no held object
                # (``x["y"] = y; y["a"] = 1``: the slice of ``y`` does not need ``x``).
                changed_sets.extend(aset.held_sets())
            for target in changed_sets:
                for head, head_names in target.head_edges():
                    # usually an edge it already has (it read the object); otherwise the
                    # earlier history becomes part of this change's past
                    run.add_edge(head, head_names, names)
                target.record(node, names)
            if isinstance(value, ModuleType):
                self.state.module_sets[value.__name__] = aset
                self._settings_changed(value.__name__)

        # -- external state
        self.state.record_external(run)

        # -- names
        binders = self.state.binders
        for name in bound:
            binders[name] = node
        for name in deleted:
            binders.pop(name, None)
        for name in _may_rebind(facts, bound, deleted) | (plan.reach_stores - bound.keys()):
            # ``if a < 20: b = 1 else: a += 20`` rebinds ``a`` only on the path not
            # taken: the statement stays ``a``'s binder (it has an edge to the earlier
            # binder), so a slice of ``a`` keeps it and is right on either path. The same
            # holds for a global a called function binds on a path it did not take.
            if name in ns:
                binders[name] = node
        self._register_functions(plan, bound)

        self.state.finish_node(run.node(sets=self.state.name_sets))
        unbound = [
            id(plan.before[name])
            for name in [*bound, *deleted]
            if plan.before.get(name, MISSING) is not MISSING
            and plan.before[name] is not bound.get(name)
        ]
        return unbound

    def _hidden_state_changes(
        self, run: StatementRun, plan: StatementPlan, mutated: list[tuple[Any, set[str]]]
    ) -> None:
        """Library state the statement changed unseen (see .globalstate): a change of
        the module standing for it, through every name the statement read."""
        changed = self.state.probes.changed(plan.tokens)
        if not changed:
            return
        names = set(run.reads)
        state = self.state
        modules = {probe.module for probe in changed}
        for setting in state.settings:
            if setting.read_on_change_of in modules:
                # it drew on a figure: what it drew used the settings then
                state.edges_for_setting(run, setting)
        for probe in changed:
            module = sys.modules.get(probe.module)
            if module is None:
                continue
            mutated.append((module, names | {probe.module.rpartition(".")[2]}))
            if probe.ambient:
                state.ambient.add(probe.module)
            if probe.read_by and probe not in state.settings:
                state.settings.append(probe)

    def _settings_changed(self, module_name: str) -> None:
        """``mpl.rcParams[k] = v`` (no call, so no probe ran) changed the module holding
        library settings: statements using its objects read that change from now on."""
        settings = self.state.settings
        for probe in self.state.probes.probes:
            if probe.module == module_name and probe.read_by and probe not in settings:
                settings.append(probe)

    def _held_by_their_module(self, run: StatementRun, bound: dict[str, Any]) -> None:
        """``from helper import data``: ``data`` is part of ``helper``'s state, so
        ``data.append(2)`` is a change of what ``helper.data`` readers read."""
        try:
            tree = ast.parse(run.source)
        except SyntaxError:
            return
        objects = self.objects
        for stmt in tree.body:
            if not isinstance(stmt, ast.ImportFrom) or stmt.level or stmt.module is None:
                continue
            module = sys.modules.get(stmt.module)
            if module is None:
                continue
            if stmt.names[0].name == "*":
                names = [n for n in bound if getattr(module, n, MISSING) is bound[n]]
            else:
                names = [alias.asname or alias.name for alias in stmt.names]
            for name in names:
                value = bound.get(name, MISSING)
                if (
                    value is MISSING
                    or self.walker.is_scalar(value)
                    or isinstance(value, (ModuleType, type, FunctionType))
                ):
                    continue
                objects.hold(objects.ensure(module), objects.ensure(value))

    def _register_functions(self, plan: StatementPlan, bound: dict[str, Any]) -> None:
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
        if plan.info.certain_body_binds:
            functions.register_certain_binds(
                bound.get(next(iter(facts.binds), ""), None),
                plan.info.certain_body_binds,
            )


def _defined_and_called_reads(run: StatementRun, facts: StatementFacts) -> frozenset[str]:
    """Globals read by functions a compound statement defines and may call in it."""
    if facts.is_def or not run.info.has_calls:
        return frozenset()
    return facts.body_reads - facts.mutates


def _may_rebind(facts: StatementFacts, bound: dict[str, Any], deleted: list[str]) -> set[str]:
    """Names the statement could have rebound or deleted on a path it did not take."""
    if not facts.binds and not facts.deletes:
        return set()
    return set((facts.binds - facts.certain_binds) | facts.deletes) - bound.keys() - set(deleted)


def _star_exports(module_name: str) -> frozenset[str]:
    """The names ``from MODULE import *`` binds: its ``__all__``, or its public names."""
    module = sys.modules.get(module_name)
    if module is None:
        return frozenset()
    try:
        exported = getattr(module, "__all__", None)
        if exported is None:
            return frozenset(name for name in vars(module) if not name.startswith("_"))
        return frozenset(name for name in exported if isinstance(name, str))
    except Exception:  # a module with a strange ``__all__``: the identity checks remain
        return frozenset()


def _missing_submodules(imported: tuple[str, ...]) -> tuple[str, ...]:
    """The ``package.child`` links ``imported`` makes, in place already or not.

    A link in place already may come from code that ran before tracing (linea, a
    library, an earlier notebook cell): a slice runs in a fresh process, where only
    this import makes it.
    """
    links: list[str] = []
    for dotted in imported:
        parts = dotted.split(".")
        links.extend(".".join(parts[: end + 1]) for end in range(1, len(parts)))
    return tuple(links)


def _packages_given_submodules(
    imported: tuple[str, ...], links: tuple[str, ...]
) -> list[tuple[Any, set[str]]]:
    """Packages an import statement gave a submodule attribute, as changed objects.

    ``import xml.dom.minidom`` gives the ``xml`` package its ``dom`` attribute: a later
    ``import xml`` binds that same, changed object, so code using ``xml.dom`` needs the
    first import too. ``from pkg import name`` counts only when ``name`` is a submodule.
    """
    new = set(links)
    changed: list[tuple[Any, set[str]]] = []
    seen: set[str] = set()
    for dotted in imported:
        if dotted not in sys.modules:
            continue
        parts = dotted.split(".")
        for end in range(1, len(parts)):
            link = ".".join(parts[: end + 1])
            parent_name = ".".join(parts[:end])
            module = sys.modules.get(parent_name)
            child = getattr(module, parts[end], None)
            if getattr(child, "__name__", link) != link:
                continue  # the package sets it itself (``os.path`` is ``posixpath``)
            if link in new and parent_name not in seen and module is not None:
                seen.add(parent_name)
                changed.append((module, {parts[0]}))
    return changed
