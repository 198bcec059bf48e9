"""Which names provably hold immutable built-in values (ints, strings, tuples of them...).

Pruning a loop for ``total`` keeps ``total += i``, which makes ``i`` needed; a
``print(i)`` in the same body passes ``i`` to a call, and a call can mutate what it
is given, unless ``i`` is an int. Nothing at slicing time has run-time types, so the
proof is static and deliberately narrow: a value is immutable when it is built only
from literals, names already proven immutable, operators, f-strings and a few
built-ins that always return immutable results (``len``, ``int``, ``range``...), or
when it is a loop variable over something whose elements are immutable (``range``,
a string, an immutable tuple, a list literal of constants). Names read from earlier
statements are resolved through the graph's dependency edges to the statement that
bound them. Anything not proven is treated as mutable, so the only cost of a missed
proof is a larger slice, never a wrong one.

The same machinery proves a weaker property, *plain data*: the value is a built-in
container or immutable (a list, a dict, an int...), hence never an iterator or a
callable. Iterating plain data, or passing it to ``sum``/``sorted``, consumes nothing
and runs no user code. Mutating a value never changes its type, so statements that
only mutate a name (``rows.append(r)``) do not spoil that proof.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from linea_core.graph.model import Node, NodeKind
from linea_core.slicing.statements import StatementCache, names_rebound_by_functions
from linea_core.syntax import is_compound

#: Built-ins whose result is an immutable built-in value whatever their arguments
#: (not ``abs``/``round``: on a numpy array they return an array).
_IMMUTABLE_RESULT = frozenset(
    {
        "ascii", "bin", "bool", "callable", "chr", "complex", "float", "format", "hash",
        "hex", "id", "int", "isinstance", "issubclass", "len", "oct", "ord", "range",
        "repr", "str",
    }
)  # fmt: skip

#: Built-ins whose iteration yields immutable elements whatever their arguments.
_IMMUTABLE_ELEMENTS = frozenset({"range"})

_MAX_DEPTH = 64  # graph hops followed to prove one value; beyond that: "mutable"

IsImmutable = Callable[[str], bool]


class ImmutabilityOracle:
    """Answers "may a call mutate / may iterating consume what ``name`` holds here?".

    One oracle serves one graph; its proofs are cached per node, so slicing a long
    session proves each binding once.
    """

    def __init__(self, nodes: list[Node], cache: StatementCache) -> None:
        self._immutable = _Prover(nodes, cache, _Context, survives_mutation=False)
        self._plain: _Prover | None = None
        self._nodes = nodes
        self._cache = cache

    def may_mutate(self, node: Node) -> Callable[[str], bool]:
        """``may_mutate(name)`` for pruning the compound statement ``node``."""
        immutable = self._immutable.compound(node, 0)
        return lambda name: name not in immutable

    def may_be_iterator(self, node: Node) -> Callable[[str], bool]:
        """``may_be_iterator(name)`` (or a callable) for pruning the compound ``node``.

        False only for names proven to hold immutable values or built-in containers.
        """
        if self._plain is None:
            self._plain = _Prover(self._nodes, self._cache, _PlainContext, survives_mutation=True)
        immutable = self._immutable.compound(node, 0)
        plain = self._plain.compound(node, 0)
        return lambda name: name not in immutable and name not in plain


class _Prover:
    """Proves one property of values (see :class:`_Context` and its subclasses).

    ``survives_mutation`` says whether a statement that only changes a name's value
    (``xs.append(1)``) keeps the property (plain data: yes; immutability: a mutated
    value is mutable). Names the session's functions may rebind behind a statement's
    back (``global``) are never proven.
    """

    def __init__(
        self,
        nodes: list[Node],
        cache: StatementCache,
        context_type: type[_Context],
        *,
        survives_mutation: bool,
    ) -> None:
        self._nodes = nodes
        self._cache = cache
        self._context_type = context_type
        self._survives_mutation = survives_mutation
        self._hidden: frozenset[str] | None = None
        self._bound: dict[tuple[int, str], bool] = {}
        self._elements: dict[tuple[int, str], bool] = {}
        self._compound: dict[int, frozenset[str]] = {}

    def compound(self, node: Node, depth: int) -> frozenset[str]:
        return self._compound_immutables(node, depth)

    def _context(self, node: Node, depth: int) -> _Context:
        return self._context_type(
            lambda n: self._entry(node, n, depth),
            lambda n: self._entry_elements(node, n, depth),
            lambda n: self._shadowed(node, n),
        )

    # -- values flowing in from earlier statements ----------------------------------

    def _entry(self, node: Node, name: str, depth: int) -> bool:
        """Whether every value of ``name`` that ``node`` can read from before it has
        the property."""
        edges = [e for e in node.deps if name in e.via]
        if not edges or self._rebound_in_hiding(name):
            return False
        if not self._survives_mutation:
            return all(
                name in e.names and self._binds_immutable(self._nodes[e.producer], name, depth + 1)
                for e in edges
            )
        proven = False
        for e in edges:
            producer = self._nodes[e.producer]
            if self._may_bind(producer, name):
                if name not in e.names or not self._binds_immutable(producer, name, depth + 1):
                    return False
                proven = True
        return proven

    def _rebound_in_hiding(self, name: str) -> bool:
        hidden = self._hidden
        if hidden is None:
            hidden = self._hidden = names_rebound_by_functions(self._nodes, self._cache)
        return name in hidden or "*" in hidden

    def _may_bind(self, node: Node, name: str) -> bool:
        """Whether ``node`` may have bound ``name`` (rather than only changed its value)."""
        if node.kind is not NodeKind.STATEMENT:
            return True
        facts = self._cache.facts(node.source)
        return facts is None or name in facts.binds or name in facts.deletes

    def _entry_elements(self, node: Node, name: str, depth: int) -> bool:
        """Whether iterating what ``name`` holds on entry to ``node`` yields immutables."""
        edges = [e for e in node.deps if name in e.via]
        if len(edges) != 1 or name not in edges[0].names:
            return False  # several producers: one of them may have added a mutable element
        return self._binds_immutable_elements(self._nodes[edges[0].producer], name, depth + 1)

    def _shadowed(self, node: Node, name: str) -> bool:
        """Whether ``name`` read by ``node`` is a user binding rather than the built-in."""
        return any(name in e.via for e in node.deps)

    def _binds_immutable(self, node: Node, name: str, depth: int) -> bool:
        key = (node.id, name)
        found = self._bound.get(key)
        if found is None:
            found = self._bound[key] = depth <= _MAX_DEPTH and self._prove_bound(node, name, depth)
        return found

    def _binds_immutable_elements(self, node: Node, name: str, depth: int) -> bool:
        key = (node.id, name)
        found = self._elements.get(key)
        if found is None:
            found = self._elements[key] = depth <= _MAX_DEPTH and self._prove_elements(
                node, name, depth
            )
        return found

    def _prove_bound(self, node: Node, name: str, depth: int) -> bool:
        stmt = self._statement(node)
        if stmt is None:
            return False
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            value = _assigned_value(stmt, name)
            if value is None:
                return False
            context = self._context(node, depth)
            if isinstance(stmt, ast.AugAssign):
                return context.augmented(name, value)
            return context.expression(value)
        if is_compound(stmt):
            return name in self._compound_immutables(node, depth)
        return False

    def _prove_elements(self, node: Node, name: str, depth: int) -> bool:
        stmt = self._statement(node)
        if not isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            return False
        value = _assigned_value(stmt, name)
        if value is None:
            return False
        return self._context(node, depth).elements(value)

    def _statement(self, node: Node) -> ast.stmt | None:
        if node.kind is not NodeKind.STATEMENT:
            return None  # imports, linea calls and opaque code bind nothing provable
        return self._cache.statement(node.source)

    # -- inside one compound statement ----------------------------------------------

    def _compound_immutables(self, node: Node, depth: int) -> frozenset[str]:
        """Names whose every value while ``node`` runs is provably immutable.

        Optimistic fixpoint: assume every candidate immutable, then drop any name
        with a binding site (or entry value) that is not provably immutable under
        the current assumptions, until nothing changes.
        """
        found = self._compound.get(node.id)
        if found is not None:
            return found
        self._compound[node.id] = frozenset()  # cycles through the graph cannot occur; be safe
        stmt = self._statement(node)
        if stmt is None or depth > _MAX_DEPTH:
            return frozenset()
        sites = _binding_sites(stmt)
        bound_inside = {site.name for site in sites}
        loaded = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
        entry_has_edges = {n for n in loaded | bound_inside if any(n in e.via for e in node.deps)}
        candidates = {
            n
            for n in loaded | bound_inside
            if (n in entry_has_edges and self._entry(node, n, depth))
            or (n not in entry_has_edges and n in bound_inside)
        }
        candidates -= _unprovable_names(stmt)
        candidates = {n for n in candidates if not self._rebound_in_hiding(n)}

        def elements(n: str) -> bool:
            return n not in bound_inside and self._entry_elements(node, n, depth)

        while True:
            current = frozenset(candidates)
            context = self._context_type(
                current.__contains__, elements, lambda n: n in entry_has_edges or n in bound_inside
            )
            for site in sites:
                if site.name in candidates and not site.holds(context):
                    candidates.discard(site.name)
            if candidates == current:
                break
        result = frozenset(candidates)
        self._compound[node.id] = result
        return result


class _Context:
    """Decides immutability of expressions given what is known about names.

    ``is_immutable(name)`` / ``has_immutable_elements(name)`` answer for names with
    whatever property the context proves (subclasses prove other properties).
    """

    def __init__(
        self, is_immutable: IsImmutable, has_immutable_elements: IsImmutable, shadowed: IsImmutable
    ) -> None:
        self.is_immutable = is_immutable
        self.has_immutable_elements = has_immutable_elements
        self.shadowed = shadowed

    def expression(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.Name):
            return self.is_immutable(node.id)
        if isinstance(node, ast.Tuple):
            return all(self.expression(e) for e in node.elts)
        if isinstance(node, ast.BinOp):
            return self.expression(node.left) and self.expression(node.right)
        if isinstance(node, ast.UnaryOp):
            return self.expression(node.operand)
        if isinstance(node, ast.BoolOp):
            return all(self.expression(v) for v in node.values)
        if isinstance(node, ast.Compare):
            return self.expression(node.left) and all(self.expression(c) for c in node.comparators)
        if isinstance(node, ast.IfExp):
            return self.expression(node.body) and self.expression(node.orelse)
        if isinstance(node, ast.JoinedStr):
            return True
        if isinstance(node, ast.Call):
            return (
                isinstance(node.func, ast.Name)
                and node.func.id in _IMMUTABLE_RESULT
                and not self.shadowed(node.func.id)
            )
        return False

    def augmented(self, name: str, value: ast.expr) -> bool:
        """``name op= value``: the result of an in-place operator on the old value."""
        return self.is_immutable(name) and self.expression(value)

    def elements(self, node: ast.expr) -> bool:
        """Whether iterating ``node``'s value yields only immutable values."""
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return all(self.expression(e) for e in node.elts)
        if isinstance(node, ast.Constant):
            return isinstance(node.value, (str, bytes))
        if isinstance(node, ast.JoinedStr):
            return True
        if isinstance(node, ast.Name):
            return self.is_immutable(node.id) or self.has_immutable_elements(node.id)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            if self.shadowed(name):
                return False
            if name in _IMMUTABLE_ELEMENTS:
                return True
            if name in {"sorted", "reversed", "list", "tuple", "set", "frozenset"}:
                return len(node.args) == 1 and self.elements(node.args[0])
        return False


