"""Validation of user-supplied artifact names and version arguments.

Names only ever live in the database (storage keys are random tokens), so the rules
here are about names being unambiguous in listings, shell commands and generated
pipeline code, and about defence in depth should a backend ever use them in a path:
no separators, no ``..``, no leading dot, nothing unprintable.

Names are stored in Unicode normal form C, and every lookup normalises the same way:
``"café"`` typed with a combining accent and with a precomposed ``é`` print the same
and are the same artifact. Messages quote at most :data:`DISPLAY_LENGTH` characters
of a name, so a pasted 10,000-character name does not flood the terminal.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from typing import Literal, SupportsIndex, TypeGuard, cast

from linea_core.store.errors import InvalidArtifactNameError, InvalidVersionError

MAX_NAME_LENGTH = 255
DISPLAY_LENGTH = 60

VersionSelector = int | Literal["latest", "all"]


def display_name(name: object) -> str:
    """``repr`` of a name for messages, shortened in the middle when it is long."""
    text = repr(name)
    if len(text) <= DISPLAY_LENGTH:
        return text
    keep = (DISPLAY_LENGTH - 5) // 2
    length = f" ({len(name)} characters)" if isinstance(name, str) else ""
    return f"{text[:keep]}[...]{text[-keep:]}{length}"


def normalize_name(name: str) -> str:
    """The stored form of a name: Unicode NFC (lookups use it too)."""
    return unicodedata.normalize("NFC", name)


def validate_artifact_name(name: object) -> str:
    """The normalised ``name`` if it is a usable artifact name, else raise with the reason."""
    if not isinstance(name, str):
        raise InvalidArtifactNameError(
            f"Artifact names must be strings, got {type(name).__name__}: {display_name(name)}."
        )
    name = normalize_name(name)
    problem = _name_problem(name)
    if problem:
        raise InvalidArtifactNameError(
            f"Invalid artifact name {display_name(name)}: {problem}. Use letters, digits, "
            "spaces and punctuation such as '_', '-' or '.', e.g. 'iris_model' or "
            "'sales-2024.v2'."
        )
    return name


def _name_problem(name: str) -> str | None:
    if not name:
        return "it is empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"it is {len(name)} characters long (at most {MAX_NAME_LENGTH})"
    if name != name.strip():
        return "it starts or ends with whitespace"
    if ".." in name:
        return "it contains '..'"
    if "/" in name or "\\" in name:
        return "it contains a path separator ('/' or '\\')"
    if name.startswith("."):
        return "it starts with '.'"
    for char in name:
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            return f"it contains the control or unprintable character {char!r}"
    return None


def parse_get_version(version: object) -> int | None:
    """Check ``get(..., version=)``: ``None`` (latest), ``"latest"`` or a non-negative int."""
    if version is None or version == "latest":
        return None
    return _as_version_number(version, accepted="an integer >= 0, None or 'latest'")


def parse_delete_version(version: object) -> VersionSelector:
    """Check ``delete(..., version=)``: a non-negative int, ``"latest"`` or ``"all"``."""
    if version in ("latest", "all"):
        return version
    return _as_version_number(version, accepted="an integer >= 0, 'latest' or 'all'")


# Versions are 32-bit integers in the database (both SQLite and PostgreSQL agree on it).
MAX_VERSION = 2**31 - 1


def _as_version_number(version: object, *, accepted: str) -> int:
    shown = display_name(version)
    # bool is an int subclass, but version=True is a mistake, not version 1.
    if isinstance(version, bool):
        raise InvalidVersionError(f"Invalid artifact version {shown}: expected {accepted}.")
    if isinstance(version, int):
        number = version
    elif isinstance(version, str) and re.fullmatch(r"[0-9]+", version.strip()):
        number = int(version.strip())  # the CLI passes versions as text
    elif _is_integer_like(version):
        number = operator.index(version)  # numpy.int64 & co
    else:
        raise InvalidVersionError(f"Invalid artifact version {shown}: expected {accepted}.")
    if number < 0:
        raise InvalidVersionError(f"Invalid artifact version {shown}: expected {accepted}.")
    if number > MAX_VERSION:
        raise InvalidVersionError(
            f"Invalid artifact version {shown}: versions go up to {MAX_VERSION}."
        )
    return number


def _is_integer_like(value: object) -> TypeGuard[SupportsIndex]:
    """Integers from numpy and pandas (``artifact_store().export`` in a DataFrame)."""
    if isinstance(value, float) or not hasattr(type(value), "__index__"):
        return False
    try:
        operator.index(cast("SupportsIndex", value))
    except TypeError:
        return False
    return True
