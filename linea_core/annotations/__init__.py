"""Annotation packs: what library calls do to their receiver, arguments and the world.

``spec`` is the YAML format (LineaPy's, plus a pure-call extension), ``loader`` reads
and validates packs, ``records`` and ``rules`` compile them into lookup rules,
``pack_cache`` keeps the compiled rules on disk between sessions (``rule_codec`` is
their stored form), ``index`` answers the capture engine's per-call question, and
``effects`` holds the answer's types. See ``docs/annotations.md``.

Names are exported lazily so that importing this package stays cheap (the spec needs
pydantic; the hot path does not).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers and editors see; a test keeps it in step with _LAZY
    from linea_core.annotations.effects import CallEffects as CallEffects
    from linea_core.annotations.effects import Effects as Effects
    from linea_core.annotations.effects import Ref as Ref
    from linea_core.annotations.effects import resolve as resolve
    from linea_core.annotations.index import AnnotationIndex as AnnotationIndex
    from linea_core.annotations.index import AnnotationPackWarning as AnnotationPackWarning
    from linea_core.annotations.loader import AnnotationPackError as AnnotationPackError
    from linea_core.annotations.loader import LoadedPack as LoadedPack
    from linea_core.annotations.loader import load_file as load_file
    from linea_core.annotations.loader import load_pack as load_pack
    from linea_core.annotations.loader import parse_pack_text as parse_pack_text

_LAZY: dict[str, str] = {
    "AnnotationIndex": "linea_core.annotations.index",
    "AnnotationPackWarning": "linea_core.annotations.index",
    "CallEffects": "linea_core.annotations.effects",
    "Effects": "linea_core.annotations.effects",
    "Ref": "linea_core.annotations.effects",
    "resolve": "linea_core.annotations.effects",
    "AnnotationPackError": "linea_core.annotations.loader",
    "LoadedPack": "linea_core.annotations.loader",
    "load_file": "linea_core.annotations.loader",
    "load_pack": "linea_core.annotations.loader",
    "parse_pack_text": "linea_core.annotations.loader",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