#: Built-ins whose result is a built-in container whatever their arguments.
_CONTAINER_RESULT = frozenset(
    {"bytearray", "bytes", "dict", "frozenset", "list", "set", "sorted", "tuple"}
)

#: Built-ins whose iteration yields tuples (plain data) whatever their arguments.
_TUPLE_ELEMENTS = frozenset({"enumerate", "zip"})


class _PlainContext(_Context):
    """Decides whether expressions are *plain data*: immutable or a built-in container.

    Such a value is never an iterator and never callable. Operators on plain values
    give plain values (``[1] + xs``, ``a | b`` on sets), or raise.
    """

    def expression(self, node: ast.expr) -> bool:
        if isinstance(
            node,
            (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.ListComp, ast.SetComp, ast.DictComp),
        ):
            return True
        if isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Name)
                and func.id in _CONTAINER_RESULT
                and not self.shadowed(func.id)
            ):
                return True
        return super().expression(node)

    def augmented(self, name: str, value: ast.expr) -> bool:
        # ``xs += ys`` extends a list in place: it stays a list when both are plain.
        return self.is_immutable(name) and self.expression(value)

    def elements(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return self.has_immutable_elements(node.id)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            if name in _TUPLE_ELEMENTS and not self.shadowed(name):
                return True
        return super().elements(node)


class _Site:
    """One place where a compound statement binds ``name``."""

    __slots__ = ("name", "kind", "value", "index")

    def __init__(self, name: str, kind: str, value: ast.expr | None, index: int | None = None):
        self.name = name
        self.kind = kind  # "value", "element", "enumerate", "unknown"
        self.value = value
        self.index = index

    def holds(self, context: _Context) -> bool:
        if self.kind == "value" and self.value is not None:
            return context.expression(self.value)
        if self.kind == "element" and self.value is not None:
            return context.elements(self.value)
        if self.kind == "enumerate":
            return self.index == 0 or (self.value is not None and context.elements(self.value))
        return False


def _binding_sites(stmt: ast.stmt) -> list[_Site]:
    sites: list[_Site] = []
    for node in _walk_scope(stmt):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                sites.extend(_target_sites(target, node.value))
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                sites.extend(_target_sites(node.target, node.value))
        elif isinstance(node, ast.AugAssign):
            if isinstance(node.target, ast.Name):
                sites.append(_Site(node.target.id, "value", node.value))
        elif isinstance(node, ast.NamedExpr):
            sites.append(_Site(node.target.id, "value", node.value))
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            sites.extend(_loop_sites(node.target, node.iter))
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            sites.extend(_unknown_sites(node.optional_vars))
        elif isinstance(node, ast.ExceptHandler) and node.name:
            sites.append(_Site(node.name, "unknown", None))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                sites.append(_Site((alias.asname or alias.name).split(".")[0], "unknown", None))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            sites.append(_Site(node.name, "unknown", None))
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            sites.append(_Site(node.name, "unknown", None))
        elif isinstance(node, ast.MatchMapping) and node.rest:
            sites.append(_Site(node.rest, "unknown", None))
    return sites


def _target_sites(target: ast.expr, value: ast.expr) -> list[_Site]:
    if isinstance(target, ast.Name):
        return [_Site(target.id, "value", value)]
    if isinstance(target, (ast.Tuple, ast.List)):
        if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts):
            if not any(isinstance(e, ast.Starred) for e in (*target.elts, *value.elts)):
                out: list[_Site] = []
                for t, v in zip(target.elts, value.elts, strict=True):
                    out.extend(_target_sites(t, v))
                return out
        return _unknown_sites(target)
    return []  # attribute / subscript targets bind no name


