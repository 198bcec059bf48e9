"""Failures a user can cause or meet are one line saying what to do, never a traceback."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from linea_core.builtins.storage import MissingFilesystemError
from linea_core.cli.main import make_cli
from linea_core.plugins.host import PluginHost
from linea_core.store.errors import StoreError, StoreReadOnlyError
from linea_core.store.repository import Store


def _open(url: str, storage: Path | str, plugins: PluginHost) -> Store:
    return Store.open(
        url,
        artifact_storage_dir=str(storage),
        serializers=plugins.serializers(),
        backends=plugins.storage_backends(),
    )


def _one_line(exc: BaseException) -> str:
    message = str(exc)
    assert "\n" not in message and message, message
    return message


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_database_server_down(plugins: PluginHost, tmp_path: Path) -> None:
    url = f"postgresql://me:hunter2secret@127.0.0.1:{_free_port()}/linea"
    with pytest.raises(StoreError) as info:
        _open(url, tmp_path, plugins)
    message = _one_line(info.value)
    assert "Cannot connect to the database postgresql+psycopg://me:***@127.0.0.1" in message
    assert "server is running" in message and "hunter2secret" not in message


def test_not_a_sqlite_file(plugins: PluginHost, tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database\n" * 200)
    with pytest.raises(StoreError) as info:
        _open(f"sqlite:///{path}", tmp_path / "values", plugins)
    assert "is not a SQLite database" in _one_line(info.value)
    assert path.read_text().startswith("these are my notes")  # nothing overwritten


def test_malformed_database_pages(plugins: PluginHost, tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    store = _open(f"sqlite:///{path}", tmp_path / "values", plugins)
    for number in range(200):
        store.save_artifact(f"artifact-{number}", number, metadata={"pad": "x" * 500})
    store.close()
    with sqlite3.connect(path) as raw:  # fold the WAL in, so the pages are in the file
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    for page in range(2, len(data) // page_size):
        data[page * page_size : page * page_size + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as info:
        damaged = _open(f"sqlite:///{path}", tmp_path / "values", plugins)
        damaged.list_artifacts()
    assert "is damaged" in _one_line(info.value) and ".recover" in str(info.value)


def test_missing_filesystem_package_names_it(plugins: PluginHost, sqlite_url: str) -> None:
    store = _open(sqlite_url, "gs://bucket/linea-values", plugins)
    try:
        with pytest.raises(MissingFilesystemError) as info:
            store.save_artifact("x", 1)
    finally:
        store.close()
    assert "pip install gcsfs" in _one_line(info.value)
    assert store.list_artifacts() == []


@pytest.fixture
def immutable() -> Iterator[list[Path]]:
    """Paths made immutable with chattr (root ignores permission bits; not this flag)."""
    paths: list[Path] = []
    yield paths
    for path in reversed(paths):
        subprocess.run(["chattr", "-i", str(path)], check=False)


def _freeze(paths: list[Path], *targets: Path) -> None:
    for target in targets:
        subprocess.run(["chattr", "+i", str(target)], check=True)
        paths.append(target)


def test_read_only_store_reads_and_refuses_writes_in_one_line(
    plugins: PluginHost, tmp_path: Path, immutable: list[Path]
) -> None:
    folder, storage = tmp_path / "archive", tmp_path / "archive" / "values"
    url = f"sqlite:///{folder / 'db.sqlite'}"
    store = _open(url, storage, plugins)
    store.save_artifact("kept", {"v": 1})
    store.close()
    files = [p for p in folder.rglob("*") if p.is_file()]
    _freeze(immutable, *files, *[p for p in folder.rglob("*") if p.is_dir()], folder)

    archive = _open(url, storage, plugins)
    try:
        assert archive.load_value(archive.get_artifact("kept")) == {"v": 1}
        assert [r.name for r in archive.list_artifacts()] == ["kept"]
        with pytest.raises(StoreReadOnlyError) as info:
            archive.save_artifact("new", 2)
        assert "read-only" in _one_line(info.value)
        with pytest.raises(StoreReadOnlyError):
            archive.delete_artifacts("kept", "all")
    finally:
        archive.close()


def test_cli_reports_store_errors_as_one_line(tmp_path: Path) -> None:
    path = tmp_path / "not-a-db"
    path.write_bytes(b"\x00garbage" * 1000)
    result = CliRunner().invoke(
        make_cli(), ["--database-url", f"sqlite:///{path}", "artifacts", "list"]
    )
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "is not a SQLite database" in result.output


def test_non_utf8_config_file_is_one_line(linea_home: Path) -> None:
    linea_home.mkdir(parents=True, exist_ok=True)
    (linea_home / "linea_config.json").write_bytes(
        '{"logging_level": "DEBUG", "note": "caf\u00e9"}'.encode("latin-1")
    )
    result = CliRunner().invoke(make_cli(), ["artifacts", "list"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "is not UTF-8 text (byte 0xe9" in result.output and "Save it as UTF-8" in result.output
