"""The built-in "lineapy" backend: atomic streamed files under artifact_storage_dir, via fsspec."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import BinaryIO

import fsspec
import pytest
from store_helpers import stored_files, temporary_files

from linea_core.builtins.storage import (
    LocalStorageBackend,
    MissingFilesystemError,
    StorageKeyError,
    new_key,
)
from linea_core.plugins import CollectableStorage, StorageBackend, StoredValue
from linea_core.plugins.host import PluginHost
from linea_core.store.repository import Store


def _options(root: Path | str) -> dict[str, str]:
    return {"artifact_storage_dir": str(root)}


def _bytes(data: bytes):  # type: ignore[no-untyped-def]
    return lambda stream: stream.write(data)


def _read(backend: LocalStorageBackend, stored: StoredValue, options: dict[str, str]) -> bytes:
    with backend.open(stored, options=options) as stream:
        return stream.read()


def test_the_backend_meets_both_contracts() -> None:
    backend = LocalStorageBackend()
    assert isinstance(backend, StorageBackend) and isinstance(backend, CollectableStorage)


def test_write_read_delete(tmp_path: Path) -> None:
    backend = LocalStorageBackend()
    options = _options(tmp_path)
    stored = backend.write("ab/abc-1", _bytes(b"payload"), options=options)
    assert stored == StoredValue("lineapy", "ab/abc-1", {}, root=str(tmp_path))
    assert (tmp_path / "ab" / "abc-1").read_bytes() == b"payload"
    assert temporary_files(tmp_path) == []
    assert _read(backend, stored, options) == b"payload"
    backend.delete(stored, options=options)
    assert stored_files(tmp_path) == []
    backend.delete(stored, options=options)  # already gone: fine
    with pytest.raises(FileNotFoundError):
        backend.open(stored, options=options)


def test_keys_are_random_sharded_tokens() -> None:
    keys = {new_key() for _ in range(100)}
    assert len(keys) == 100
    for key in keys:
        shard, token = key.split("/")
        assert len(token) == 32 and token.startswith(shard)


@pytest.mark.parametrize(
    "key", ["../outside", "a/../../outside", "/etc/passwd", "a//b", "./a", "a\\b", "", ".tmp-x/y"]
)
def test_keys_cannot_leave_the_storage_dir(tmp_path: Path, key: str) -> None:
    root = tmp_path / "root"
    with pytest.raises(StorageKeyError, match="not a plain relative path"):
        LocalStorageBackend().write(key, _bytes(b"x"), options=_options(root))
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("root", ["local", "memory"])
def test_failed_fill_leaves_nothing_behind(tmp_path: Path, root: str) -> None:
    base = str(tmp_path) if root == "local" else f"memory://linea-{uuid.uuid4().hex}"

    def half_then_fail(stream: BinaryIO) -> None:
        stream.write(b"partial")
        raise RuntimeError("serializer broke")

    backend = LocalStorageBackend()
    with pytest.raises(RuntimeError, match="serializer broke"):
        backend.write("ab/abc", half_then_fail, options=_options(base))
    assert list(backend.entries(backend.root(options=_options(base)), options=_options(base))) == []


def test_missing_storage_dir_option_is_explained() -> None:
    with pytest.raises(Exception, match="needs artifact_storage_dir"):
        LocalStorageBackend().write("ab/abc", _bytes(b"x"), options={})


def test_missing_fsspec_package_names_it() -> None:
    options = {"artifact_storage_dir": "gs://bucket/values", "token": "anon"}
    with pytest.raises(MissingFilesystemError) as info:
        LocalStorageBackend().write("ab/abc", _bytes(b"x"), options=options)
    message = str(info.value)
    assert "pip install gcsfs" in message and "\n" not in message


def test_any_fsspec_url_works_as_storage_dir(
    plugins: PluginHost, sqlite_url: str, memory_root: str
) -> None:
    store = Store.open(
        sqlite_url,
        artifact_storage_dir=memory_root,
        serializers=plugins.serializers(),
        backends=plugins.storage_backends(),
    )
    try:
        record = store.save_artifact("in_memory_fs", {"a": [1, 2]})
        assert store.load_value(store.get_artifact("in_memory_fs")) == {"a": [1, 2]}
        assert record.value is not None and record.value.root == memory_root
        memory = fsspec.filesystem("memory")
        assert memory.exists(f"{memory_root}/{record.value.location}")
        store.delete_artifacts("in_memory_fs", "all")
        assert not memory.exists(f"{memory_root}/{record.value.location}")
    finally:
        store.close()


def test_database_and_storage_move_together(plugins: PluginHost, tmp_path: Path) -> None:
    """Locations are also tried relative to the configured directory, so both can move."""
    old = tmp_path / "old"
    store = Store.open(
        f"sqlite:///{old / 'db.sqlite'}",
        artifact_storage_dir=str(old / "values"),
        serializers=plugins.serializers(),
        backends=plugins.storage_backends(),
    )
    store.save_artifact("portable", [1, 2, 3])
    store.close()
    new = tmp_path / "new"
    shutil.move(old, new)
    moved = Store.open(
        f"sqlite:///{new / 'db.sqlite'}",
        artifact_storage_dir=str(new / "values"),
        serializers=plugins.serializers(),
        backends=plugins.storage_backends(),
    )
    try:
        assert moved.load_value(moved.get_artifact("portable")) == [1, 2, 3]
        moved.delete_artifacts("portable", "all")
        assert stored_files(new / "values") == []
    finally:
        moved.close()
