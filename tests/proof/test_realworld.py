"""The real-world corpus (tests/realworld): every chosen value's slice, run alone, is sound.

Not in the ``engine`` suite: it runs scikit-learn, SciPy and matplotlib scripts under the
real CLI (seconds each), so it runs once, on the main Python. A script whose slices are
known to be unsound on main names them in MANIFEST.json (``known_unsound``) and is
``xfail(strict=True)``: it fails the day those slices become sound, so the entry goes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from proof_client import Worker
from realworld import Script, check_script, load_manifest

SCRIPTS = load_manifest()


@pytest.fixture(scope="session")
def heavy_runner() -> Iterator[Worker]:
    worker = Worker("heavy")
    yield worker
    worker.close()


def _param(script: Script) -> object:
    marks = []
    if script.known_unsound:
        reason = "; ".join(f"{n}: {why}" for n, why in sorted(script.known_unsound.items()))
        marks.append(pytest.mark.xfail(strict=True, reason=reason))
    return pytest.param(script, id=script.name, marks=marks)


@pytest.mark.parametrize("script", [_param(s) for s in SCRIPTS])
def test_real_script_slices_are_sound(
    script: Script, tmp_path: Path, heavy_runner: Worker, tracer: Worker
) -> None:
    assert script.saves, f"{script.name}: no value chosen to save"
    outcome = check_script(script, tmp_path, heavy_runner, tracer)
    assert outcome.error is None, outcome.error
    assert not outcome.unsound, "\n\n".join(f"{n}: {w}" for n, w in outcome.unsound.items())


def test_corpus_is_large_and_licensed() -> None:
    """At least 30 scripts, each with its source and a licence text on file."""
    import json

    from realworld import MANIFEST, REALWORLD

    manifest = json.loads(MANIFEST.read_text())
    assert len(SCRIPTS) >= 30
    for source in manifest["sources"]:
        assert (REALWORLD / source["licence_file"]).is_file(), source
        assert len(source["commit"]) == 40
    known = {s["repo"] for s in manifest["sources"]}
    for script in manifest["scripts"]:
        assert script["repo"] in known and script["path"].endswith(".py")
        assert (REALWORLD / f"{script['name']}.py").is_file()
