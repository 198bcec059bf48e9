"""Which files are annotation packs, and what they are called.

Kept apart from the loader because every traced session lists the user's packs, while
the loader (validation, error reporting) is only needed when a pack has to be read.
"""

from __future__ import annotations

from pathlib import Path

PACK_SUFFIX = ".annotations.yaml"


def pack_name_from_path(path: Path) -> str:
    """``pyperclip.annotations.yaml`` -> ``pyperclip`` (also strips ``.yaml``/``.yml``)."""
    name = path.name
    for suffix in (PACK_SUFFIX, ".yaml", ".yml"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def user_pack_files(folder: Path | None) -> list[Path]:
    """The packs in the user's ``customized_annotation_folder``, in name order."""
    if folder is None or not folder.is_dir():
        return []
    files = [
        path
        for path in folder.iterdir()
        if path.is_file() and path.suffix in (".yaml", ".yml") and not path.name.startswith(".")
    ]
    return sorted(files, key=lambda path: path.name)
