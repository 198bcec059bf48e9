"""Fixtures for the annotation tests: packs from YAML text, and an index of core packs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from annotation_kit import pack

from linea_core.annotations.index import AnnotationIndex
from linea_core.builtins.annotation_packs import core_packs


@pytest.fixture
def index_of() -> Callable[..., AnnotationIndex]:
    """Build an index from YAML texts (later texts are later packs)."""

    def build(*texts: str) -> AnnotationIndex:
        return AnnotationIndex.from_loaded([pack(text, f"p{n}") for n, text in enumerate(texts)])

    return build


@pytest.fixture(scope="module")
def core_index(tmp_path_factory: pytest.TempPathFactory) -> AnnotationIndex:
    """All core packs, as a session would load them: from the compiled-rules cache.

    The cache folder is explicit: a module-scoped fixture is set up before the
    autouse ``linea_home`` fixture, so the default (``<home_dir>/cache``) would be the
    real user's home.
    """
    cache = tmp_path_factory.mktemp("annotation-cache")
    first = AnnotationIndex.from_packs(core_packs(), cache_dir=cache)
    assert first.cache_outcome == "rebuilt"
    index = AnnotationIndex.from_packs(core_packs(), cache_dir=cache)
    assert index.cache_outcome == "hit"
    return index
