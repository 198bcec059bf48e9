"""Cheap before/after fingerprints of the objects a statement could change.

Annotation packs never describe everything (a scikit-learn ``fit`` with no pack, the
user's own methods, a function appending to a global list), so the engine compares a
fingerprint of every mutable object a statement could touch, taken before and after it
runs: a difference means the statement changed the object.

A fingerprint is a list of *parts*, one per mutable object reached by a depth-first walk
from a root: a shallow copy of the container (compared by element identity, so no user
``__eq__`` ever runs), or a digest of a numpy buffer. The walk never calls user code: it
reads containers through the built-in types' own methods (``list.copy(o)``,
``dict.copy(o)``) and instance state through ``object.__getattribute__``; properties,
``__getattr__``, ``__iter__`` and ``__eq__`` overrides are not run.

Objects whose state is C-level and not inspectable (generators, files, random number
generators, database connections) are *opaque*: the comparison reports "unknown" for
them, and the caller treats them as mutated only when the statement passed them to a
call. The same holds for objects beyond the node budget.

A fingerprint costs what the data costs. For big roots, :mod:`.readonly` proves instead
that a statement changed nothing pre-existing (its code writes through no reference and
calls only what is seen and declared pure); walks here record what that proof needs
(``Snapshot.capabilities``, ``Snapshot.passive``).
"""

from __future__ import annotations

import collections
import sys
import sysconfig
import types
import zlib
from collections.abc import Callable, Iterable
from operator import is_
from typing import Any

from linea_core.support.type_names import module_of_type

# Kinds of objects, by type.
SCALAR = 0  # immutable, never fingerprinted
TUPLE = 1  # immutable container: its items may be mutable
LIST = 2
DICT = 3
SET = 4
BUFFER = 5  # bytearray, array.array: compared as bytes
SEQUENCE = 6  # deque and other mutable sequences read by iteration of the built-in type
NDARRAY = 7
PD_FRAME = 8
PD_SERIES = 9
PD_ARRAY = 10  # pandas extension arrays: compared through their backing numpy arrays
MODULE = 11
FUNCTION = 12
CLASS = 13
METHOD = 14
INSTANCE = 15
PARTIAL = 16
MAPPINGPROXY = 17
OPAQUE = 18
LAZY = 19  # map/filter/zip/enumerate: what they will call or resume when consumed

# Types known to be immutable although they are not built-in scalars (no imports needed:
# the walker compares (module, qualname) the first time it meets a type).
_IMMUTABLE_BY_NAME: frozenset[tuple[str, str]] = frozenset(
    {
        ("re", "Pattern"),
        ("re", "Match"),
        ("datetime", "date"),
        ("datetime", "datetime"),
        ("datetime", "time"),
        ("datetime", "timedelta"),
        ("datetime", "timezone"),
        ("decimal", "Decimal"),
        ("fractions", "Fraction"),
        ("uuid", "UUID"),
        ("pathlib", "PurePath"),
        ("pathlib", "PurePosixPath"),
        ("pathlib", "PureWindowsPath"),
        ("pathlib", "Path"),
        ("pathlib", "PosixPath"),
        ("pathlib", "WindowsPath"),
        ("pathlib._local", "PurePath"),
        ("pathlib._local", "PurePosixPath"),
        ("pathlib._local", "PureWindowsPath"),
        ("pathlib._local", "Path"),
        ("pathlib._local", "PosixPath"),
        ("pathlib._local", "WindowsPath"),
        ("enum", "EnumType"),
        ("builtins", "property"),
        ("builtins", "staticmethod"),
        ("builtins", "classmethod"),
        ("builtins", "weakref"),
        ("_thread", "RLock"),
        ("matplotlib.colors", "ListedColormap"),
    }
)

