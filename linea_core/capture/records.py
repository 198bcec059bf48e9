"""Per-statement records: what is known about a statement before, while and after it runs.

:class:`StaticInfo` is what its text says (cached per source text by the session);
:class:`StatementRun` is the statement being executed, the record ``save()`` reads while
the statement runs and that becomes the graph node; :class:`StatementPlan` is what
preparing it found out, used again once it has run. Plain data: no module here runs
user code or looks at a namespace.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from linea_core.capture.calls import ResolvedCall
from linea_core.capture.fingerprint import Snapshot
from linea_core.graph.model import Edge, ExternalState, Node, NodeKind, artifact_reads_note
from linea_core.graph.name_sets import NameSets
from linea_core.syntax.facts import CallSite, StatementFacts

#: Stands for "no value" where ``None`` is a value (an unbound name, an unknown result).
MISSING: Any = object()

#: What most statements write outside Python: nothing (one shared empty set).
_NO_WRITES: frozenset[ExternalState] = frozenset()


def _own_edge(producer: int, names: Iterable[str], via: Iterable[str]) -> Edge:
    return Edge(producer, frozenset(names), frozenset(via))


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
    imported: tuple[str, ...] = ()  # dotted module names an import statement loads
    # Names the statement changes only by storing into their own items (``x[k] = v``):
    # for a plain dict or list that changes no object the container holds.
    slot_stores: frozenset[str] = frozenset()
    # Names of functions the statement certainly calls (see ``_direct_calls``).
    direct_calls: frozenset[str] = frozenset()
    # ``def f(): global g; g = ...``: globals every normal return of ``f`` has rebound.
    certain_body_binds: frozenset[str] = frozenset()
    # ``from MODULE import *``: the module; what it binds is learned when it has run.
    star_module: str | None = None


#: The static info of a statement that is not real code (used to compute edges of names).
NO_STATEMENT = StaticInfo(None, frozenset(), frozenset())


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
    artifact_reads: list[tuple[str, int]] = field(default_factory=list)  # lineapy.get(...)

    def add_edge(self, producer: int, names: Iterable[str], via: Iterable[str]) -> None:
        if producer < 0 or producer >= self.node_id:
            return
        known = self.edges.get(producer)
        if known is None:
            self.edges[producer] = (set(names), set(via))
        else:
            known[0].update(names)
            known[1].update(via)

    def node(self, note: str = "", *, sets: NameSets | None = None) -> Node:
        """The statement's node; ``sets`` shares equal edges and name sets across the
        session (see :mod:`linea_core.graph.name_sets`)."""
        edge = sets.edge if sets is not None else _own_edge
        deps = tuple(
            edge(producer, names, via) for producer, (names, via) in sorted(self.edges.items())
        )
        kind = NodeKind.OPAQUE if self.opaque is not None else self.kind
        if not note and self.opaque is None and self.artifact_reads:
            note = artifact_reads_note(self.artifact_reads)
        return Node(
            id=self.node_id,
            block=self.block,
            lineno=self.lineno,
            end_lineno=self.end_lineno,
            source=self.source,
            kind=kind,
            deps=deps,
            external_writes=frozenset(self.writes) if self.writes else _NO_WRITES,
            note=note or (self.opaque or ""),
        )


def shared_static_info(info: StaticInfo, sets: NameSets) -> StaticInfo:
    """``info`` with its name sets (its own and its facts') taken from ``sets``: the
    session keeps thousands of these, and equal sets need not be separate objects."""
    facts = info.facts
    if facts is not None:
        facts = replace(
            facts,
            reads=sets(facts.reads),
            binds=sets(facts.binds),
            certain_binds=sets(facts.certain_binds),
            deletes=sets(facts.deletes),
            mutates=sets(facts.mutates),
            passes=sets(facts.passes),
            body_reads=sets(facts.body_reads),
            body_binds=sets(facts.body_binds),
            call_roots=sets(facts.call_roots),
        )
    return replace(
        info,
        facts=facts,
        certain_binds=sets(info.certain_binds),
        save_names=sets(info.save_names),
    )


def scratch_run(node_id: int) -> StatementRun:
    """A run that is no statement: collects the edges of names as of node ``node_id``."""
    return StatementRun(node_id, -1, 0, 0, "", NO_STATEMENT)


@dataclass
class Watched:
    """An object fingerprinted before the statement (and after it, once it ran)."""

    value: Any
    names: set[str]
    before: Snapshot
    after: Snapshot | None = None


class StatementPlan:
    """What preparing a statement found out, used again once it has run."""

    __slots__ = (
        "facts",
        "info",
        "linea",
        "resolved",
        "unresolved",
        "tokens",
        "input_calls",
        "fingerprint",
        "snapshots",
        "reach_binds",
        "reach_stores",
        "reached_globals",
        "candidates",
        "before",
        "new_submodules",
        "proved",
        "vetting",
    )

    def __init__(self, facts: StatementFacts, info: StaticInfo) -> None:
        self.facts = facts
        self.info = info
        self.linea: set[str] = set()
        self.resolved: list[ResolvedCall] = []
        # calls whose callable could not be found before the statement ran (numpy's
        # submodules appear on first use): looked up again once it has run
        self.unresolved: list[CallSite] = []
        self.tokens: dict[str, object] = {}  # hidden library state before it ran
        self.input_calls = 0  # ``input()`` calls seen before it ran
        self.fingerprint = False
        self.snapshots: dict[int, Watched] = {}
        self.reach_binds: set[str] = set()
        self.reach_stores: set[str] = set()
        self.reached_globals: set[str] = set()
        self.candidates: set[str] = set()
        self.before: dict[str, Any] = {}
        # ``package.submodule`` links an import statement is about to create
        self.new_submodules: tuple[str, ...] = ()
        # Big roots not fingerprinted: proved unchanged instead (see capture.readonly);
        # id -> (value, names, digest-free walk).
        self.proved: dict[int, tuple[Any, set[str], Snapshot]] = {}
        self.vetting: Any = None  # the readonly.Vetting hook for the run, if any


def static_info(stmt: ast.stmt) -> StaticInfo:
    """Analyse a statement once (the session caches the result per source text)."""
    from linea_core.syntax import analyse

    try:
        facts = analyse(stmt)
    except Exception as exc:  # a construct the analyser does not know: run opaque
        return StaticInfo(None, frozenset(), frozenset(), f"linea could not analyse it ({exc!r})")
    targets, is_tuple = _result_targets(stmt)
    star = _star_module(stmt)
    if star is not None:
        # The only thing the analyser cannot follow in it is which names it binds,
        # and capture learns those from the module once it has run.
        facts = replace(facts, opaque_reason=None)
    return StaticInfo(
        facts,
        _certain_binds(stmt),
        _save_argument_names(facts),
        result_targets=targets,
        result_is_tuple=is_tuple,
        has_calls=facts.has_calls,
        imported=_imported_modules(stmt),
        slot_stores=_slot_stores(stmt, facts.mutates) if facts.mutates else frozenset(),
        direct_calls=_direct_calls(stmt) - facts.binds if facts.has_calls else frozenset(),
        certain_body_binds=_certain_global_binds(stmt) if facts.body_binds else frozenset(),
        star_module=star,
    )


def _star_module(stmt: ast.stmt) -> str | None:
    """``from a.b import *`` -> ``"a.b"`` (absolute imports only)."""
    if (
        isinstance(stmt, ast.ImportFrom)
        and not stmt.level
        and stmt.module
        and any(alias.name == "*" for alias in stmt.names)
    ):
        return stmt.module
    return None


def _slot_stores(stmt: ast.stmt, mutates: frozenset[str]) -> frozenset[str]:
    """The names of ``mutates`` that every explicit change in ``stmt`` reaches only as
    ``name[key] = value``: an item store that is a whole target of an assignment.

    Storing an item replaces what the container holds there and changes nothing the
    container holds (``x["y"] = y`` leaves ``y`` alone). ``x["y"]["a"] = 1``, ``x[k] +=
    v`` (an in-place operator on the item), ``x.a = v`` and ``del x[k]`` may change a
    held object, and slice stores and unpacking iterate their value: a name changed in
    any of those ways anywhere in the statement is left out.
    """
    stores: set[str] = set()
    for node in ast.walk(stmt):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Name)
                    and not isinstance(target.slice, ast.Slice)
                ):
                    stores.add(target.value.id)
    if not stores:
        return frozenset()
    direct = {
        id(target)
        for node in ast.walk(stmt)
        if isinstance(node, (ast.Assign, ast.AnnAssign))
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
    }
    others: set[str] = set()
    for node in ast.walk(stmt):
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            others.add(node.target.id)
        elif isinstance(node, (ast.Subscript, ast.Attribute)) and not isinstance(
            node.ctx, ast.Load
        ):
            if id(node) not in direct or not isinstance(node, ast.Subscript):
                others.update(_names_in(node.value))
            elif not isinstance(node.value, ast.Name) or isinstance(node.slice, ast.Slice):
                others.update(_names_in(node.value))
    return frozenset((stores - others) & mutates)


def _direct_calls(stmt: ast.stmt) -> frozenset[str]:
    """Names ``f`` of calls ``f(...)`` a simple statement makes whenever it completes.

    Only operands that always run count: not the right side of ``and``/``or``, the
    branches of ``x if c else y``, later links of a comparison chain, nor anything in a
    lambda or comprehension.
    """
    if isinstance(stmt, (ast.Expr, ast.Assign, ast.AugAssign)):
        expr: ast.expr | None = stmt.value
    elif isinstance(stmt, ast.AnnAssign):
        expr = stmt.value
    else:
        return frozenset()
    found: set[str] = set()
    stack = [expr] if expr is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                found.add(node.func.id)
            else:
                stack.append(node.func)
            stack.extend(node.args)
            stack.extend(keyword.value for keyword in node.keywords)
        elif isinstance(node, ast.BinOp):
            stack += [node.left, node.right]
        elif isinstance(node, ast.UnaryOp):
            stack.append(node.operand)
        elif isinstance(node, (ast.Attribute, ast.Starred)):
            stack.append(node.value)
        elif isinstance(node, ast.Subscript):
            stack += [node.value, node.slice]
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            stack.extend(node.elts)
        elif isinstance(node, ast.Dict):
            stack.extend(key for key in node.keys if key is not None)
            stack.extend(node.values)
        elif isinstance(node, ast.Compare):
            stack += [node.left, node.comparators[0]]
        elif isinstance(node, ast.BoolOp):
            stack.append(node.values[0])
        elif isinstance(node, ast.IfExp):
            stack.append(node.test)
    return frozenset(found)


def _certain_global_binds(stmt: ast.stmt) -> frozenset[str]:
    """Globals an undecorated ``def`` rebinds on every path that returns normally.

    Its body's top-level assignments to names it declares ``global`` count, up to the
    first statement that may ``return`` (a generator never runs its body when called,
    which capture checks on the code object). A name it also deletes does not count.
    """
    if not isinstance(stmt, ast.FunctionDef) or stmt.decorator_list:
        return frozenset()
    declared: set[str] = set()
    deleted: set[str] = set()
    for node in _own_scope(stmt.body):
        if isinstance(node, ast.Global):
            declared.update(node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Del):
            deleted.add(node.id)
    certain: set[str] = set()
    for child in stmt.body:
        targets: list[ast.expr] = []
        if isinstance(child, ast.Assign):
            targets = list(child.targets)
        elif isinstance(child, (ast.AnnAssign, ast.AugAssign)) and child.value is not None:
            targets = [child.target]
        for target in targets:
            certain.update(_target_name_set(target) & declared)
        if any(isinstance(node, ast.Return) for node in _own_scope([child])):
            break
    return frozenset(certain - deleted)


def _own_scope(stmts: list[ast.stmt]) -> Iterable[ast.AST]:
    """Every node of ``stmts`` outside nested functions, lambdas and classes."""
    stack: list[ast.AST] = list(stmts)
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
            ):
                stack.append(child)


def _target_name_set(target: ast.expr) -> set[str]:
    names: set[str] = set()
    _target_names(target, names)
    return names


def _names_in(node: ast.expr) -> set[str]:
    return {sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name)}


def _imported_modules(stmt: ast.stmt) -> tuple[str, ...]:
    """Dotted names of the modules (and maybe submodules) an import statement loads."""
    if isinstance(stmt, ast.Import):
        return tuple(alias.name for alias in stmt.names if "." in alias.name)
    if isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
        if any(alias.name == "*" for alias in stmt.names):
            return (stmt.module,) if "." in stmt.module else ()
        return tuple(f"{stmt.module}.{alias.name}" for alias in stmt.names)
    return ()


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
