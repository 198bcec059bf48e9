"""``linea artifacts gc``: leftovers and unreferenced values, locally and through fsspec."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click
import fsspec
from click.testing import CliRunner, Result

import linea_core
from linea_core.config.options import resolve_options
from linea_core.context import LineaContext, use_context
from linea_core.plugins.host import PluginHost


def _run(cli: click.Group, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _save(host: PluginHost, storage: str, **values: object) -> dict[str, str]:
    """Save values through the public API; name -> storage key."""
    options = resolve_options().with_value("artifact_storage_dir", storage)
    context = LineaContext(options, plugins=host)
    keys = {}
    with use_context(context):
        for name, value in values.items():
            artifact = linea_core.save(value, name)
            keys[name] = artifact.get_metadata()["lineapy"]["storage_path"]
    context.close()
    return keys


def _age(path: Path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_dry_run_lists_then_delete_removes_local_garbage(
    host: PluginHost, cli: click.Group, tmp_path: Path
) -> None:
    storage = tmp_path / "values"
    kept = _save(host, str(storage), kept=list(range(10)))
    orphan = storage / "ab" / ("ab" + "0" * 30)  # a value whose row never committed
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"x" * 2048)
    leftover = storage / "cd" / ".tmp-interrupted.abc"
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_bytes(b"y" * 100)
    stranger = storage / "notes.txt"  # not linea's: never touched
    stranger.write_text("mine")
    for path in (orphan, leftover):
        _age(path, 7200)

    dry = _run(cli, "--artifact-storage-dir", str(storage), "artifacts", "gc")
    assert dry.exit_code == 0
    assert "Would remove 2 file(s), 2.1 KiB" in dry.output
    assert "unreferenced value" in dry.output and "interrupted save" in dry.output
    assert "Nothing was removed" in dry.output
    assert orphan.exists() and leftover.exists()

    done = _run(cli, "--artifact-storage-dir", str(storage), "artifacts", "gc", "--delete")
    assert "Removed 2 file(s), 2.1 KiB." in done.output
    assert not orphan.exists() and not leftover.exists()
    assert stranger.read_text() == "mine" and Path(kept["kept"]).exists()
    again = _run(cli, "--artifact-storage-dir", str(storage), "artifacts", "gc")
    assert "Nothing to remove" in again.output


def test_recent_files_are_left_for_saves_in_progress(
    host: PluginHost, cli: click.Group, tmp_path: Path
) -> None:
    storage = tmp_path / "values"
    _save(host, str(storage), kept=1)
    fresh = storage / "ef" / ("ef" + "1" * 30)
    fresh.parent.mkdir(parents=True, exist_ok=True)
    fresh.write_bytes(b"z")
    out = _run(cli, "--artifact-storage-dir", str(storage), "artifacts", "gc", "--delete")
    assert "1 more unreferenced file(s) are younger than 1h" in out.output
    assert fresh.exists()
    out = _run(
        cli, "--artifact-storage-dir", str(storage), "artifacts", "gc", "--delete", "--min-age", "0"
    )
    assert "Removed 1 file(s)" in out.output and not fresh.exists()


def test_every_recorded_root_is_swept(host: PluginHost, cli: click.Group, tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    _save(host, str(old), early=[1])
    _save(host, str(new), late=[2])
    left = old / "aa" / ("aa" + "2" * 30)
    left.parent.mkdir(parents=True, exist_ok=True)
    left.write_bytes(b"old garbage")
    _age(left, 7200)
    out = _run(cli, "--artifact-storage-dir", str(new), "artifacts", "gc", "--delete")
    assert "Removed 1 file(s)" in out.output and not left.exists()
    context = LineaContext(resolve_options(), plugins=host)
    with use_context(context):
        assert linea_core.get("early").get_value() == [1]
        assert linea_core.get("late").get_value() == [2]
    context.close()


def test_fsspec_locations_are_collected_the_same_way(
    host: PluginHost, cli: click.Group, memory_root: str
) -> None:
    """Through fsspec, as S3 would be (memory:// stands in for it)."""
    kept = _save(host, memory_root, kept={"a": 1})
    memory = fsspec.filesystem("memory")
    orphan = f"{memory_root}/12/12{'3' * 30}"
    leftover = f"{memory_root}/12/.tmp-upload"
    memory.pipe(orphan, b"o" * 10)
    memory.pipe(leftover, b"t" * 5)
    args = ["--artifact-storage-dir", memory_root, "artifacts", "gc", "--min-age", "0"]
    dry = _run(cli, *args)
    assert "Would remove 2 file(s), 15 B" in dry.output
    done = _run(cli, *args, "--delete")
    assert "Removed 2 file(s), 15 B." in done.output
    assert not memory.exists(orphan) and not memory.exists(leftover)
    assert memory.exists(kept["kept"])


def test_bad_min_age_is_one_line(cli: click.Group) -> None:
    out = CliRunner().invoke(cli, ["artifacts", "gc", "--min-age", "soon"])
    assert out.exit_code == 2 and "is not a duration" in out.output
