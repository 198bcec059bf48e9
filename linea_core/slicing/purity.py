"""Which calls of Python built-ins inside a compound statement change nothing they are given.

Pruning a loop for ``running`` meets ``print("so far:", running)``: a call receiving
``running`` could change it, unless the callee is the built-in ``print``, which the
annotation packs declare pure. The answer has to come from the graph and the packs
alone, since slicing also runs on graphs loaded from the store in another process:

* the callee name must be the built-in when the statement runs: no earlier statement
  bound it (the statement would have a dependency edge through that name), the
  statement itself does not bind it, and no function of the session rebinds it
  through ``global``;
* the packs must declare that call pure, asked through
  :meth:`AnnotationIndex.effects_for` with the call's literal arguments and
  placeholders for the others, so keyword conditions apply (``print(x, file=fh)``
  writes to ``fh``).

Like capture, slicing trusts a pack's "pure" (``print`` does not change the objects it
prints); the built-ins that iterate or call their arguments are handled by
:mod:`linea_core.syntax.builtin_calls`.
"""

from __future__ import annotations

import ast
import builtins
import warnings
from collections.abc import Callable
from typing import Any

from linea_core.graph.model import Node
from linea_core.slicing.statements import StatementCache, names_rebound_by_functions
from linea_core.syntax.builtin_calls import BUILTINS

#: Supplies the annotation index (None: packs unavailable, assume nothing is pure).
IndexSource = Callable[[], Any]


class _Placeholder:
    """Stands for an argument whose value is not known at slicing time."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<argument>"


_UNKNOWN = _Placeholder()


def index_from_context() -> Any:
    """The annotation index of the current linea context's packs, or None.

    Pack problems were already reported when the session was traced; here they only
    mean fewer calls are known to be pure.
    """
    try:
        from linea_core.annotations import AnnotationIndex
        from linea_core.context import current_context

        context = current_context()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return AnnotationIndex.from_packs(
                context.plugins.annotation_packs(), context.options.customized_annotation_folder
            )
    except Exception:  # packs that cannot be loaded make slices larger, never wrong
        return None


class BuiltinPurity:
    """Answers "is this call of a built-in pure?" for the compound statements of one graph."""

    def __init__(self, nodes: list[Node], cache: StatementCache, source: IndexSource) -> None:
        self._nodes = nodes
        self._cache = cache
        self._source = source
        self._index: Any = None
        self._loaded = False
        self._verdicts: dict[tuple[Any, ...], bool] = {}
        self._rebound_by_functions: frozenset[str] | None = None
        self._scanned = -1

    def pure_call(self, node: Node) -> Callable[[ast.Call], bool] | None:
        """``pure_call(call)`` for pruning ``node``; None if nothing there can be pure."""
        facts = self._cache.facts(node.source)
        if facts is None or not (facts.call_roots & BUILTINS):
            return None
        index = self._annotation_index()
        if index is None:
            return None
        rebound = set(facts.binds | facts.deletes | self._rebound_names())
        if "*" in rebound:
            return None  # a definition linea cannot analyse may rebind any name
        for edge in node.deps:
            rebound |= edge.via  # a user binding of the name was visible
        shadowed = frozenset(rebound)

        def pure_call(call: ast.Call) -> bool:
            func = call.func
            if not isinstance(func, ast.Name) or func.id in shadowed:
                return False
            return self._verdict(index, func.id, call)

        return pure_call

    def _annotation_index(self) -> Any:
        if not self._loaded:
            self._loaded = True
            self._index = self._source()
        return self._index

    def _rebound_names(self) -> frozenset[str]:
        if self._scanned != len(self._nodes) or self._rebound_by_functions is None:
            self._rebound_by_functions = names_rebound_by_functions(self._nodes, self._cache)
            self._scanned = len(self._nodes)
        return self._rebound_by_functions

    def _verdict(self, index: Any, name: str, call: ast.Call) -> bool:
        args = tuple(_value(arg) for arg in call.args)
        kwargs = {kw.arg: _value(kw.value) for kw in call.keywords if kw.arg is not None}
        key = (
            name,
            tuple(_key(v) for v in args),
            tuple(sorted((k, _key(v)) for k, v in kwargs.items())),
        )
        found = self._verdicts.get(key)
        if found is None:
            found = self._verdicts[key] = _is_pure(index, name, args, kwargs)
        return found


def _is_pure(index: Any, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    func = getattr(builtins, name, None)
    if func is None:
        return False
    try:
        effects = index.effects_for(func, args, kwargs)
    except Exception:  # an index that cannot answer knows nothing
        return False
    return effects is not None and bool(effects.is_pure)


def _value(expr: ast.expr) -> Any:
    if isinstance(expr, ast.Constant):
        return expr.value
    return _UNKNOWN


def _key(value: Any) -> tuple[str, Any]:
    return (type(value).__name__, value if value is not _UNKNOWN else None)
