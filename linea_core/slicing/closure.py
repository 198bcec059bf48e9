"""Backward closure over a session graph: which statements an artifact needs, and how much of each.

The walk visits nodes in decreasing id order. Edges always point from a later
statement to an earlier one, so when a node is reached in that order every kept
consumer has already added its edges: the set of names needed from the node is
final, the node is pruned exactly once, and the whole closure is linear in nodes
plus edges (a 10,000-statement session slices in milliseconds).

Per node, the rules are:

* simple statements, imports, ``lineapy.get`` statements and opaque statements are
  kept whole, and every dependency edge they have is followed;
* compound statements (``if``/``for``/``while``/``try``/``with``/``match``) are pruned
  by :func:`linea_core.slicing.pruning.prune` down to the sub-statements that bind, delete or
  change the names consumers need; only the edges whose ``via`` names the pruned
  code still reads are followed (an empty ``via`` is always followed);
* a node reached through an edge without names is kept whole (an opaque
  statement's blanket dependency: there is no name to prune by), except a compound
  statement that wrote files or databases, which keeps the calls that may have
  written (see :mod:`linea_core.slicing.external`);
* a compound statement that may bind a name without always doing so
  (``if big: mode = "b"``) also needs that name's earlier binding, for the paths
  where it does not run: capture gives it an edge to that binding (and to the
  history of its object), which the pruned code's reads follow;
* top-level statements sharing a physical line with a kept one (``a = 1; b = 2``)
  are kept too, whole, so a slice never splits a line the user wrote as one;
* the artifact's own save statement is dropped, or kept verbatim
  (``keep_lineapy_save``). When the value was computed inside the call
  (``save(df.mean(), "m")``) the slice ends with ``m = df.mean()`` (``artifact_value
  = ...`` if the name is not an identifier); a plain reference saved in place
  (``save(obj.attr, "a")``) needs no line. Other save statements are kept verbatim
  when reached (``art = lineapy.save(...)`` binds ``art``).

Opaque statements are kept whole without any extra comment in the slice itself, so
a slice is exactly the user's statements; the reason is in ``Node.note`` and in the
warning capture emitted, and the commented rendering (``include_non_slice_as_comment``)
shows it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from linea_core.graph.model import (
    ARTIFACT_READS_NOTE,
    EARLIER_NAMES_NOTE,
    Edge,
    ExternalState,
    Node,
    NodeKind,
    SessionGraph,
    SliceRoot,
    artifact_reads,
    share_a_line,
)
from linea_core.slicing.errors import SlicingError
from linea_core.slicing.external import external_needs
from linea_core.slicing.immutability import ImmutabilityOracle
from linea_core.slicing.linea_calls import (
    LineaNames,
    LoaderCode,
    assignment_of,
    external_state_of,
    find_linea_names,
    find_save_call,
    is_plain_reference,
    pin_artifact_versions,
    rewrite_value_loads,
    value_variable,
)
from linea_core.slicing.pruning import prune
from linea_core.slicing.purity import BuiltinPurity, IndexSource, index_from_context
from linea_core.slicing.save_sites import (
    STOP_FUNCTION,
    has_save_calls,
    helper_code,
    pass_stop_through,
    rewrite_saves,
    runs_cleanup,
    wrap_save_statement,
)
from linea_core.slicing.statements import (
    StatementCache,
    is_prunable,
    loaded_names,
    may_be_prunable,
    segment,
)
from linea_core.syntax.source import LINE_BREAK

#: ``value_loader_source(name, version)``: Python source of an expression that loads a
#: stored artifact value without linea, or a :class:`LoaderCode` when that expression
#: needs setup lines (imports); None when the value cannot be located.
ValueLoaderSource = Callable[[str, "int | None"], "str | LoaderCode | None"]


@dataclass(frozen=True)
class KeptNode:
    """One statement of a slice and the exact code emitted for it.

    ``whole`` means ``text`` is the node's original source; otherwise it was pruned
    or rewritten. ``setup`` are lines ``text`` needs first (imports of a value
    loader). ``needed`` are the names the slice's later statements use from it.
    """

    node_id: int
    text: str
    needed: frozenset[str]
    whole: bool
    setup: tuple[str, ...] = ()


@dataclass(frozen=True)
class Slice:
    """The statements an artifact needs, in execution order, plus how to read its value.

    ``value_source`` is an expression that evaluates to the artifact's value in the
    namespace the slice ran in (None for external-state artifacts, whose value is
    ``external_state``, and for kept in-save values that got no variable).
    """

    root: SliceRoot
    artifact_name: str
    kept: dict[int, KeptNode]
    value_source: str | None
    external_state: ExternalState | None
    missing: str = ""
    missing_said: bool = False  # the kept code itself names what is missing


class Slicer:
    """Slices one session graph; reuse it across calls to reuse parsed statements.

    The graph may keep growing (notebook cells) while a slicer is alive: nodes are
    read afresh on every call and cached trees are keyed by source text.
    """

    def __init__(
        self,
        graph: SessionGraph,
        *,
        cache: StatementCache | None = None,
        annotations: IndexSource | None = None,
    ) -> None:
        """``annotations`` supplies the annotation index that says which built-in calls
        are pure (default: the current context's packs, loaded when first needed)."""
        self.graph = graph
        self.cache = cache if cache is not None else StatementCache()
        self._prune = prune
        self._immutability = ImmutabilityOracle(graph.nodes, self.cache)
        self._purity = BuiltinPurity(
            graph.nodes, self.cache, annotations if annotations is not None else index_from_context
        )

    # -- public -------------------------------------------------------------------

    def slice(
        self,
        root: SliceRoot,
        *,
        artifact_name: str,
        keep_lineapy_save: bool = False,
        value_loader_source: ValueLoaderSource | None = None,
    ) -> Slice:
        """Compute the slice of ``root``.

        ``value_loader_source`` (the ``use_lineapy_serialization=False`` mode)
        replaces ``lineapy.get(NAME).get_value()`` by direct loads where it can.
        """
        nodes = self.graph.nodes
        save_id = root.save_node
        if not 0 <= save_id < len(nodes):
            raise SlicingError(
                f"artifact {artifact_name!r}: its save statement is node {save_id}, but the "
                f"session graph has {len(nodes)} nodes; the graph is incomplete or damaged"
            )
        names = self._linea_names(nodes[: save_id + 1])
        walk = _Walk(nodes, save_id, names)
        save_node = nodes[save_id]
        if root.site is not None or root.missing:
            return self._slice_at_site(walk, root, artifact_name, names, keep_lineapy_save)

        value_source: str | None = None
        external: ExternalState | None = None
        stmt = self.cache.statement(save_node.source)
        save = find_save_call(stmt, names, artifact_name) if stmt is not None else None
        if save is not None:
            external = external_state_of(save.reference, names)
            if external is None:
                value_source = segment(save_node.source, save.reference)
        elif not root.value_in_save:
            # ``save`` ran outside any recorded statement (the root then names the last
            # statement): that statement is an ordinary part of the slice, and the value
            # is whatever the root's names hold.
            return self._finish(
                walk,
                root,
                artifact_name,
                names,
                value_loader_source,
                start=save_id,
                value_source=_root_variable(root),
            )

        if keep_lineapy_save:
            walk.keep(save_node, frozenset(), save_node.source, whole=True)
            walk.follow(save_node, None)
            root_reads: frozenset[str] | None = None
        elif root.value_in_save and external is None:
            if save is None:
                # The value came from a statement linea cannot take apart: keep it as is.
                walk.keep(save_node, frozenset(), save_node.source, whole=True)
                walk.follow(save_node, None)
                root_reads = None
            else:
                root_reads = loaded_names(save.reference)
                if not is_plain_reference(save.reference):
                    # A computed value (``save(df.mean(), "m")``): the slice ends by
                    # computing it. A plain reference (``save(obj.attr, "a")``) needs no
                    # line of its own: the value is read from the namespace afterwards.
                    variable = value_variable(artifact_name)
                    text = assignment_of(variable, value_source or "")
                    walk.keep(save_node, frozenset(), text, whole=False)
                    value_source = variable
                walk.follow(save_node, root_reads)
        else:
            root_reads = None
        for edge in root.edges:
            # Edges to the save statement itself are covered by how it is kept above.
            if edge.producer != save_id and _uses(edge, root_reads):
                walk.reach(edge, save_id)
        piece = self._finish(
            walk,
            root,
            artifact_name,
            names,
            value_loader_source,
            start=save_id - 1,
            value_source=value_source,
        )
        return Slice(
            root,
            artifact_name,
            piece.kept,
            value_source,
            external,
            piece.missing,
            piece.missing_said,
        )

    def _slice_at_site(
        self,
        walk: _Walk,
        root: SliceRoot,
        artifact_name: str,
        names: LineaNames,
        keep_lineapy_save: bool,
    ) -> Slice:
        """The slice of a save that ran inside its statement (see :mod:`.save_sites`).

        The save statement is kept (pruned to what the save call needs when the call
        is in its own text, whole when it calls a function holding the call), the
        call becomes a stop on the recorded run, and the statement is wrapped so the
        value is bound to a variable where it stops.
        """
        nodes = self.graph.nodes
        save_id = root.save_node
        site = root.site
        missing = root.missing
        if site is not None and not keep_lineapy_save:
            if not 0 <= site.node <= save_id:
                raise SlicingError(
                    f"artifact {artifact_name!r}: its save call is in node {site.node}, which "
                    "did not run before the save; the session graph is damaged"
                )
            site_node = nodes[site.node]
            stmt = self.cache.statement(site_node.source)
            rewrite = (
                rewrite_saves(site_node.source, stmt, names, site=site, stop_name=artifact_name)
                if stmt
                else None
            )
            if rewrite is not None and rewrite.stops:
                walk.texts[site.node] = rewrite.text
                walk.stop_node = site.node
                walk.stop_name = artifact_name
            else:
                missing = (
                    "linea could not find the save call in the code that ran it, so this "
                    "code cannot stop where the value was ready"
                )
        if missing or keep_lineapy_save or site is None:
            walk.stop_node = None
            walk.stop_name = None
            walk.texts.clear()
            if keep_lineapy_save:
                walk.texts[save_id] = nodes[save_id].source
        if save_id not in walk.texts:
            walk.texts[save_id] = walk.text_of(nodes[save_id], self.cache, neutralise=True)
        walk.needed.setdefault(save_id, set())
        if walk.stop_node is not None and walk.stop_node != save_id:
            # The statement calls the function holding the save: kept whole, and the
            # definition is kept even if no edge names it (a function it calls calls it).
            walk.whole.add(save_id)
            walk.needed.setdefault(walk.stop_node, set())
        elif walk.stop_node is None:
            walk.whole.add(save_id)
        piece = self._finish(
            walk, root, artifact_name, names, None, start=save_id, value_source=None
        )
        kept = dict(piece.kept)
        variable: str | None = None
        if walk.stop_node is not None and site is not None:
            variable = value_variable(artifact_name)
            passing = self._pass_stop_through(kept)
            statement = kept[save_id]
            kept[save_id] = KeptNode(
                save_id,
                wrap_save_statement(statement.text, variable, site),
                statement.needed,
                False,
                statement.setup,
            )
            # the helper comes before the first kept code that calls it: a save site,
            # or a handler letting the stop through (one that runs before any save
            # site, in a loop the slice keeps for other reasons, still calls it)
            first = min(n for n in (walk.stop_node, *walk.other_stops, *passing) if n in kept)
            holder = kept[first]
            copied = runs_cleanup([piece.text for piece in kept.values()])
            kept[first] = KeptNode(
                holder.node_id,
                holder.text,
                holder.needed,
                holder.whole,
                (helper_code(site, copied=copied, passes=bool(passing)), *holder.setup),
            )
        if missing:
            return Slice(root, artifact_name, kept, variable, None, missing)
        return Slice(root, artifact_name, kept, variable, None, piece.missing, piece.missing_said)

    def _pass_stop_through(self, kept: dict[int, KeptNode]) -> list[int]:
        """Make the kept code's handlers that could catch the stop let it through (see
        :mod:`.save_sites`); the nodes whose handlers now do."""
        passing: list[int] = []
        for node_id, piece in list(kept.items()):
            if "except" not in piece.text:
                continue
            stmt = self.cache.statement(piece.text)
            text = pass_stop_through(piece.text, stmt) if stmt is not None else None
            if text is not None:
                kept[node_id] = KeptNode(node_id, text, piece.needed, False, piece.setup)
                passing.append(node_id)
        return passing

    def _finish(
        self,
        walk: _Walk,
        root: SliceRoot,
        artifact_name: str,
        names: LineaNames,
        value_loader_source: ValueLoaderSource | None,
        *,
        start: int,
        value_source: str | None,
    ) -> Slice:
        """Walk the nodes from ``start`` down, keeping what is needed."""
        if start == root.save_node and root.site is None and not root.missing:
            for edge in root.edges:
                walk.reach(edge, start + 1)
        loader = _normalise_loader(value_loader_source)
        nodes = self.graph.nodes
        for node_id in range(start, -1, -1):
            needed = walk.needed.get(node_id)
            if needed is None:
                continue
            node = nodes[node_id]
            reads = self._keep(walk, node, frozenset(needed), names, loader)
            walk.follow(node, reads)
        kept = dict(sorted(walk.kept.items()))
        _drop_unused_linea_imports(kept, nodes, names, self.cache)
        missing = _not_recreated(kept, nodes)
        return Slice(root, artifact_name, kept, value_source, None, missing, bool(missing))

    # -- per node -------------------------------------------------------------------

    def _keep(
        self,
        walk: _Walk,
        node: Node,
        needed: frozenset[str],
        names: LineaNames,
        loader: Callable[[str, int | None], LoaderCode | None] | None,
    ) -> frozenset[str] | None:
        """Record the code kept for ``node``; return the names it reads (None: all)."""
        kind = node.kind
        text = walk.text_of(node, self.cache)
        if kind is NodeKind.ARTIFACT_GET and loader is not None:
            stmt = self.cache.statement(text)
            rewritten = rewrite_value_loads(text, stmt, names, loader) if stmt else None
            if rewritten is not None:
                text, setup = rewritten
                walk.keep(node, needed, text, whole=False, setup=setup)
                tree = _parse_or_none(text)
                return loaded_names(tree) if tree is not None else None
        walk.kept[node.id] = KeptNode(node.id, text, needed, text == node.source)
        if kind is NodeKind.OPAQUE or kind is NodeKind.IMPORT or not may_be_prunable(text):
            if text != node.source:
                # Saves rewritten (a definition calling the stop): what it reads now.
                tree = _parse_or_none(text)
                return loaded_names(tree) if tree is not None else None
            if kind is not NodeKind.OPAQUE and ":=" in text:
                return self._without_unneeded_maybe_bound(node, text, needed)
            return None  # the common case: a simple statement, kept whole
        if node.id not in walk.whole:
            stops = node.id == walk.stop_node or node.id in walk.other_stops
            pruned = self._pruned(
                node, text, needed, nameless=node.id in walk.nameless and not stops, stops=stops
            )
            if pruned is not None:
                if pruned.text != text:
                    walk.keep(node, needed, pruned.text, whole=False)
                # Kept whole or not, only what the kept code reads (with the needed
                # names live after it) is followed: a loop reusing an earlier loop's
                # variable does not reach that loop through it.
                return frozenset(pruned.needs)
        return self._without_unneeded_maybe_bound(node, text, needed)

    def _without_unneeded_maybe_bound(
        self, node: Node, text: str, needed: frozenset[str]
    ) -> frozenset[str] | None:
        """What a statement kept whole reads: all its edges (None), except those that
        only hold the earlier value of a name it may leave alone and never reads.

        ``x = flag and (b := 10)`` may leave ``b`` as it was, so capture gives it an
        edge to ``b``'s earlier binding, which a later reader of ``b`` needs through it.
        When nothing after it needs ``b`` from it, that earlier binding is no part of
        what the statement computes: it does not read, change or pass on ``b``.
        """
        facts = self.cache.facts(text)
        if facts is None or facts.opaque_reason is not None:
            return None
        maybe = facts.binds - facts.certain_binds
        if not maybe:
            return None
        unneeded = maybe - needed - facts.reads - facts.body_reads - facts.mutates - facts.passes
        if not unneeded:
            return None
        vias = frozenset(name for edge in node.deps for name in edge.via)
        return vias - unneeded

    def _pruned(
        self, node: Node, text: str, needed: frozenset[str], *, nameless: bool, stops: bool
    ) -> Any:
        """The pruned form of a compound ``node`` (as ``text``), or None to keep it whole."""
        stmt = self.cache.statement(text)
        if stmt is None or not is_prunable(stmt):
            return None
        facts = self.cache.facts(text)
        if facts is not None and facts.reads_everything:
            return None  # a computed query string may read any name: kept whole
        keep_calls = needed  # an edge naming a function: calling it changed the object
        if stops:
            keep_calls = keep_calls | {STOP_FUNCTION}
        if nameless:
            # Reached for its external writes (or by an edge that names nothing).
            if not node.external_writes:
                return None
            user_names = frozenset(n for e in node.deps for n in e.via)
            needs = external_needs(stmt, user_names)
            if needs is None:
                return None
            needed = needed | needs.names
            keep_calls = keep_calls | needs.calls
        pruned = self._prune(
            stmt,
            LINE_BREAK.split(text),
            needed,
            may_mutate=self._immutability.may_mutate(node),
            keep_calls_to=keep_calls,
            consumed_by_iteration=self._immutability.may_be_iterator(node),
            same_object=_aliased_names(node),
            pure_call=self._purity.pure_call(node),
            touches=_touches(node),
        )
        return pruned

    def _linea_names(self, nodes: list[Node]) -> LineaNames:
        return find_linea_names(nodes, self.cache)


def _not_recreated(kept: dict[int, KeptNode], nodes: list[Node]) -> str:
    """Why the kept code cannot recreate the value: names from before tracing, if any."""
    names = [
        nodes[i].note[len(EARLIER_NAMES_NOTE) :]
        for i, piece in kept.items()
        if nodes[i].note.startswith(EARLIER_NAMES_NOTE) and piece.text.lstrip().startswith("#")
    ]
    if not names:
        return ""
    return (
        f"it needs {', '.join(names)}, defined before linea started tracing; define "
        "them in traced code (or restart and run everything with linea loaded)"
    )


def _drop_unused_linea_imports(
    kept: dict[int, KeptNode], nodes: list[Node], names: LineaNames, cache: StatementCache
) -> None:
    """Remove imports of linea that no kept code uses any more.

    A function that saved was reached through the import of linea its body reads;
    once its saves are rewritten out of the slice, the import may be dead. A name
    that still appears in any other kept text keeps the import (a cheap, safe test).
    """
    if any(nodes[i].kind is NodeKind.OPAQUE for i in kept):
        return  # code linea could not analyse may use any name (``exec``)
    for node_id in [i for i in kept if nodes[i].kind is NodeKind.IMPORT]:
        source = nodes[node_id].source
        if not any(module in source for module in ("linea_core", "lineapy")):
            continue
        stmt = cache.statement(source)
        if not isinstance(stmt, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(stmt, ast.Import):
            if not all(alias.name in names.modules for alias in stmt.names):
                continue
            bound = [alias.asname or alias.name for alias in stmt.names]
        else:
            if stmt.module not in names.modules or stmt.level:
                continue
            bound = [alias.asname or alias.name for alias in stmt.names]
        if "*" in bound:
            continue
        others = [kept[i].text for i in kept if i != node_id]
        if not any(name in text for name in bound for text in others):
            del kept[node_id]


def _aliased_names(node: Node) -> list[frozenset[str]]:
    """Groups of ``node``'s names that may hold one object when it starts.

    Two names of the statement reaching the same producer's work, when that
    producer spelled it differently (``b = a`` earlier, the loop reads ``a`` and
    ``b``), may be aliases. Grouping too much only keeps more code.
    """
    return [edge.via for edge in node.deps if len(edge.via) > 1 and edge.via != edge.names]


def _touches(node: Node) -> dict[str, set[str]]:
    """Names of ``node`` through which it reached other names' work.

    An edge whose ``via`` holds names it does not bind came through them: a user
    function reaching a global (``bump`` -> ``rate``), or another name for the same
    object (``active`` -> ``defaults``). Calling or passing such a name may touch those.
    """
    touches: dict[str, set[str]] = {}
    for edge in node.deps:
        if edge.via and edge.names:
            for name in edge.via - edge.names:
                touches.setdefault(name, set()).update(edge.names)
    return touches


def _uses(edge: Edge, reads: frozenset[str] | None) -> bool:
    """Whether code reading ``reads`` (None: everything) still uses ``edge``."""
    return reads is None or not edge.via or not edge.via.isdisjoint(reads)


def _root_variable(root: SliceRoot) -> str | None:
    """The variable a root reached its value through (``save(x, ...)`` -> ``x``)."""
    for edge in root.edges:
        if len(edge.via) == 1 and edge.via == edge.names:
            return next(iter(edge.via))
    for edge in root.edges:
        if edge.via:
            return min(edge.via)
    return None


def _parse_or_none(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except SyntaxError:
        return None


def _normalise_loader(
    source: ValueLoaderSource | None,
) -> Callable[[str, int | None], LoaderCode | None] | None:
    if source is None:
        return None

    def load(name: str, version: int | None) -> LoaderCode | None:
        code = source(name, version)
        if code is None or isinstance(code, LoaderCode):
            return code
        return LoaderCode(code)

    return load


class _Walk:
    """Mutable state of one closure: what is needed from which node, and what is kept."""

    def __init__(self, nodes: list[Node], save_id: int, names: LineaNames) -> None:
        self.nodes = nodes
        self.save_id = save_id
        self.names = names
        # Node id -> its text with save calls rewritten (the stop at the artifact's
        # save site, other saves removed): a slice never saves anything.
        self.texts: dict[int, str] = {}
        self.stop_node: int | None = None
        # The artifact whose every nested save call is a stop (see .save_sites), and
        # the nodes other than ``stop_node`` whose text holds such a stop.
        self.stop_name: str | None = None
        self.other_stops: set[int] = set()
        self.needed: dict[int, set[str]] = {}
        self.whole: set[int] = set()  # kept whole: on a line with another kept statement
        self.nameless: set[int] = set()  # reached by an edge that names nothing
        self.kept: dict[int, KeptNode] = {}

    def keep(
        self,
        node: Node,
        needed: frozenset[str],
        text: str,
        *,
        whole: bool,
        setup: tuple[str, ...] = (),
    ) -> None:
        self.kept[node.id] = KeptNode(node.id, text, needed, whole, setup)

    def text_of(self, node: Node, cache: StatementCache, *, neutralise: bool = False) -> str:
        """The text the slice runs for ``node``: its source with saves rewritten.

        The save statement of a top-level save is handled by the slicer itself (it is
        dropped, or kept verbatim on request), unless ``neutralise`` says otherwise.
        """
        text = self.texts.get(node.id)
        if text is not None:
            return text
        source = node.source
        if node.note.startswith(ARTIFACT_READS_NOTE):
            stmt = cache.statement(source)
            versions = artifact_reads(node.note)
            pinned = pin_artifact_versions(source, stmt, self.names, versions) if stmt else None
            if pinned is not None:
                source = pinned
        if not has_save_calls(source) or (node.id == self.save_id and not neutralise):
            return source
        if node.kind is NodeKind.ARTIFACT_SAVE and not may_be_prunable(source) and not neutralise:
            # ``art = lineapy.save(x, "x")`` kept because ``art`` is used later: the
            # artifact object it binds has no stand-in, so it stays as written.
            return source
        stmt = cache.statement(source)
        rewrite = (
            rewrite_saves(source, stmt, self.names, stop_name=self.stop_name)
            if stmt is not None
            else None
        )
        if rewrite is None:
            return source
        if rewrite.stops:
            self.other_stops.add(node.id)
        return rewrite.text

    def follow(self, node: Node, reads: frozenset[str] | None) -> None:
        """Follow ``node``'s edges that its kept code still uses (``reads`` None: all)."""
        for edge in node.deps:
            if _uses(edge, reads):
                self.reach(edge, node.id)

    def reach(self, edge: Edge, consumer: int) -> None:
        producer = edge.producer
        if not 0 <= producer < consumer:
            raise SlicingError(
                f"node {consumer} depends on node {producer}, which did not run before it; "
                "the session graph is damaged"
            )
        linea = edge.names & self.names.modules
        if linea and self.nodes[producer].kind is not NodeKind.IMPORT:
            # linea's module is "changed" by a save (its API loads lazily): that is no
            # history a slice needs, only the import binding the name is.
            if edge.names <= linea:
                return
            edge = Edge(producer, edge.names - linea, edge.via)
        needed = self.needed.get(producer)
        if needed is None:
            self.needed[producer] = needed = set()
            nodes = self.nodes
            node = nodes[producer]
            if (producer > 0 and share_a_line(nodes[producer - 1], node)) or (
                producer + 1 < self.save_id and share_a_line(node, nodes[producer + 1])
            ):
                self._reach_line_siblings(producer)
        if edge.names:
            needed.update(edge.names)
        else:
            self.nameless.add(producer)

    def _reach_line_siblings(self, node_id: int) -> None:
        """Statements on the same physical line as a kept one are kept with it.

        Siblings after ``node_id`` are either still ahead of the walk or were marked
        together with the consumer that reached ``node_id`` (a line's statements
        have consecutive ids), so the decreasing-id order stays valid.
        """
        nodes = self.nodes
        low = node_id
        while low > 0 and share_a_line(nodes[low - 1], nodes[low]):
            low -= 1
        high = node_id
        while high + 1 < self.save_id and share_a_line(nodes[high], nodes[high + 1]):
            high += 1
        for sibling in range(low, high + 1):
            if nodes[sibling].kind is NodeKind.ARTIFACT_SAVE:
                continue  # running a slice must not save other artifacts again
            if sibling != node_id and sibling not in self.needed:
                self.needed[sibling] = set()
                self.whole.add(sibling)
