"""Resolving a statement's calls against the namespace, before the statement runs.

When every call of a statement resolves to a callable that an annotation pack
describes, the engine applies the described effects and skips fingerprints: exact and
cheap, which is the common case for library code (``df = pd.read_csv(p)``,
``model.fit(X, y)``, ``plt.plot(x, y)``).

Resolution never runs user code: module attributes come from the module's ``__dict__``,
methods from the type's MRO dictionaries (binding a function or method descriptor with
``__get__`` is C-level and side-effect free); properties, ``__getattr__`` and
``__getattribute__`` overrides make a call unresolvable rather than being run.
"""

from __future__ import annotations

import builtins
import sys
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from linea_core.syntax.facts import ArgRef, CallSite

_UNRESOLVED = object()
_TYPE_GETATTRIBUTE: object = type.__getattribute__
_ARTIFACT_SAVE = "save"
_ARTIFACT_GET = "get"
_LINEA_MODULE = "linea_core"


@dataclass
class ResolvedCall:
    """A call site whose callable and arguments were found before it runs."""

    site: CallSite
    func: Any
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    effects: Any = None  # CallEffects from the annotation index, or None
    linea: str | None = None  # "save" / "get" / "other" for calls into linea itself
    # Only the callable is known (an argument is an expression): ``args``/``kwargs`` are
    # empty, so only what the call does to its receiver or module and to external
    # state can be applied; fingerprints see what it does to its arguments.
    partial: bool = False


class CallResolver:
    """Resolves call sites in one namespace; ``index`` is fetched lazily, at most once."""

    def __init__(self, namespace: dict[str, Any], index: Callable[[], Any]) -> None:
        self.namespace = namespace
        self._index_factory = index
        self._index: Any = _UNRESOLVED

    def forget_index(self) -> None:
        """Fetch the index again on next use (``lineapy.reload()`` after packs changed)."""
        self._index = _UNRESOLVED

    @property
    def index(self) -> Any:
        if self._index is _UNRESOLVED:
            self._index = self._index_factory()
        return self._index

    def linea_kind(self, site: CallSite) -> str | None:
        """ "save"/"get"/"other" when the call goes into linea itself, else None.

        The linea module is recognised by identity (``ns[name] is
        sys.modules["linea_core"]``), never by spelling, so ``import linea_core as
        lineapy`` and ``from linea_core import save`` both work.
        """
        chain = site.callee
        if not chain:
            return None
        linea = sys.modules.get(_LINEA_MODULE)
        if linea is None:
            return None
        root = self.namespace.get(chain[0], _UNRESOLVED)
        if root is linea:
            if len(chain) < 2:
                return "other"
            if chain[1] == _ARTIFACT_SAVE:
                return "save"
            if chain[1] == _ARTIFACT_GET:
                return "get"
            return "other"
        if len(chain) == 1 and callable(root):
            module = getattr(root, "__module__", None)
            module = module if isinstance(module, str) else ""
            if module.startswith(_LINEA_MODULE + "."):
                if root is getattr(linea, _ARTIFACT_SAVE, None):
                    return "save"
                if root is getattr(linea, _ARTIFACT_GET, None):
                    return "get"
                return "other"
        return None

    def resolve(self, site: CallSite) -> ResolvedCall | None:
        """The call's callable and arguments, or None when they cannot be known safely."""
        if site.kind != "call" or site.callee is None or site.in_comprehension:
            return None
        func = self._resolve_callee(site.callee)
        if func is _UNRESOLVED:
            return None
        args: list[Any] = []
        for ref in site.args:
            value = self._resolve_arg(ref)
            if value is _UNRESOLVED:
                return None
            args.append(value)
        kwargs: dict[str, Any] = {}
        for key, ref in site.keywords:
            if key is None:
                return None
            value = self._resolve_arg(ref)
            if value is _UNRESOLVED:
                return None
            kwargs[key] = value
        return ResolvedCall(site, func, tuple(args), kwargs)

    def resolve_callee(self, site: CallSite) -> ResolvedCall | None:
        """The call's callable alone (see :attr:`ResolvedCall.partial`), or None."""
        if site.kind != "call" or site.callee is None or site.in_comprehension:
            return None
        func = self._resolve_callee(site.callee)
        if func is _UNRESOLVED:
            return None
        return ResolvedCall(site, func, (), {}, partial=True)

    def describe(self, call: ResolvedCall) -> bool:
        """Look the call up in the annotation index; True if a pack describes it."""
        index = self.index
        if index is None:
            return False
        try:
            effects = index.effects_for(call.func, call.args, call.kwargs)
        except Exception:
            return False
        call.effects = effects
        return effects is not None

    # ------------------------------------------------------------ internals
    def _lookup_name(self, name: str) -> Any:
        ns = self.namespace
        if name in ns:
            return ns[name]
        table = ns.get("__builtins__", builtins)
        if isinstance(table, types.ModuleType):
            table = table.__dict__
        return table.get(name, _UNRESOLVED) if isinstance(table, Mapping) else _UNRESOLVED

    def _resolve_arg(self, ref: ArgRef) -> Any:
        if ref.kind == "literal":
            return ref.value
        if ref.kind == "name":
            return self._lookup_name(ref.value)
        return _UNRESOLVED

    def _resolve_callee(self, chain: tuple[str, ...]) -> Any:
        current = self._lookup_name(chain[0])
        last = len(chain) - 1
        for position, attr in enumerate(chain[1:], start=1):
            if current is _UNRESOLVED:
                return _UNRESOLVED
            current = _static_attribute(current, attr, final=position == last)
        return current