_BUILTIN_KINDS: dict[type, int] = {
    int: SCALAR,
    float: SCALAR,
    complex: SCALAR,
    bool: SCALAR,
    str: SCALAR,
    bytes: SCALAR,
    type(None): SCALAR,
    type(Ellipsis): SCALAR,
    type(NotImplemented): SCALAR,
    range: SCALAR,
    slice: SCALAR,
    # ``lst.append`` kept in a dict changes ``lst`` when called: walked to its receiver
    # (a built-in function's receiver is its module, which the walk leaves alone)
    types.BuiltinFunctionType: METHOD,
    types.MethodWrapperType: SCALAR,
    types.WrapperDescriptorType: SCALAR,
    types.MethodDescriptorType: SCALAR,
    types.ClassMethodDescriptorType: SCALAR,
    types.GetSetDescriptorType: SCALAR,
    types.MemberDescriptorType: SCALAR,
    types.CodeType: SCALAR,
    types.CellType: OPAQUE,
    tuple: TUPLE,
    frozenset: TUPLE,
    list: LIST,
    dict: DICT,
    set: SET,
    bytearray: BUFFER,
    types.ModuleType: MODULE,
    types.FunctionType: FUNCTION,
    types.MethodType: METHOD,
    types.MappingProxyType: MAPPINGPROXY,
    map: LAZY,
    filter: LAZY,
    zip: LAZY,
    enumerate: LAZY,
    types.SimpleNamespace: INSTANCE,
}

# Base classes written in C that a Python class may derive from without hiding state
# the walk cannot see (their state is the built-in container, read separately).
_TRANSPARENT_BASES: frozenset[type] = frozenset(
    {
        object,
        list,
        dict,
        set,
        tuple,
        frozenset,
        int,
        float,
        str,
        bytes,
        BaseException,
        collections.OrderedDict,
        collections.defaultdict,
    }
)
_ORDERED_KEYS = collections.OrderedDict.keys
_DEFAULT_FACTORY = collections.defaultdict.__dict__["default_factory"]
_CONTAINER_BASES: tuple[tuple[type, int], ...] = (
    (dict, DICT),
    (list, LIST),
    (set, SET),
    (frozenset, TUPLE),
    (tuple, TUPLE),
)
_HEAPTYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE, as inspect reads __flags__ for abstractness

# For :mod:`.readonly`: kinds of plain data; kinds whose calls the profiler sees.
_PASSIVE_KINDS = frozenset(
    {SCALAR, TUPLE, LIST, DICT, SET, BUFFER, NDARRAY, PD_FRAME, PD_SERIES, PD_ARRAY}
)
_EXACT_KINDS = frozenset({TUPLE, LIST, DICT, SET, BUFFER})
# Exact built-in containers only: a defaultdict inserts on read, in C.
_EXACT_TYPES = frozenset({tuple, frozenset, list, dict, set, bytearray})
_CALLABLE_OK_KINDS = frozenset({FUNCTION, METHOD, CLASS, MODULE})
_NOT_PASSIVE = 1
_CAPABILITY = 2
_CAPABILITY_SCALARS = frozenset(
    {
        types.BuiltinFunctionType,
        types.MethodWrapperType,
        types.WrapperDescriptorType,
        types.MethodDescriptorType,
        types.ClassMethodDescriptorType,
    }
)

DEFAULT_BUDGET = 20_000
_MISSING = object()


class Snapshot:
    """One walk from a root: parts to compare, and what the walk reached.

    ``reached`` maps the id of every non-scalar object met to the object (held so that
    ids cannot be reused while the snapshot lives); ``owners`` holds the ids of the
    objects owning the memory of numpy arrays met (their ``.base`` chain's end), which
    is how views of one buffer are recognised; ``opaque`` is True when an object whose
    state cannot be inspected was met; ``complete`` is False when the budget ran out.
    """

    __slots__ = (
        "root",
        "parts",
        "reached",
        "owners",
        "holders",
        "opaque",
        "complete",
        "digest",
        "capabilities",
        "passive",
    )

    def __init__(self, root: object, digest: bool = True) -> None:
        self.root = root
        self.digest = digest  # False: a reachability walk only, numpy buffers not hashed
        self.parts: list[tuple[Any, ...]] = []
        self.reached: dict[int, object] = {}
        self.owners: dict[int, object] = {}
        self.holders: list[object] = []  # user functions, classes and instances met
        self.opaque = False
        self.complete = True
        # A C callable met as a value (a built-in bound method, a partial, a ufunc): C
        # code could call it where no profiler hook sees it (see :mod:`.readonly`).
        self.capabilities = False
        # Only plain data met: exact built-in containers, scalars, numpy and pandas data.
        self.passive = True

    def changed_since(self, before: Snapshot) -> bool | None:
        """True if the object visibly changed, False if certainly not, None if unknown."""
        a, b = before.parts, self.parts
        if len(a) != len(b):
            return True
        for old, new in zip(a, b, strict=True):
            if not _same_part(old, new):
                return True
        if before.complete and self.complete and not before.opaque and not self.opaque:
            return False
        return None


