"""Applying what annotation packs say a call did: mutations, views, reads, external state.

When every call of a statement is described by a pack, capture trusts the description
instead of fingerprints: the objects a call mutates get history, objects it makes
views of share an alias set, objects it reads add edges, and files or databases it
writes or reads become external-state edges.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from linea_core.capture.calls import ResolvedCall
from linea_core.capture.records import MISSING, StatementPlan, StatementRun
from linea_core.capture.state import TraceState
from linea_core.graph.model import ExternalState


def apply_annotations(
    state: TraceState,
    run: StatementRun,
    plan: StatementPlan,
    bound: dict[str, Any],
    mutated: list[tuple[Any, set[str]]],
) -> None:
    """Record the effects of ``plan``'s described calls; changed objects go to ``mutated``."""
    objects = state.objects
    walker = state.walker
    external = state.external
    names_of = _names_of(state, run) if plan.resolved else {}
    for call in plan.resolved:
        effects = call.effects
        if effects is None:
            continue
        result = _call_result(state, plan, call)
        for ref in effects.mutated:
            for obj in effects.resolve(ref, call.args, call.kwargs, result):
                if obj is MISSING or walker.is_scalar(obj):
                    continue
                names = names_of.get(id(obj))
                if names is None:
                    names = _site_names(call)
                    # ``obj.tags.append(1)``: the list is part of ``obj``'s state
                    _holder_changed(state, call, obj, names, mutated)
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
                    module_set = state.module_sets.get(obj.__name__)
                    if module_set is not None:
                        for head, names in module_set.head_edges():
                            run.add_edge(head, names, ())
        for written in effects.external_writes:
            if written == ExternalState.FILE_SYSTEM.value:
                run.writes.add(ExternalState.FILE_SYSTEM)
            elif written == ExternalState.DB.value:
                run.writes.add(ExternalState.DB)
        for read in effects.external_reads:
            if read == ExternalState.DB.value:
                for producer in external.db_writers:
                    run.add_edge(producer, (), ())
            elif read == ExternalState.FILE_SYSTEM.value and not external.saw_paths:
                for producer in external.all_file_writers:
                    run.add_edge(producer, (), ())


def _holder_changed(
    state: TraceState,
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
    holder = state.namespace.get(root, MISSING)
    if holder is MISSING or holder is obj or state.walker.is_scalar(holder):
        return
    if isinstance(holder, ModuleType):
        # ``helper.data.append(2)``, ``sys.path.append(p)``: the module's state changed
        # (readers of the module depend on it). A submodule (``np.random``) has its own.
        if not isinstance(obj, ModuleType):
            mutated.append((holder, set(names)))
        return
    if isinstance(holder, type):
        return
    objects = state.objects
    objects.hold(objects.ensure(holder), objects.ensure(obj))
    mutated.append((holder, set(names)))


def _call_result(state: TraceState, plan: StatementPlan, call: ResolvedCall) -> Any:
    """The call's return value when the statement binds it directly, else MISSING."""
    target = plan.info.result_targets
    if target is None or len([s for s in plan.facts.calls if not s.deferred]) != 1:
        return MISSING
    values = []
    for name in target:
        value = state.namespace.get(name, MISSING)
        if value is MISSING:
            return MISSING
        values.append(value)
    return values[0] if len(values) == 1 and not plan.info.result_is_tuple else tuple(values)


def _names_of(state: TraceState, run: StatementRun) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    ns = state.namespace
    for name in run.reads:
        value = ns.get(name, MISSING)
        if value is not MISSING:
            out.setdefault(id(value), set()).add(name)
    return out


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
