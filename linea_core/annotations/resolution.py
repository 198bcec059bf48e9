"""Finding modules, classes and methods without importing anything or running user code.

The index must never import a library just to check an annotation (a pack for a
library the user does not use costs nothing) and must not trigger lazy-loading module
``__getattr__`` hooks, so lookups read ``__dict__`` directly.
"""

from __future__ import annotations

import sys
from types import (
    BuiltinFunctionType,
    FunctionType,
    MethodDescriptorType,
    ModuleType,
    WrapperDescriptorType,
)

# Raw class attributes that, called as ``Class.name(obj, ...)``, take the receiver first.
_UNBOUND_CALLABLE_TYPES: tuple[type, ...] = (
    FunctionType,
    MethodDescriptorType,
    WrapperDescriptorType,
    BuiltinFunctionType,
)


def imported_module(name: str) -> ModuleType | None:
    """The module ``name`` if it is imported and finished initialising, else None.

    A submodule that is reachable only as an attribute of its imported parent (upstream's
    ``tensorflow.keras.utils`` case) counts as imported.
    """
    module = sys.modules.get(name)
    if module is not None:
        return None if _initializing(module) else module
    parent_name, _, attribute = name.rpartition(".")
    if not parent_name:
        return None
    parent = imported_module(parent_name)
    if parent is None:
        return None
    candidate = vars(parent).get(attribute)
    return candidate if isinstance(candidate, ModuleType) else None


def _initializing(module: ModuleType) -> bool:
    spec = getattr(module, "__spec__", None)
    return bool(getattr(spec, "_initializing", False))


def module_attribute(module: ModuleType, path: str) -> object:
    """``module.a.b`` read from ``__dict__``s (no ``__getattr__`` hooks); None if absent."""
    first, _, rest = path.partition(".")
    value = vars(module).get(first)
    for part in rest.split(".") if rest else ():
        if value is None:
            return None
        namespace = getattr(value, "__dict__", None)
        value = namespace.get(part) if namespace is not None else None
    return value


def defining_class(cls: type, name: str) -> type | None:
    """The first class in ``cls``'s MRO whose own namespace defines ``name``."""
    return class_attribute(cls, name)[0]


def class_attribute(cls: type, name: str) -> tuple[type | None, object]:
    """The first class in ``cls``'s MRO whose namespace defines ``name``, and the raw
    value there (no descriptor is run); ``(None, None)`` when no class defines it."""
    try:
        mro = cls.__mro__
    except AttributeError:  # pragma: no cover - not a class
        return None, None
    for klass in mro:
        namespace = klass.__dict__
        if name in namespace:
            return klass, namespace[name]
    return None, None


def takes_receiver(raw: object) -> bool:
    """Whether a raw class attribute, called as ``Class.name(obj, ...)``, takes the
    receiver first (static and class methods, properties and nested classes do not)."""
    return isinstance(raw, _UNBOUND_CALLABLE_TYPES)


def unbound_callable(cls: type, name: str) -> object | None:
    """What ``cls.name`` is when called as ``cls.name(obj, ...)``, if it takes the receiver."""
    owner, raw = class_attribute(cls, name)
    return raw if owner is not None and takes_receiver(raw) else None


def top_package(module_name: str | None) -> str:
    """``pandas.core.frame`` -> ``pandas``; ``_io`` -> ``io`` (C accelerator modules)."""
    if not module_name:
        return ""
    return module_name.partition(".")[0].lstrip("_")


def safe_issubclass(cls: type, parent: type) -> bool:
    try:
        return issubclass(cls, parent)
    except Exception:  # a broken __subclasscheck__ must not break tracing
        return False
