"""linea plugin: registers the scikit-learn annotation pack."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from linea_core.plugins import AnnotationPack, hookimpl

PACK = Path(__file__).with_name("sklearn.annotations.yaml")


@hookimpl
def linea_register_annotation_packs(register: Callable[[AnnotationPack], None]) -> None:
    register(AnnotationPack(name="sklearn", path=PACK))
