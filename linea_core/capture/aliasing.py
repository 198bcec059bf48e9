"""Which objects share state after a statement: alias sets, containment and views.

Two facts are learned here. Before a statement runs, which of the names it reads hold
one object (so pruning knows a change through one name is a change of the other);
after it ran, which new or changed objects now hold or share memory with objects the
session already tracks (``d = {"x": lst}``, ``v = arr[1:]``).
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import Any

from linea_core.capture.fingerprint import (
    CLASS,
    FUNCTION,
    MODULE,
    TUPLE,
    Snapshot,
    pandas_copy_on_write,
)
from linea_core.capture.objects import AliasSet
from linea_core.capture.records import MISSING, StatementPlan, StatementRun
from linea_core.capture.state import TraceState

# Objects that are code or namespaces rather than data: a statement reading them is not
# given fingerprints of them (user functions' and classes' state is walked through
# their own kinds when they are the user's).
_LIBRARY_CODE_KINDS = frozenset({FUNCTION, CLASS, MODULE})


def fingerprint_roots(state: TraceState, names: Iterable[str]) -> list[tuple[str, Any]]:
    """(name, object) pairs whose state a statement reading ``names`` may change."""
    ns = state.namespace
    walker = state.walker
    roots = []
    for name in names:
        value = ns.get(name, MISSING)
        if value is MISSING or walker.is_scalar(value):
            continue
        kind = walker.kind_of_type(type(value))
        if kind in _LIBRARY_CODE_KINDS and not _is_users(state, value, kind):
            continue
        roots.append((name, value))
        roots.extend((name, klass) for klass in state.user_classes_of(value))
    return roots


def _is_users(state: TraceState, value: Any, kind: int) -> bool:
    walker = state.walker
    if kind == FUNCTION:
        return walker.is_user_function(value)
    if kind == CLASS:
        return walker.is_user_class(value)
    return walker.is_user_module(value)


def relate_aliases(state: TraceState, run: StatementRun, roots: list[tuple[str, Any]]) -> None:
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
    objects = state.objects
    is_scalar = state.walker.is_scalar
    binders = state.binders
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


def merge_aliases(
    state: TraceState,
    run: StatementRun,
    plan: StatementPlan,
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
    roots = fingerprint_roots(state, run.reads)
    if not roots:
        return  # nothing mutable went in: nothing can be shared
    objects = state.objects
    walker = state.walker
    walked: list[list[tuple[Any, Snapshot]]] = []

    def inputs() -> list[tuple[Any, Snapshot]]:
        if not walked:
            walked.append(_input_walks(state, run, plan))
        return walked[0]

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
        for input_value, input_walk in inputs():
            if input_value is value or id(input_value) in walk.reached:
                continue  # it holds the input: related above
            if id(value) not in input_walk.reached:
                # ``b = dict(a)``, ``lookup = {"x": rows[0]}``, ``b.append(a[0])``:
                # objects reached from both are shared parts of both
                aset = _hold_shared_parts(state, aset, walk, input_value, input_walk)
        if id(value) not in new_objects:
            continue
        cow = None
        for input_value, input_walk in inputs():
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


#: More shared parts than this and the two objects are merged instead: as sound, and
#: cheaper than one alias set per shared part.
_SHARED_PARTS_LIMIT = 64


def _hold_shared_parts(
    state: TraceState, aset: AliasSet, walk: Snapshot, other: Any, other_walk: Snapshot
) -> AliasSet:
    """Make ``aset`` and ``other``'s set both hold the mutable objects both walks reached.

    A shallow copy shares its items with the original: changing ``b["k"]`` after
    ``b = dict(a)`` changes ``a["k"]``. Holding (not merging) keeps ``b["new"] = 1`` out
    of ``a``'s history, while a change of a shared part is a change of both.
    """
    objects = state.objects
    kind_of = state.walker.kind_of_type
    shared = [
        obj
        for oid, obj in walk.reached.items()
        if oid in other_walk.reached
        and oid != id(walk.root)
        and oid != id(other)
        and kind_of(type(obj)) not in _SHARED_KINDS_IGNORED
    ]
    if not shared:
        return aset
    other_set = objects.ensure(other)
    if len(shared) > _SHARED_PARTS_LIMIT:
        return objects.union(aset, other_set)
    for obj in shared:
        part = objects.ensure(obj)
        objects.hold(aset, part)
        objects.hold(other_set, part)
    return aset.current()


# Immutable containers hold the mutable parts that are shared (those are walked too);
# code and namespaces are referred to, not shared as state.
_SHARED_KINDS_IGNORED = frozenset({TUPLE, FUNCTION, CLASS, MODULE})


def _input_walks(
    state: TraceState, run: StatementRun, plan: StatementPlan
) -> list[tuple[Any, Snapshot]]:
    walks: list[tuple[Any, Snapshot]] = []
    for watched in plan.snapshots.values():
        if watched.after is not None:
            walks.append((watched.value, watched.after))
    seen = {id(value) for value, _ in walks}
    for _name, value in fingerprint_roots(state, run.reads):
        if id(value) in seen or isinstance(value, ModuleType):
            continue
        seen.add(id(value))
        proved = plan.proved.get(id(value))
        if proved is not None and proved[0] is value:
            walks.append((value, proved[2]))  # a cached walk of a big root
            continue
        walks.append((value, state.walker.snapshot(value, digest=False)))
    return walks
