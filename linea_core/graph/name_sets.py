"""One object per distinct set of names (and per distinct edge), so a long session's
graph does not fill the heap.

A 20,000-statement session held about 335,000 frozensets of names (the names and ``via``
of every edge, the facts of every analysed statement), of which 38,000 were distinct and
150,000 empty, and 50,000 edges, of which 14,000 were distinct. Every one of them is a container the cyclic garbage collector walks on
each full collection, and full collections grow with the heap: tracing cost per
statement grew with the session. Sharing equal sets and edges changes no value (both are
immutable and compared by content) and removes most of those objects.
"""

from __future__ import annotations

from collections.abc import Iterable

from linea_core.graph.model import Edge

#: The empty set of names; every empty set a :class:`NameSets` hands out is this one.
NO_NAMES: frozenset[str] = frozenset()


class NameSets:
    """Hands out one shared frozenset per distinct set of names, and one shared
    :class:`Edge` per distinct edge (one table per session)."""

    __slots__ = ("_known", "_edges")

    def __init__(self) -> None:
        self._known: dict[frozenset[str], frozenset[str]] = {NO_NAMES: NO_NAMES}
        self._edges: dict[Edge, Edge] = {}

    def __call__(self, names: Iterable[str]) -> frozenset[str]:
        key = names if type(names) is frozenset else frozenset(names)
        return self._known.setdefault(key, key)

    def __len__(self) -> int:
        return len(self._known)

    def edge(self, producer: int, names: Iterable[str], via: Iterable[str]) -> Edge:
        """The edge with these parts, shared with every equal edge handed out before
        (statements reading the same names from the same producer: most edges)."""
        shared = self(names)
        via_set = via if type(via) is frozenset else frozenset(via)
        made = Edge(producer, shared, shared if via_set == shared else self(via_set))
        found = self._edges.setdefault(made, made)
        return found
