"""What the user's own functions and classes may read and rebind at module level.

A statement that calls ``total()`` depends on the globals ``total``'s body reads, and
``add(3)`` may mutate (or, with ``global``, rebind) globals the statement never spells.
The engine does not trace function bodies, so it needs a summary per code object:
the module-level names the body may read or rebind, and whether the body does
something linea cannot follow (``exec``, ``globals()``...).

Summaries come from the static analysis of the ``def``/``class`` statement that created
the code (precise), registered when that statement runs. Code created any other way
(e.g. ``types.FunctionType`` by hand) falls back to ``co_names`` of the code object and
its nested code objects, an over-approximation (it also holds attribute names) that is
still sound.
"""

from __future__ import annotations

import dis
import types
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

_OPAQUE_NAMES = {
    "exec": "calls exec()",
    "eval": "calls eval()",
    "globals": "calls globals()",
    "locals": "calls locals()",
    "vars": "calls vars()",
    "compile": "calls compile()",
    "__import__": "calls __import__()",
}


# Types whose values can never run the user's code when used.
_NEVER_CODE: frozenset[type] = frozenset(
    {int, float, complex, bool, str, bytes, type(None), list, dict, set, tuple, frozenset, range}
)


@dataclass(frozen=True)
class Summary:
    """Module-level names a body may read / rebind, and why it is opaque (or None)."""

    reads: frozenset[str]
    binds: frozenset[str]
    opaque: str | None = None
    # the globals the body may rebind by name on some path (``global g`` then
    # ``if flag: g = 10``); None when that is ``binds`` itself. A call is their binder
    # even when the traced run took the other path (see ``Reach.stores``).
    stores: frozenset[str] | None = None


@dataclass
class Reach:
    """What calling into user code from one statement may touch.

    ``names`` maps a global name to the statement's own names that lead to it
    (``t = total()`` -> ``{"items": {"total"}}``); ``binds`` are globals the bodies may
    rebind; ``opaque`` is set when a body does something linea cannot follow.
    """

    names: dict[str, set[str]]
    binds: set[str]
    opaque: str | None = None
    stores: set[str] = field(default_factory=set)  # globals a body may rebind by name
    read: set[str] = field(default_factory=set)  # the globals of ``names`` a body reads


class FunctionSummaries:
    """Per-session registry of code object -> :class:`Summary`."""

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.namespace = namespace
        self._registered: dict[types.CodeType, Summary] = {}
        self._fallback: dict[types.CodeType, Summary] = {}
        # a function's own code -> globals it rebinds on every normal return
        self._certain: dict[types.CodeType, frozenset[str]] = {}
        self.codeless_types: set[type] = set(_NEVER_CODE)

    # ---------------------------------------------------------- registration
    def register(self, obj: object, summary: Summary) -> None:
        """Attach ``summary`` to every code object ``obj`` (a function or class) holds."""
        for code in self._codes_of(obj, include_nested=True):
            self._registered.setdefault(code, summary)

    def register_certain_binds(self, func: object, names: frozenset[str]) -> None:
        """``func`` (a plain function of this namespace) rebinds ``names`` whenever it
        returns normally; only its own code, not the functions nested in it."""
        if names and type(func) is types.FunctionType:
            self._certain.setdefault(func.__code__, names)

    def certain_binds(self, func: object) -> frozenset[str]:
        """Globals calling ``func`` rebinds whenever the call returns (see
        :meth:`register_certain_binds`); empty for anything but such a function, and for
        generators and coroutines, whose bodies do not run when called."""
        if type(func) is not types.FunctionType or func.__globals__ is not self.namespace:
            return frozenset()
        code = func.__code__
        if code.co_flags & _NOT_RUN_WHEN_CALLED:
            return frozenset()
        return self._certain.get(code, frozenset())

    def is_registered(self, obj: object) -> bool:
        codes = list(self._codes_of(obj, include_nested=False))
        return bool(codes) and all(code in self._registered for code in codes)

    def summary(self, code: types.CodeType) -> Summary:
        known = self._registered.get(code)
        if known is not None:
            return known
        known = self._fallback.get(code)
        if known is None:
            names = frozenset(_all_code_names(code))
            opaque = next(
                (
                    reason
                    for name, reason in _OPAQUE_NAMES.items()
                    if name in names and name not in self.namespace
                ),
                None,
            )
            known = Summary(names, names, opaque, frozenset(_stored_globals(code)))
            self._fallback[code] = known
        return known

    # ------------------------------------------------------------- reaching
    def reach(self, roots: Iterable[tuple[str, object]]) -> Reach:
        """Globals reachable through user code from the statement's objects.

        ``roots`` are (statement name, object) pairs: the objects the statement reads,
        plus user objects met inside them. Follows globals that hold user code again
        (``f`` calls ``g``), to a fixpoint.
        """
        ns = self.namespace
        result = Reach({}, set())
        queue: list[tuple[object, str]] = [(obj, via) for via, obj in roots]
        done_codes: set[tuple[types.CodeType, str]] = set()
        done_globals: set[tuple[str, str]] = set()
        while queue:
            obj, via = queue.pop()
            for code in self._codes_of(obj, include_nested=False):
                if (code, via) in done_codes:
                    continue
                done_codes.add((code, via))
                summary = self.summary(code)
                if summary.opaque and result.opaque is None:
                    result.opaque = summary.opaque
                result.binds |= summary.binds
                result.stores |= summary.binds if summary.stores is None else summary.stores
                result.read |= summary.reads
                for name in summary.reads | summary.binds:
                    if name not in ns:
                        continue
                    result.names.setdefault(name, set()).add(via)
                    if (name, via) not in done_globals:
                        done_globals.add((name, via))
                        queue.append((ns[name], via))
        return result

    def holds_user_code(self, obj: object) -> bool:
        tp = type(obj)
        if tp in self.codeless_types:
            return False
        if (
            tp not in _CODE_TYPES
            and not issubclass(tp, type)
            and not _is_user_class(tp, self.namespace)
            and not (tp.__module__ == "functools" and tp.__qualname__ == "partial")
        ):
            self.codeless_types.add(tp)  # instances of this type never run user code
            return False
        return next(self._codes_of(obj, include_nested=False), None) is not None

    def _codes_of(self, obj: object, *, include_nested: bool) -> Iterator[types.CodeType]:
        """Code objects that run when ``obj`` is called or its methods are."""
        seen: set[int] = set()
        stack = [obj]
        ns = self.namespace
        while stack:
            item = stack.pop()
            if id(item) in seen:
                continue
            seen.add(id(item))
            tp = type(item)
            if tp is types.FunctionType:
                if item.__globals__ is not ns:  # type: ignore[attr-defined]
                    # a library's wrapper of the user's function (functools.wraps:
                    # ``@contextlib.contextmanager``, ``@functools.cache``) runs it
                    wrapped = item.__dict__.get("__wrapped__")
                    if wrapped is not None:
                        stack.append(wrapped)
                    continue
                code = item.__code__  # type: ignore[attr-defined]
                yield code
                if include_nested:
                    yield from _nested_codes(code)
                closure = item.__closure__  # type: ignore[attr-defined]
                if closure:
                    for cell in closure:
                        try:
                            stack.append(cell.cell_contents)
                        except ValueError:
                            pass
                wrapped = item.__dict__.get("__wrapped__")
                if wrapped is not None:
                    stack.append(wrapped)
            elif tp is types.MethodType:
                stack.append(item.__func__)  # type: ignore[attr-defined]
                stack.append(type(item.__self__))  # type: ignore[attr-defined]
            elif isinstance(item, type):
                if not _is_user_class(item, ns):
                    continue
                for klass in item.__mro__:
                    if not _is_user_class(klass, ns):
                        continue
                    for value in list(klass.__dict__.values()):
                        stack.extend(_functions_in_attribute(value))
            elif tp.__module__ == "functools" and tp.__qualname__ == "partial":
                stack.append(item.func)  # type: ignore[attr-defined]
            elif tp in _LAZY_CALLERS:
                # ``map(f, xs)`` runs ``f`` when consumed; ``zip(gen, ...)`` resumes ``gen``
                try:
                    parts = item.__reduce__()[1]
                except Exception:
                    continue
                if isinstance(parts, tuple):
                    stack.extend(parts)
            elif tp in _SUSPENDED_CODE:
                # a generator or coroutine of the user's runs its body when resumed
                frame, code = _suspended_frame_and_code(item)
                if frame is not None and frame.f_globals is ns:
                    yield code
            elif _is_user_class(tp, ns):
                stack.append(tp)


