"""Snapshot tests of generated files: the text a writer renders, compared file by file
with a folder of expected files kept next to the tests.

A writer's output should change only on purpose. When it does, regenerate the
snapshots and review the diff like any other change::

    LINEA_UPDATE_SNAPSHOTS=1 pytest plugins/linea_airflow/tests

Generated files name the versions a session was traced with (requirements) and the
Python it ran on (Dockerfile base images), which differ between machines; pin them in
the model first (:func:`pinned_versions`) so the snapshots hold on every machine.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linea_core.pipeline import Pipeline, PipelineFile

UPDATE_ENV = "LINEA_UPDATE_SNAPSHOTS"


def pinned_versions(
    pipeline: Pipeline, versions: Mapping[str, str] | None = None, python: str = "3.11"
) -> Pipeline:
    """``pipeline`` with fixed requirement versions (``versions`` by distribution,
    default ``1.0.0``) and Python version, for snapshots that hold on any machine."""
    requirements = tuple(
        dataclasses.replace(r, version=(versions or {}).get(r.distribution, "1.0.0"))
        for r in pipeline.requirements
    )
    return dataclasses.replace(pipeline, requirements=requirements, python_version=python)


def assert_snapshot(files: Mapping[str, PipelineFile] | Mapping[str, str], folder: Path) -> None:
    """Compare generated ``files`` (path -> PipelineFile or text) with ``folder``.

    Every file must match and no expected file may be missing or extra. With
    ``LINEA_UPDATE_SNAPSHOTS=1`` the folder is rewritten instead (and the test passes).
    """
    texts = {
        path: item if isinstance(item, str) else _text(item.content) for path, item in files.items()
    }
    if os.environ.get(UPDATE_ENV):
        _write(texts, folder)
        return
    if not folder.is_dir():
        raise AssertionError(
            f"no snapshot at {folder}; create it with {UPDATE_ENV}=1 and review the files"
        )
    expected = {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    problems = []
    for path in sorted(set(expected) | set(texts)):
        if path not in texts:
            problems.append(f"{path}: in the snapshot but not generated")
        elif path not in expected:
            problems.append(f"{path}: generated but not in the snapshot")
        elif texts[path] != expected[path]:
            diff = difflib.unified_diff(
                expected[path].splitlines(keepends=True),
                texts[path].splitlines(keepends=True),
                f"snapshot/{path}",
                f"generated/{path}",
            )
            problems.append("".join(diff))
    if problems:
        raise AssertionError(
            f"generated files differ from the snapshot in {folder} (if the change is "
            f"intended, rerun with {UPDATE_ENV}=1 and review the diff):\n" + "\n".join(problems)
        )


def _text(content: str | bytes) -> str:
    return content if isinstance(content, str) else content.decode("utf-8")


def _write(texts: Mapping[str, str], folder: Path) -> None:
    if folder.is_dir():
        for old in sorted(folder.rglob("*"), reverse=True):
            if old.is_file():
                old.unlink()
            elif old.is_dir():
                old.rmdir()
    for path, text in texts.items():
        target = folder.joinpath(*PurePosixPath(path).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
