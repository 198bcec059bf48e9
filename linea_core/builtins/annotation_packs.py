"""Core's annotation packs, registered through the same hook as any plugin's.

One pack per library family, so that each can be listed, replaced or left out on its
own; a pack for a library that is not imported costs nothing at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from linea_core.plugins import AnnotationPack, hookimpl

PACKS_DIR = Path(__file__).resolve().parent.parent / "annotations" / "packs"

# pack name -> file in PACKS_DIR
CORE_PACKS: dict[str, str] = {
    "builtins": "builtins.annotations.yaml",
    "stdlib": "stdlib.annotations.yaml",
    "numpy": "numpy.annotations.yaml",
    "pandas": "pandas.annotations.yaml",
    "matplotlib": "matplotlib.annotations.yaml",
}


def core_packs() -> list[AnnotationPack]:
    """The packs core ships, in the order they are applied."""
    return [AnnotationPack(name=name, path=PACKS_DIR / file) for name, file in CORE_PACKS.items()]


@hookimpl
def linea_register_annotation_packs(register: Callable[[AnnotationPack], None]) -> None:
    for pack in core_packs():
        register(pack)
