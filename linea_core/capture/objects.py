"""Object identity, alias sets and the history of every object the session has named.

``b = a; b.append(1)`` changes the object ``a`` names, so the history of a value is kept
per *object*, not per name. Objects that share state (a numpy view of another array, a
pandas view) are merged into one :class:`AliasSet`: a change through any member is part
of the whole set's history.

Containment is one-way: ``splits = [train, test]`` makes ``splits`` *hold* ``train`` and
``test``. A change of ``train`` is a change of ``splits`` (readers of ``splits`` depend
on it), but not of ``test``; a change made through ``splits`` whose exact target is not
known (``splits[0].append(5)``, seen by fingerprints) counts for everything it holds.

Histories are chains: a node that changes an object depends on the object's earlier
history (it read the object, and capture adds the edges it lacks before recording it).
A consumer therefore needs edges only to the *heads* of the set's history (see
:attr:`AliasSet.heads`), which keeps the graph linear in the number of statements
instead of quadratic. A set has one head, its latest change, except right after two sets
with their own histories merged (``splits = [train, test]``): then the latest changes of
both are heads until the next change of the merged set depends on them all.

Objects are held through weak references when their type allows it, so tracking does
not keep user data alive. Lists, dicts and other types without weak reference support
are held strongly (an id must never be reused while linea still attributes history to
it) and released by :meth:`ObjectTable.sweep` once nothing but the table refers to them.
"""

from __future__ import annotations

import sys
import weakref
from collections.abc import Callable, Iterable, Iterator


class AliasSet:
    """Objects that share state, and the nodes that created or changed any of them.

    ``history`` maps node id -> the names through which that node touched the set, in
    the node's own spelling. ``last`` is the latest node (or -1); ``heads`` are the
    nodes whose dependency chains together reach the whole history.
    """

    __slots__ = (
        "members",
        "history",
        "last",
        "heads",
        "observes",
        "holds",
        "merged_into",
        "__weakref__",
    )

    def __init__(self) -> None:
        self.members: set[int] = set()
        self.history: dict[int, set[str]] = {}
        self.last = -1
        self.heads: list[int] = []
        # Sets whose changes this set sees but does not cause: an iterator over a list
        # sees the list's appends, while advancing the iterator leaves the list alone.
        self.observes: list[AliasSet] = []
        # Sets of objects that objects of this set contain (see the module docstring).
        self.holds: list[AliasSet] = []
        self.merged_into: AliasSet | None = None  # set by a union that absorbed this set

    def current(self) -> AliasSet:
        """The live set this one was merged into (itself if it was not)."""
        aset = self
        while aset.merged_into is not None:
            aset = aset.merged_into
        return aset

    def seen_sets(self) -> list[AliasSet]:
        """Observed and held sets (transitively) with a history: their changes are
        changes of this set's state, so its readers depend on them too."""
        if not self.observes and not self.holds:
            return []
        found: list[AliasSet] = []
        seen = {id(self)}
        stack = [*self.observes, *self.holds]
        while stack:
            other = stack.pop().current()
            if id(other) in seen:
                continue
            seen.add(id(other))
            if other.last >= 0:
                found.append(other)
            stack.extend(other.observes)
            stack.extend(other.holds)
        return found

    def held_sets(self) -> list[AliasSet]:
        """Sets this one holds, transitively: what an untargeted change through it may change."""
        if not self.holds:
            return []
        found: list[AliasSet] = []
        seen = {id(self)}
        stack = list(self.holds)
        while stack:
            other = stack.pop().current()
            if id(other) in seen:
                continue
            seen.add(id(other))
            found.append(other)
            stack.extend(other.holds)
        return found

    def record(self, node: int, names: Iterable[str]) -> None:
        """``node`` changed the set; it must already depend on every current head."""
        known = self.history.get(node)
        if known is None:
            self.history[node] = set(names)
        else:
            known.update(names)
        if node >= self.last:
            self.last = node
            self.heads = [node]

    def head_edges(self) -> Iterator[tuple[int, set[str]]]:
        """(node, names) of each head: what a consumer of the set's state depends on."""
        history = self.history
        for node in self.heads:
            yield node, history[node]

    def last_names(self) -> frozenset[str]:
        if self.last < 0:
            return frozenset()
        return frozenset(self.history[self.last])


class _Entry:
    __slots__ = ("ref", "strong", "aset")

    def __init__(self, ref: object, strong: bool, aset: AliasSet) -> None:
        self.ref = ref
        self.strong = strong
        self.aset = aset

    def target(self) -> object:
        return self.ref if self.strong else self.ref()  # type: ignore[operator]