# inspect.CO_GENERATOR | CO_COROUTINE | CO_ITERABLE_COROUTINE | CO_ASYNC_GENERATOR
# (spelled out: importing inspect costs more than a small traced script's statements)
_NOT_RUN_WHEN_CALLED = 0x20 | 0x80 | 0x100 | 0x200
_SUSPENDED_CODE: frozenset[type] = frozenset(
    {types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType}
)
# Built-in lazy iterators that call, or resume, what they were given when consumed.
_LAZY_CALLERS: frozenset[type] = frozenset({map, filter, zip, enumerate})
_CODE_TYPES: frozenset[type] = (
    _SUSPENDED_CODE | _LAZY_CALLERS | {types.FunctionType, types.MethodType}
)


def _suspended_frame_and_code(item: Any) -> tuple[Any, types.CodeType]:
    if type(item) is types.GeneratorType:
        return item.gi_frame, item.gi_code
    if type(item) is types.CoroutineType:
        return item.cr_frame, item.cr_code
    return item.ag_frame, item.ag_code


def _is_user_class(klass: type, ns: Mapping[str, Any]) -> bool:
    module: object = getattr(klass, "__module__", None)
    name: object = ns.get("__name__", "__main__")
    return module == name


def _functions_in_attribute(value: object) -> list[object]:
    if isinstance(value, (staticmethod, classmethod)):
        return [value.__func__]
    if isinstance(value, property):
        return [f for f in (value.fget, value.fset, value.fdel) if f is not None]
    if type(value) is types.FunctionType or isinstance(value, type):
        return [value]
    return []


def _nested_codes(code: types.CodeType) -> Iterator[types.CodeType]:
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield const
            yield from _nested_codes(const)


_GLOBAL_STORES = frozenset({"STORE_GLOBAL", "DELETE_GLOBAL"})


def _stored_globals(code: types.CodeType) -> set[str]:
    """Globals ``code`` (or code nested in it) rebinds or deletes by name: exact for the
    bytecode, where ``co_names`` also holds every attribute and global read."""
    names: set[str] = set()
    for each in (code, *_nested_codes(code)):
        for ins in dis.get_instructions(each):
            if ins.opname in _GLOBAL_STORES:
                names.add(ins.argval)
    return names


def _all_code_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for nested in _nested_codes(code):
        names.update(nested.co_names)
    return names
