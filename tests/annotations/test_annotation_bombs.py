"""Annotation packs built to explode are refused cheaply, with the file and the reason."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from linea_core.annotations.loader import AnnotationPackError, load_file

BILLION_LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (BILLION_LAUGHS, "expands to more than"),
        ("- " + "[" * 50_000 + "]" * 50_000 + "\n", "nest"),  # libyaml or linea refuses the depth
        ("# " + "x" * 6_000_000 + "\n", "characters long"),
    ],
    ids=["alias-bomb", "deep-nesting", "huge-file"],
)
def test_exploding_pack_is_refused_within_bounds(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "bomb.annotations.yaml"
    path.write_text(text)
    tracemalloc.start()
    try:
        with pytest.raises(AnnotationPackError) as info:
            load_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reason in str(info.value) and str(path) in str(info.value)
    # The ~10^9 expanded values never exist: memory stays near the file's own size.
    assert peak < 64 * 2**20 + 4 * len(text)
