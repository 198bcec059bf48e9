"""The user's own annotation packs: the files in ``customized_annotation_folder``.

``linea annotate add/list/delete`` are thin wrappers around these functions. A pack is
validated before it is copied in, so the folder only ever holds packs that load; the
copy is written to a temporary file and renamed, so an interrupted ``add`` never leaves
half a pack behind.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from linea_core.annotations.loader import (
    PACK_SUFFIX,
    AnnotationPackError,
    LoadedPack,
    load_file,
    pack_name_from_path,
    user_pack_files,
)
from linea_core.errors import LineaError
from linea_core.support.atomic_files import write_bytes_atomically

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class UserPackError(LineaError):
    """A user pack cannot be added or deleted (bad name, name taken, not found)."""


@dataclass(frozen=True)
class UserPack:
    """One file in the folder; ``pack`` is None and ``error`` set when it does not load."""

    name: str
    path: Path
    pack: LoadedPack | None
    error: AnnotationPackError | None

    @property
    def modules(self) -> list[str]:
        return [entry.module for entry in self.pack.entries] if self.pack else []

    @property
    def annotation_count(self) -> int:
        return sum(len(entry.annotations) for entry in self.pack.entries) if self.pack else 0


def check_name(name: str) -> str:
    """The name itself if it can be a file name on every platform, else UserPackError."""
    if not _NAME.match(name) or name.endswith((".", ".yaml", ".yml")):
        raise UserPackError(
            f"'{name}' cannot be an annotation pack name: use letters, digits, '_', '-' "
            "and '.', starting with a letter or digit (e.g. pyperclip_annotations)"
        )
    return name


def add_user_pack(
    source: Path, folder: Path, name: str | None = None, *, force: bool = False
) -> Path:
    """Validate ``source`` and copy it into ``folder`` as ``NAME.annotations.yaml``.

    ``name`` defaults to the file's name without ``.annotations.yaml``. An existing pack
    of that name is replaced only with ``force``. Raises :class:`AnnotationPackError`
    (from the loader) for a malformed pack and :class:`UserPackError` otherwise.
    """
    name = check_name(name if name is not None else pack_name_from_path(source))
    load_file(source, name=name)  # raises with file, entry and reason
    existing = [path for path in user_pack_files(folder) if pack_name_from_path(path) == name]
    if existing and not force:
        raise UserPackError(
            f"an annotation pack named '{name}' already exists ({existing[0]}); "
            "use --force to replace it or choose another --name"
        )
    target = folder / f"{name}{PACK_SUFFIX}"
    write_bytes_atomically(target, source.read_bytes())
    for path in existing:
        if path != target:
            path.unlink(missing_ok=True)
    return target


def list_user_packs(folder: Path) -> list[UserPack]:
    """Every pack in ``folder`` with its validation result, in name order."""
    packs = []
    for path in user_pack_files(folder):
        try:
            loaded = load_file(path)
            packs.append(UserPack(loaded.name, path, loaded, None))
        except AnnotationPackError as exc:
            packs.append(UserPack(pack_name_from_path(path), path, None, exc))
    return packs


def delete_user_pack(name: str, folder: Path) -> list[Path]:
    """Delete the pack called ``name`` from ``folder``; returns the files removed."""
    files = user_pack_files(folder)
    matching = [path for path in files if pack_name_from_path(path) == name]
    if not matching:
        names = sorted({pack_name_from_path(path) for path in files})
        close = difflib.get_close_matches(name, names, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        known = f" Packs: {', '.join(names)}." if names else " There are no user packs."
        raise UserPackError(f"there is no annotation pack named '{name}' in {folder}.{hint}{known}")
    for path in matching:
        path.unlink()
    return matching
