"""Python identifiers for artifact, pipeline and function names.

Artifact names may hold spaces, dashes and dots ("iris model", "sales-2024.v2");
generated code needs identifiers, and two artifacts must never map to one name.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Iterable

_NOT_WORD = re.compile(r"[^0-9a-zA-Z_]+")


def identifier(name: str, *, fallback: str = "artifact") -> str:
    """``name`` as a lower-case Python identifier: ``"Iris model-v2"`` -> ``"iris_model_v2"``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = _NOT_WORD.sub("_", ascii_name).strip("_").lower()
    text = re.sub(r"_+", "_", text)
    if not text:
        text = fallback
    if text[0].isdigit():
        text = f"{fallback}_{text}"
    if keyword.iskeyword(text):
        text = f"{text}_"
    return text


def unique(base: str, taken: Iterable[str]) -> str:
    """``base``, or ``base_2``, ``base_3``... whichever is not in ``taken``."""
    used = set(taken)
    if base not in used:
        return base
    number = 2
    while f"{base}_{number}" in used:
        number += 1
    return f"{base}_{number}"
