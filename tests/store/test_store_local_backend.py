"""The built-in "lineapy" backend: atomic files under artifact_storage_dir, via fsspec."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import fsspec
import pytest
from store_helpers import stored_files, temporary_files

from linea_core.builtins.storage import LocalStorageBackend, StorageKeyError
from linea_core.plugins import StoredValue
from linea_core.plugins.host import PluginHost
from linea_core.store.repository import Store


def _options(root: Path | str) -> dict[str, str]:
    return {"artifact_storage_dir": str(root)}


def test_write_read_delete(tmp_path: Path) -> None:
    backend = LocalStorageBackend()
    stored = backend.write("ab/abc-1", b"payload", options=_options(tmp_path))
    assert stored == StoredValue("lineapy", "ab/abc-1", {"size": 7})
    assert (tmp_path / "ab" / "abc-1").read_bytes() == b"payload"
    assert temporary_files(tmp_path) == []
    assert backend.read(stored, options=_options(tmp_path)) == b"payload"
    backend.delete(stored, options=_options(tmp_path))
    assert stored_files(tmp_path) == []
    backend.delete(stored, options=_options(tmp_path))  # already gone: fine
    with pytest.raises(FileNotFoundError):
        backend.read(stored, options=_options(tmp_path))


@pytest.mark.parametrize(
    "key", ["../outside", "a/../../outside", "/etc/passwd", "a//b", "./a", "a\\b", "", ".tmp-x/y"]
)
def test_keys_cannot_leave_the_storage_dir(tmp_path: Path, key: str) -> None:
    root = tmp_path / "root"
    with pytest.raises(StorageKeyError, match="not a plain relative path"):
        LocalStorageBackend().write(key, b"x", options=_options(root))
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        LocalStorageBackend().write("ab/abc", "not bytes", options=_options(tmp_path))  # type: ignore[arg-type]
    assert temporary_files(tmp_path) == [] and stored_files(tmp_path) == []


def test_missing_storage_dir_option_is_explained() -> None:
    with pytest.raises(Exception, match="needs artifact_storage_dir"):
        LocalStorageBackend().write("ab/abc", b"x", options={})


def test_any_fsspec_url_works_as_storage_dir(plugins: PluginHost, sqlite_url: str) -> None:
    root = f"memory://linea-{uuid.uuid4().hex}"
    store = Store.open(
        sqlite_url,
        artifact_storage_dir=root,
        serializers=plugins.serializers(),
        backends=plugins.storage_backends(),
    )
    try:
        record = store.save_artifact("in_memory_fs", {"a": [1, 2]})
        assert store.load_value(store.get_artifact("in_memory_fs")) == {"a": [1, 2]}
        assert record.value is not None
        memory = fsspec.filesystem("memory")
        assert memory.exists(f"{root}/{record.value.location}")
        store.delete_artifacts("in_memory_fs", "all")
        assert not memory.exists(f"{root}/{record.value.location}")
    finally:
        store.close()
        fsspec.filesystem("memory").rm(root, recursive=True)


def test_database_and_storage_move_together(plugins: PluginHost, tmp_path: Path) -> None:
    """Locations are relative to artifact_storage_dir, so both can be relocated."""
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
    finally:
        moved.close()
