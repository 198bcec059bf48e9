"""The one atomic local write (linea_core.support.atomic_files) that every file linea
writes goes through: store values, annotation packs and their cache, linea_config.json,
generated pipeline files and lineage pictures."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from linea_core.support.atomic_files import write_atomically, write_bytes_atomically

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")


@pytest.fixture
def umask_027() -> Iterator[None]:
    previous = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_files_get_the_permissions_a_plain_write_would(tmp_path: Path, umask_027: None) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    atomic = tmp_path / "sub" / "atomic.txt"
    write_bytes_atomically(atomic, b"x")
    assert atomic.read_bytes() == b"x"
    assert mode(atomic) == mode(plain) == 0o640  # not mkstemp's private 0o600


@posix_only
def test_an_executable_file_is_executable_by_whoever_may_read_it(
    tmp_path: Path, umask_027: None
) -> None:
    target = tmp_path / "run.sh"
    write_bytes_atomically(target, b"#!/bin/sh\n", executable=True)
    assert mode(target) == 0o750


def test_a_failed_write_keeps_the_old_content_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "value.bin"
    write_bytes_atomically(target, b"old")

    def explode(stream: BinaryIO) -> None:
        stream.write(b"half of the new")
        raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError, match="disk gone"):
        write_atomically(target, explode)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["value.bin"]


def test_the_temporary_carries_the_callers_prefix(tmp_path: Path) -> None:
    """``linea artifacts gc`` recognises interrupted writes by their prefix."""
    seen: list[str] = []

    def fill(stream: BinaryIO) -> None:
        seen.extend(p.name for p in tmp_path.iterdir())
        stream.write(b"v")

    write_atomically(tmp_path / "value", fill, prefix=".partial-")
    [temporary] = seen
    assert temporary.startswith(".partial-value.")
    assert [p.name for p in tmp_path.iterdir()] == ["value"]
