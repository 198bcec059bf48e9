"""Validation of user-supplied artifact names and version arguments.

Names only ever live in the database (storage keys come from content hashes), so
the rules here are about names being unambiguous in listings, shell commands and
generated pipeline code, and about defence in depth should a backend ever use them
in a path: no separators, no ``..``, no leading dot, nothing unprintable.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from linea_core.store.errors import InvalidArtifactNameError, InvalidVersionError

MAX_NAME_LENGTH = 255

VersionSelector = int | Literal["latest", "all"]


def validate_artifact_name(name: object) -> str:
    """Return ``name`` if it is a usable artifact name, else raise with the reason."""
    if not isinstance(name, str):
        raise InvalidArtifactNameError(
            f"Artifact names must be strings, got {type(name).__name__}: {name!r}."
        )
    problem = _name_problem(name)
    if problem:
        raise InvalidArtifactNameError(
            f"Invalid artifact name {name!r}: {problem}. Use letters, digits, spaces and "
            "punctuation such as '_', '-' or '.', e.g. 'iris_model' or 'sales-2024.v2'."
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


def _as_version_number(version: object, *, accepted: str) -> int:
    # bool is an int subclass, but version=True is a mistake, not version 1.
    if isinstance(version, int) and not isinstance(version, bool):
        number = version
    elif isinstance(version, str) and re.fullmatch(r"[0-9]+", version.strip()):
        number = int(version.strip())  # the CLI passes versions as text
    else:
        raise InvalidVersionError(f"Invalid artifact version {version!r}: expected {accepted}.")
    if number < 0:
        raise InvalidVersionError(f"Invalid artifact version {version!r}: expected {accepted}.")
    return number