def _same_part(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    """Parts are (kind, object, references compared by identity, digest compared by value)."""
    if old[0] != new[0] or old[1] is not new[1]:
        return False
    a, b = old[2], new[2]
    if a is not b and (len(a) != len(b) or not all(map(is_, a, b))):
        return False
    return bool(old[3] == new[3])


class Walker:
    """Classifies types and walks object graphs for one session.

    ``namespace`` decides what counts as the user's own: functions whose globals are
    the namespace and classes defined in its module are walked into (their closures,
    defaults and class attributes are state); library functions and classes are not.
    """

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.namespace = namespace
        self._kinds: dict[type, int] = dict(_BUILTIN_KINDS)
        self._scalar_types: set[type] = {t for t, k in _BUILTIN_KINDS.items() if k == SCALAR}
        self._user_modules: dict[str, bool] = {}
        self._library_roots: tuple[str, ...] | None = None
        self._flags: dict[type, int] = {}  # see _type_flags
        self._capability_scalars: set[type] = set(_CAPABILITY_SCALARS)
        self._capability_seen = False  # set by _push_items during one walk

    # ------------------------------------------------------------------ types
    def kind_of_type(self, tp: type) -> int:
        kind = self._kinds.get(tp)
        if kind is None:
            kind = self._classify(tp)
            self._kinds[tp] = kind
            if kind == SCALAR:
                self._scalar_types.add(tp)
                if _instances_callable(tp):
                    self._capability_scalars.add(tp)
        return kind

    def is_scalar(self, obj: object) -> bool:
        """Immutable through and through (tuples count only if all their items do)."""
        tp = type(obj)
        if tp in self._scalar_types:
            return True
        kind = self.kind_of_type(tp)
        if kind == SCALAR:
            return True
        if kind == TUPLE and tp in (tuple, frozenset):
            return self._all_scalar(obj)  # type: ignore[arg-type]
        return False

    def _all_scalar(self, items: Iterable[Any]) -> bool:
        kinds = set(map(type, items))
        if kinds <= self._scalar_types:
            return True
        return all(self.is_scalar(item) for item in items)

    def _classify(self, tp: type) -> int:
        module = module_of_type(tp)
        qualname = getattr(tp, "__qualname__", "")
        if (module, qualname) in _IMMUTABLE_BY_NAME:
            return SCALAR
        try:
            mro = tp.__mro__
        except AttributeError:  # pragma: no cover - every type has an MRO
            return OPAQUE
        if module == "numpy" or module.startswith("numpy."):
            kind = _numpy_kind(tp)
            if kind is not None:
                return kind
        if module.startswith("pyarrow"):
            return SCALAR  # arrow arrays and tables are immutable
        if module.startswith("pandas"):
            kind = _pandas_kind(tp)
            if kind is not None:
                return kind
        if issubclass(tp, type):
            return CLASS
        if issubclass(tp, BaseException):
            return INSTANCE
        if module == "functools" and qualname == "partial":
            return PARTIAL
        if module == "enum" or any(module_of_type(base) == "enum" for base in mro[1:]):
            return SCALAR  # enum members are singletons
        if module == "collections" and qualname == "deque":
            return SEQUENCE
        if issubclass(tp, (collections.OrderedDict, collections.defaultdict)):
            return DICT if _python_layers_only(mro) else OPAQUE
        if module == "array" and qualname == "array":
            return BUFFER
        for base, kind in _CONTAINER_BASES:
            if issubclass(tp, base):
                return kind if _python_layers_only(mro) else OPAQUE
        if _python_layers_only(mro):
            return INSTANCE
        return OPAQUE

    def is_pandas(self, obj: object) -> bool:
        return self.kind_of_type(type(obj)) in (PD_FRAME, PD_SERIES, PD_ARRAY)

    # ------------------------------------------------------------- ownership
    def is_user_function(self, obj: object) -> bool:
        return type(obj) is types.FunctionType and obj.__globals__ is self.namespace

    def is_user_class(self, obj: object) -> bool:
        if not isinstance(obj, type):
            return False
        name: object = self.namespace.get("__name__", "__main__")
        module: object = getattr(obj, "__module__", None)
        return module == name

    def is_user_module(self, module: types.ModuleType) -> bool:
        """A module of the user's project (next to the script), not a library's.

        Its module-level state is walked; library modules' state (caches, registries)
        changes all the time and would make every statement look like a mutation.
        """
        name = getattr(module, "__name__", "")
        known = self._user_modules.get(name)
        if known is not None:
            return known
        path = getattr(module, "__file__", None)
        result = False
        if isinstance(path, str) and name not in sys.builtin_module_names:
            roots = self._library_roots
            if roots is None:
                roots = self._library_roots = _library_roots()
            result = not path.startswith(roots)
        self._user_modules[name] = result
        return result

    # ------------------------------------------------------------------ walk
    def snapshot(
        self, root: object, budget: int = DEFAULT_BUDGET, *, digest: bool = True
    ) -> Snapshot:
        """Walk ``root`` and everything mutable reachable from it, up to ``budget`` objects.

        ``digest=False`` makes a cheaper walk for reachability (views, containment):
        numpy buffers are not hashed, so its parts must not be compared.
        """
        snap = Snapshot(root, digest)
        parts = snap.parts
        reached = snap.reached
        stack = [root]
        kind_of = self.kind_of_type
        push = self._push_items
        type_flags = self._flags
        self._capability_seen = False
        while stack:
            obj = stack.pop()
            oid = id(obj)
            if oid in reached:
                continue
            if len(reached) >= budget:
                snap.complete = False
                break
            tp = type(obj)
            kind = self._kinds.get(tp)
            if kind is None:
                kind = kind_of(tp)
            flags = type_flags.get(tp)
            if flags is None:
                flags = self._type_flags(tp, kind)
            if flags:
                if flags & _NOT_PASSIVE:
                    snap.passive = False
                if flags & _CAPABILITY:
                    snap.capabilities = True
            if kind == SCALAR:
                continue
            reached[oid] = obj
            try:
                self._visit(obj, tp, kind, snap, stack, push)
            except Exception:  # state we failed to read: treat as not inspectable
                snap.opaque = True
                parts.append((OPAQUE, obj, (), None))
        if self._capability_seen:
            snap.capabilities = True
        return snap

    def _type_flags(self, tp: type, kind: int) -> int:
        """_NOT_PASSIVE and _CAPABILITY bits of a type (see Snapshot.capabilities)."""
        flags = 0
        if kind not in _PASSIVE_KINDS or (kind in _EXACT_KINDS and tp not in _EXACT_TYPES):
            flags |= _NOT_PASSIVE
        if kind not in _CALLABLE_OK_KINDS and _instances_callable(tp):
            flags |= _CAPABILITY
            if kind == SCALAR:
                self._capability_scalars.add(tp)
        self._flags[tp] = flags
        return flags

    def _visit(
        self,
        obj: Any,
        tp: type,
        kind: int,
        snap: Snapshot,
        stack: list[Any],
        push: Callable[[Iterable[Any], list[Any]], None],
    ) -> None:
        parts = snap.parts
        if kind == TUPLE:
            push(obj, stack)
            if tp is not tuple and tp is not frozenset:
                self._visit_instance_state(obj, tp, parts, stack, push)
        elif kind == LIST:
            copy = list.copy(obj)
            parts.append((LIST, obj, copy, None))
            push(copy, stack)
            if tp is not list:
                self._visit_instance_state(obj, tp, parts, stack, push)
        elif kind == DICT:
            keys = list(dict.keys(obj))
            values = list(dict.values(obj))
            if isinstance(obj, collections.OrderedDict):
                keys = list(_ORDERED_KEYS(obj))  # its own order, changed by move_to_end
            elif isinstance(obj, collections.defaultdict):
                values.append(_DEFAULT_FACTORY.__get__(obj))
            parts.append((DICT, obj, keys + values, None))
            push(keys, stack)
            push(values, stack)
            if tp is not dict:
                self._visit_instance_state(obj, tp, parts, stack, push)
        elif kind == SET:
            items = list(set.__iter__(obj))
            parts.append((SET, obj, items, None))
            push(items, stack)
            if tp is not set:
                self._visit_instance_state(obj, tp, parts, stack, push)
        elif kind == BUFFER:
            parts.append((BUFFER, obj, (), bytes(obj)))
        elif kind == SEQUENCE:
            items = list(obj)  # only the exact collections.deque type gets this kind
            parts.append((SEQUENCE, obj, items, None))
            push(items, stack)
        elif kind == NDARRAY:
            self._visit_ndarray(obj, snap, stack, push)
        elif kind == PD_FRAME:
            arrays = _frame_arrays(obj)
            parts.append((PD_FRAME, obj, (obj.columns, obj.index, *arrays), None))
            stack.extend(arrays)
        elif kind == PD_SERIES:
            values = obj._values
            parts.append((PD_SERIES, obj, (obj.index, obj.name, values), None))
            stack.append(values)
        elif kind == PD_ARRAY:
            backing = _extension_array_backing(obj)
            if backing is None:
                self._visit_instance_state(obj, tp, parts, stack, push)
            else:
                parts.append((PD_ARRAY, obj, tuple(backing), None))
                stack.extend(backing)
        elif kind == MODULE:
            if self.is_user_module(obj):
                state = dict(obj.__dict__)
                values = [v for k, v in state.items() if not k.startswith("__")]
                parts.append((MODULE, obj, [*state, *state.values()], None))
                push(values, stack)
        elif kind == FUNCTION:
            if obj.__globals__ is self.namespace:
                snap.holders.append(obj)
                self._visit_function(obj, parts, stack, push)
        elif kind == CLASS:
            if self.is_user_class(obj):
                snap.holders.append(obj)
                state = dict(obj.__dict__)
                parts.append((CLASS, obj, [*state, *state.values()], None))
                push(state.values(), stack)
        elif kind == METHOD:
            if tp is types.MethodType:
                stack.append(obj.__func__)
            receiver = obj.__self__
            if receiver is not None and type(receiver) is not types.ModuleType:
                stack.append(receiver)
        elif kind == PARTIAL:
            parts.append(
                (PARTIAL, obj, (obj.func, obj.args, *obj.keywords, *obj.keywords.values()), None)
            )
            stack.append(obj.func)
            push(obj.args, stack)
            push(obj.keywords.values(), stack)
            self._visit_instance_state(obj, tp, parts, stack, push)
        elif kind == LAZY:
            # how far it was consumed is not visible: the parts it will use are
            snap.opaque = True
            pending = obj.__reduce__()[1]
            parts.append((LAZY, obj, pending, None))
            push(pending, stack)
        elif kind == MAPPINGPROXY:
            state = dict(obj)
            parts.append((MAPPINGPROXY, obj, [*state, *state.values()], None))
            push(state.values(), stack)
        elif kind == INSTANCE:
            if self.is_user_class(tp):
                snap.holders.append(obj)
            parts.append((INSTANCE, obj, (tp,), None))
            self._visit_instance_state(obj, tp, parts, stack, push)
            if isinstance(obj, BaseException):
                push(obj.args, stack)
        else:  # OPAQUE
            snap.opaque = True
            parts.append((OPAQUE, obj, (), None))

    def _visit_instance_state(
        self,
        obj: Any,
        tp: type,
        parts: list[tuple[Any, ...]],
        stack: list[Any],
        push: Callable[[Iterable[Any], list[Any]], None],
    ) -> None:
        try:
            state = object.__getattribute__(obj, "__dict__")
        except AttributeError:
            state = None
        if type(state) is dict:
            keys = list(dict.keys(state))
            values = list(dict.values(state))
            parts.append((DICT, state, keys + values, None))
            push(values, stack)
        slots = _slot_names(tp)
        if slots:
            values = []
            for name in slots:
                try:
                    values.append(object.__getattribute__(obj, name))
                except AttributeError:
                    values.append(_MISSING)
            parts.append((INSTANCE, obj, tuple(values), None))
            push(values, stack)

    def _visit_function(
        self,
        func: types.FunctionType,
        parts: list[tuple[Any, ...]],
        stack: list[Any],
        push: Callable[[Iterable[Any], list[Any]], None],
    ) -> None:
        closure = func.__closure__
        cells: tuple[Any, ...] = ()
        if closure:
            cells = tuple(_cell_value(cell) for cell in closure)
        defaults = func.__defaults__ or ()
        kwdefaults = tuple((func.__kwdefaults__ or {}).items())
        state = func.__dict__
        if not (cells or defaults or kwdefaults or state):
            return
        keywords = [value for _, value in kwdefaults]
        parts.append(
            (
                FUNCTION,
                func,
                [
                    *cells,
                    *defaults,
                    *(k for k, _ in kwdefaults),
                    *keywords,
                    *state,
                    *state.values(),
                ],
                (len(cells), len(defaults), len(kwdefaults), len(state)),
            )
        )
        push(cells, stack)
        push(defaults, stack)
        push(keywords, stack)
        push(state.values(), stack)

    def _visit_ndarray(
        self,
        array: Any,
        snap: Snapshot,
        stack: list[Any],
        push: Callable[[Iterable[Any], list[Any]], None],
    ) -> None:
        owner = array
        while True:
            base = getattr(owner, "base", None)
            if base is None:
                break
            owner = base
        snap.owners[id(owner)] = owner
        if array.dtype.hasobject:
            items = list(array.ravel(order="K"))
            snap.parts.append((NDARRAY, array, items, (array.shape, array.strides)))
            push(items, stack)
            return
        if not snap.digest:
            return
        pointer = array.__array_interface__["data"][0]
        snap.parts.append(
            (
                NDARRAY,
                array,
                (),
                (array.shape, array.strides, array.dtype.str, pointer, _crc(array)),
            )
        )

    def _push_items(self, items: Iterable[Any], stack: list[Any]) -> None:
        """Push the non-scalar items; a C-level type scan skips all-scalar containers."""
        kinds = set(map(type, items))
        if kinds <= self._scalar_types:
            if not kinds.isdisjoint(self._capability_scalars):
                self._capability_seen = True
            return
        for tp in kinds:
            self.kind_of_type(tp)
        if not kinds.isdisjoint(self._capability_scalars):
            self._capability_seen = True
        scalars = self._scalar_types
        stack.extend(item for item in items if type(item) not in scalars)


def _instances_callable(tp: type) -> bool:
    return any("__call__" in klass.__dict__ for klass in tp.__mro__)


def pandas_copy_on_write() -> bool:
    """Whether pandas' copy-on-write is on (always from pandas 3, an option before)."""
    pd = sys.modules.get("pandas")
    if pd is None:
        return False
    version = getattr(pd, "__version__", "0")
    try:
        major = int(version.split(".")[0])
    except ValueError:
        major = 0
    if major >= 3:
        return True
    try:
        return pd.options.mode.copy_on_write is True
    except Exception:
        return False


def _crc(array: Any) -> int:
    import numpy as np

    data = array if array.flags.c_contiguous else np.ascontiguousarray(array)
    return zlib.crc32(data.reshape(-1).view(np.uint8).data)


def _cell_value(cell: types.CellType) -> object:
    try:
        return cell.cell_contents
    except ValueError:  # an empty cell
        return _MISSING


def _slot_names(tp: type) -> tuple[str, ...]:
    names: list[str] = []
    for klass in tp.__mro__:
        slots = klass.__dict__.get("__slots__")
        if slots is None:
            continue
        if isinstance(slots, str):
            slots = (slots,)
        for name in slots:
            if name in ("__dict__", "__weakref__"):
                continue
            if name.startswith("__") and not name.endswith("__"):
                name = f"_{klass.__name__.lstrip('_')}{name}"
            names.append(name)
    return tuple(names)


def _python_layers_only(mro: tuple[type, ...]) -> bool:
    """Every class of the MRO is a Python class or a transparent built-in base.

    A Python ``class`` statement always yields a heap type that either defines
    ``__slots__`` or gives instances a ``__dict__``; C extension types (generators,
    files, sockets, random generators) do not, and hide state the walk cannot read.
    """
    for klass in mro:
        if klass in _TRANSPARENT_BASES:
            continue
        if not klass.__flags__ & _HEAPTYPE:
            if issubclass(klass, BaseException) and klass.__module__ == "builtins":
                continue
            return False
        if "__slots__" not in klass.__dict__ and not _gives_instances_a_dict(klass):
            return False
    return True


def _gives_instances_a_dict(klass: type) -> bool:
    """A Python class without ``__slots__`` has a ``__dict__`` descriptor in its MRO."""
    return any("__dict__" in base.__dict__ for base in klass.__mro__ if base is not type)


def _numpy_kind(tp: type) -> int | None:
    np = sys.modules.get("numpy")
    if np is None:  # pragma: no cover - a numpy type exists only once numpy is imported
        return None
    if issubclass(tp, np.ndarray):
        return NDARRAY
    if issubclass(tp, (np.generic, np.dtype, np.ufunc)):
        return SCALAR
    return None


def _pandas_kind(tp: type) -> int | None:
    pd = sys.modules.get("pandas")
    if pd is None or not hasattr(pd, "DataFrame"):
        return None
    if issubclass(tp, pd.DataFrame):
        return PD_FRAME
    if issubclass(tp, pd.Series):
        return PD_SERIES
    if issubclass(tp, pd.Index):
        return SCALAR  # immutable; replacing one shows as a different object
    api = getattr(pd, "api", None)
    extensions = getattr(api, "extensions", None)
    base = getattr(extensions, "ExtensionArray", None)
    if base is not None and issubclass(tp, base):
        return PD_ARRAY
    if issubclass(tp, (pd.Timestamp, pd.Timedelta, pd.Period, pd.Interval)):
        return SCALAR
    return None


def _frame_arrays(frame: Any) -> list[Any]:
    manager = frame._mgr
    arrays = getattr(manager, "arrays", None)
    if arrays is not None:
        return list(arrays)
    return [frame.iloc[:, i]._values for i in range(frame.shape[1])]  # pragma: no cover


def _extension_array_backing(array: Any) -> list[Any] | None:
    """The numpy (or arrow) arrays an extension array keeps its data in."""
    backing = []
    for name in ("_ndarray", "_data", "_mask", "_codes", "_pa_array", "_sparse_values"):
        try:
            value = getattr(array, name)
        except Exception:
            continue
        if value is not None and not callable(value):
            backing.append(value)
    return backing or None


def _library_roots() -> tuple[str, ...]:
    paths = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            path = sysconfig.get_paths()[key]
        except KeyError:  # pragma: no cover
            continue
        paths.add(path)
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}:
        paths.add(prefix)
    for entry in sys.path:
        if entry.endswith(("site-packages", "dist-packages")):
            paths.add(entry)
    return tuple(sorted(paths))
