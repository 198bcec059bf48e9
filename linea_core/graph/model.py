"""The graph model shared by capture, the store and slicing.

A *session* is a sequence of *blocks* (a script is one block; each notebook cell run
is another) executed in one namespace. Each top-level statement of a block that runs
becomes one :class:`Node`. Edges carry the names through which the consumer used the
producer's work, *as the producer spelled them*: slicing a compound statement (a loop,
an ``if``) down to what a consumer needs requires knowing which of its names matter.

The model is plain data (no behaviour, no I/O) so the store can persist it as rows
and slicing can run on a graph loaded from any database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class NodeKind(str, Enum):
    """Why a node exists; slicing and code generation treat some kinds specially."""

    STATEMENT = "statement"  # an ordinary analysed statement
    OPAQUE = "opaque"  # ran untouched; linea could not analyse it (see Node.note)
    IMPORT = "import"  # import / from-import
    ARTIFACT_GET = "artifact_get"  # uses lineapy.get(...): kept instead of inlining other sessions
    ARTIFACT_SAVE = "artifact_save"  # a lineapy.save(...) statement


class ExternalState(str, Enum):
    """Pseudo-objects that stand for state outside the Python process."""

    FILE_SYSTEM = "file_system"
    DB = "db"


@dataclass(frozen=True)
class Block:
    """One unit of source executed in the session: a script or one notebook cell run."""

    index: int
    source: str
    filename: str  # what tracebacks show: the script path or "<cell N>"


@dataclass(frozen=True)
class Edge:
    """The consumer used ``producer``'s work.

    ``names`` are the names through which the producer bound or changed the object,
    in the producer's spelling (what slicing must keep when it prunes the producer);
    ``via`` are the consumer's own names that led to the producer (``b = a;
    b.append(1)`` then ``print(a)``: names={"b"}, via={"a"}). After slicing prunes
    the consumer, edges whose ``via`` it no longer reads are dropped. An empty ``via``
    (external state, opaque statements) is always followed.
    """

    producer: int
    names: frozenset[str]
    via: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Node:
    """One executed top-level statement.

    ``lineno``/``end_lineno`` are 1-based lines within the block's source, so
    ``source`` is recoverable from the block and kept here only for convenience.
    """

    id: int
    block: int
    lineno: int
    end_lineno: int
    source: str
    kind: NodeKind = NodeKind.STATEMENT
    deps: tuple[Edge, ...] = ()
    external_writes: frozenset[ExternalState] = frozenset()
    note: str = ""  # e.g. why a node is opaque, shown in warnings and slices


#: The note of a node standing for names that existed before tracing began: a slice
#: that needs one whose text is only a comment cannot recreate those names.
EARLIER_NAMES_NOTE = "defined before linea started tracing: "

#: How a ``lineapy.get`` statement's node notes the artifact versions it read, so a
#: slice reads those versions and not whatever is latest when it runs.
ARTIFACT_READS_NOTE = "reads artifact versions: "


def artifact_reads_note(reads: list[tuple[str, int]]) -> str:
    """The note of a statement that read these ``(artifact name, version)`` pairs."""
    import json

    return ARTIFACT_READS_NOTE + json.dumps([[name, version] for name, version in reads])


def artifact_reads(note: str) -> dict[str, set[int]]:
    """Artifact name -> versions read, from a note made by :func:`artifact_reads_note`."""
    if not note.startswith(ARTIFACT_READS_NOTE):
        return {}
    import json

    try:
        pairs = json.loads(note[len(ARTIFACT_READS_NOTE) :])
    except ValueError:
        return {}
    found: dict[str, set[int]] = {}
    for name, version in pairs:
        found.setdefault(str(name), set()).add(int(version))
    return found


def share_a_line(before: Node, after: Node) -> bool:
    """Whether consecutive top-level statements ``before`` and ``after`` were written on
    one physical line (``a = 1; b = 2``): slices keep or drop such lines as a whole."""
    return before.block == after.block and before.end_lineno >= after.lineno


@dataclass(frozen=True)
class SaveSite:
    """Where a save ran when it did not run as a top-level statement of its own.

    ``node`` is the top-level statement whose text holds the save call: the save
    statement itself (a loop, an ``if __name__ == "__main__":`` block) or an earlier
    definition of the function the call sits in. ``line`` (1-based) and ``column``
    (UTF-8 bytes, -1 when unknown) locate the call within that node's source. ``run``
    is how many times the call had run during the save statement when this version was
    saved (1 for the first); ``armed`` says whether statements before the save
    statement ran the call too (their runs do not count).
    """

    node: int
    line: int
    column: int = -1
    run: int = 1
    armed: bool = False


@dataclass(frozen=True)
class SliceRoot:
    """What an artifact's value depends on at the moment it was saved.

    ``edges`` point at the nodes that created or changed the saved object (or its
    aliases and views). ``save_node`` is the statement containing the save call.
    ``value_in_save`` is set when the value was computed inside the save statement
    itself (``save(df.mean(), "m")``): the slice then ends with that expression.
    ``site`` is set when the save ran inside the save statement (a loop body, a
    function it called): the slice then keeps that statement and stops at the site.
    ``missing`` says why no slice can reproduce the value (the save ran in code linea
    could not locate); the code says so and running it fails with that message.
    """

    save_node: int
    edges: tuple[Edge, ...]
    value_in_save: bool = False
    site: SaveSite | None = None
    missing: str = ""


@dataclass
class SessionGraph:
    """All blocks and nodes of one session, in execution order."""

    session_id: str
    blocks: list[Block] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)

    def node(self, node_id: int) -> Node:
        """Nodes are numbered densely from 0 in execution order."""
        return self.nodes[node_id]