class ObjectTable:
    """id -> (object, alias set), for one session."""

    def __init__(self) -> None:
        self._entries: dict[int, _Entry] = {}
        self._strong = 0
        self._sweep_at = 256
        self._baseline: int | None = None

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, oid: int) -> bool:
        return oid in self._entries

    def ids(self) -> Iterable[int]:
        return self._entries.keys()

    def get(self, obj: object) -> AliasSet | None:
        entry = self._entries.get(id(obj))
        return None if entry is None else entry.aset

    def get_by_id(self, oid: int) -> AliasSet | None:
        entry = self._entries.get(oid)
        return None if entry is None else entry.aset

    def object_by_id(self, oid: int) -> object | None:
        entry = self._entries.get(oid)
        return None if entry is None else entry.target()

    def ensure(self, obj: object) -> AliasSet:
        """The object's alias set, tracking it (with an empty history) if new."""
        oid = id(obj)
        entry = self._entries.get(oid)
        if entry is not None:
            return entry.aset
        aset = AliasSet()
        aset.members.add(oid)
        try:
            ref: object = weakref.ref(obj, self._forget_callback(oid))
            strong = False
        except TypeError:
            ref, strong = obj, True
            self._strong += 1
        self._entries[oid] = _Entry(ref, strong, aset)
        return aset

    def record(self, obj: object, node: int, names: Iterable[str]) -> AliasSet:
        aset = self.ensure(obj)
        aset.record(node, names)
        return aset

    def union(self, first: AliasSet, second: AliasSet) -> AliasSet:
        """Merge two alias sets (the smaller into the larger) and return the result."""
        if first is second:
            return first
        if len(first.members) < len(second.members):
            first, second = second, first
        entries = self._entries
        for oid in second.members:
            entry = entries.get(oid)
            if entry is not None:
                entry.aset = first
        first.members |= second.members
        history = first.history
        for node, names in second.history.items():
            known = history.get(node)
            if known is None:
                history[node] = set(names)
            else:
                known.update(names)
        if second.heads:
            first.heads = sorted(set(first.heads) | set(second.heads))
            first.last = max(first.last, second.last)
        first.observes.extend(o for o in second.observes if o.current() is not first)
        first.holds.extend(o for o in second.holds if o.current() is not first)
        second.members = set()
        second.observes = []
        second.holds = []
        second.merged_into = first
        return first

    def hold(self, container: AliasSet, member: AliasSet) -> None:
        """``container``'s objects contain ``member``'s (see the module docstring)."""
        container, member = container.current(), member.current()
        if container is not member and all(h.current() is not member for h in container.holds):
            container.holds.append(member)

    def observe(self, observer: AliasSet, observed: AliasSet) -> None:
        """``observer`` sees ``observed``'s changes (one way; see :attr:`AliasSet.observes`)."""
        observer, observed = observer.current(), observed.current()
        if observer is not observed and observed not in observer.observes:
            observer.observes.append(observed)

    def sets(self) -> Iterator[AliasSet]:
        """Every distinct alias set once."""
        seen: set[int] = set()
        for entry in list(self._entries.values()):
            aset = entry.aset
            if id(aset) not in seen:
                seen.add(id(aset))
                yield aset

    def objects(self) -> Iterator[object]:
        for entry in list(self._entries.values()):
            target = entry.target()
            if target is not None:
                yield target

    # ------------------------------------------------------------ lifetime
    def _forget_callback(self, oid: int) -> Callable[[weakref.ref[object]], None]:
        table = weakref.ref(self)

        def forget(ref: weakref.ref[object]) -> None:
            owner = table()
            if owner is not None:
                owner._forget(oid, ref)

        return forget

    def _forget(self, oid: int, ref: object) -> None:
        entry = self._entries.get(oid)
        if entry is not None and entry.ref is ref:
            del self._entries[oid]
            entry.aset.members.discard(oid)

    def maybe_sweep(self) -> None:
        """Release strongly held objects nobody else refers to (amortised)."""
        if self._strong >= self._sweep_at:
            self.sweep()
            self._sweep_at = max(256, 2 * self._strong)

    def sweep(self, oids: Iterable[int] | None = None) -> None:
        """Forget strongly held objects that only this table still refers to.

        ``oids`` limits the check to some objects (e.g. values a statement just
        unbound); callers pass ids, not objects, so that they hold no reference of their
        own while references are counted.
        """
        baseline = self._refcount_baseline()
        entries = self._entries
        if oids is None:
            oids = [oid for oid, entry in entries.items() if entry.strong]
        for oid in oids:
            entry = entries.get(oid)
            if entry is None or not entry.strong:
                continue
            obj = entry.ref
            if sys.getrefcount(obj) <= baseline:
                del entries[oid]
                entry.aset.members.discard(oid)
                self._strong -= 1
            del obj

    def _refcount_baseline(self) -> int:
        """References to a strongly tracked object when only the table holds it.

        Measured rather than hard-coded: how many references the interpreter's own
        frames add differs between Python versions.
        """
        if self._baseline is None:
            probe: list[int] = []
            entry = _Entry(probe, True, AliasSet())
            del probe
            obj = entry.ref
            self._baseline = sys.getrefcount(obj)
            del obj
        return self._baseline