def _loop_sites(target: ast.expr, iterable: ast.expr) -> list[_Site]:
    if isinstance(target, ast.Name):
        return [_Site(target.id, "element", iterable)]
    if (
        isinstance(target, ast.Tuple)
        and len(target.elts) == 2
        and isinstance(iterable, ast.Call)
        and isinstance(iterable.func, ast.Name)
        and iterable.func.id == "enumerate"
        and iterable.args
    ):
        sites: list[_Site] = []
        for index, element in enumerate(target.elts):
            if isinstance(element, ast.Name):
                sites.append(_Site(element.id, "enumerate", iterable.args[0], index))
            else:
                sites.extend(_unknown_sites(element))
        return sites
    return _unknown_sites(target)


def _unknown_sites(target: ast.expr) -> list[_Site]:
    return [
        _Site(n.id, "unknown", None)
        for n in ast.walk(target)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    ]


def _unprovable_names(stmt: ast.stmt) -> set[str]:
    """Names bound in ways this module does not model (``global`` in nested code, ``del``,
    walrus targets, which may sit inside comprehensions)."""
    names: set[str] = set()
    for node in ast.walk(stmt):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, ast.Delete):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.NamedExpr):
            names.add(node.target.id)  # may sit in a comprehension, out of _walk_scope's sight
    return names


def _walk_scope(stmt: ast.stmt) -> Iterator[ast.AST]:
    """``ast.walk`` that does not enter nested function, class, lambda or comprehension scopes."""
    stack: list[ast.AST] = [stmt]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(
                child,
                (
                    ast.FunctionDef,
                    ast.AsyncFunctionDef,
                    ast.ClassDef,
                    ast.Lambda,
                    ast.ListComp,
                    ast.SetComp,
                    ast.DictComp,
                    ast.GeneratorExp,
                ),
            ):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    yield child  # the name it binds belongs to this scope
                continue
            stack.append(child)


def _assigned_value(stmt: ast.Assign | ast.AnnAssign | ast.AugAssign, name: str) -> ast.expr | None:
    """The expression a simple statement binds ``name`` to, if it binds it plainly."""
    if isinstance(stmt, ast.AugAssign):
        if isinstance(stmt.target, ast.Name) and stmt.target.id == name:
            return stmt.value
        return None
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
    if stmt.value is None:
        return None
    for target in targets:
        for site in _target_sites(target, stmt.value):
            if site.name == name and site.kind == "value":
                return site.value
    return None