def _static_attribute(obj: Any, attr: str, *, final: bool) -> Any:
    """``getattr(obj, attr)`` when it can be had without running any user code."""
    if isinstance(obj, types.ModuleType):
        return obj.__dict__.get(attr, _UNRESOLVED)
    tp = type(obj)
    if isinstance(obj, type):
        if type(tp).__getattribute__ is not _TYPE_GETATTRIBUTE:
            return _UNRESOLVED
        found = _mro_lookup(obj, attr)
        if found is _UNRESOLVED:
            return _UNRESOLVED
        if isinstance(found, classmethod):
            return found.__get__(None, obj)
        if isinstance(found, staticmethod):
            return found.__func__
        if type(found) in (types.FunctionType, types.BuiltinFunctionType) or isinstance(
            found, type
        ):
            return found
        if type(found) in (types.MethodDescriptorType, types.ClassMethodDescriptorType):
            return (
                found.__get__(None, obj)
                if type(found) is types.ClassMethodDescriptorType
                else found
            )
        return _UNRESOLVED
    if not _generic_lookup(tp):
        return _UNRESOLVED
    found = _mro_lookup(tp, attr)
    try:
        state = object.__getattribute__(obj, "__dict__")
    except AttributeError:
        state = None
    if found is not _UNRESOLVED and hasattr(type(found), "__set__"):
        return _UNRESOLVED  # data descriptor (property, slot): reading it may run code
    if isinstance(state, dict) and attr in state:
        return state[attr]
    if found is _UNRESOLVED:
        return _UNRESOLVED
    kind = type(found)
    if kind in (types.FunctionType, types.MethodDescriptorType, types.WrapperDescriptorType):
        return found.__get__(obj, tp)
    if isinstance(found, classmethod):
        return found.__get__(obj, tp)
    if isinstance(found, staticmethod):
        return found.__func__
    if kind is types.BuiltinFunctionType or (not final and isinstance(found, type)):
        return found
    if final and callable(found) and not hasattr(kind, "__get__"):
        return found  # a callable class attribute that does not bind (e.g. a ufunc)
    return _UNRESOLVED


#: Built-in types whose ``__getattribute__`` is CPython's generic lookup (they expose
#: it as a slot wrapper of their own, so an identity check against ``object``'s fails).
_GENERIC_GETATTRIBUTE = frozenset(
    {
        object, list, dict, set, frozenset, tuple, str, bytes, bytearray, int, float,
        complex, bool, range, slice, types.SimpleNamespace,
    }
)  # fmt: skip


def _generic_lookup(tp: type) -> bool:
    """Whether attribute lookup on instances of ``tp`` is the generic one (no user code)."""
    for klass in tp.__mro__:
        if "__getattribute__" in klass.__dict__:
            return klass in _GENERIC_GETATTRIBUTE
    return True


def _mro_lookup(tp: type, attr: str) -> Any:
    for klass in tp.__mro__:
        namespace = klass.__dict__
        if attr in namespace:
            return namespace[attr]
    return _UNRESOLVED
