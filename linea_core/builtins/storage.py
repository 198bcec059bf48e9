"""Core's storage backend "lineapy": files under ``artifact_storage_dir`` via fsspec.

``artifact_storage_dir`` may be a local path or any fsspec URL (``s3://bucket/dir``,
``gs://...``) and ``storage_options`` are passed to the filesystem, as in LineaPy.
Locations stored in the database are keys *relative* to ``artifact_storage_dir``, so
a database and its storage directory can be moved together.

Writes are atomic: bytes go to a hidden temporary name in the destination directory
and are then renamed onto the final key (on local disks after an fsync), so a reader
or a crash never sees a partially written value under its final name.

A plain local directory (no URL, or ``file://``) without ``storage_options`` is
handled with ``os`` directly, the same way: importing fsspec costs more than a small
traced script takes to run, and every ``save`` goes through here.
"""

from __future__ import annotations

import os
import posixpath
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from linea_core.errors import LineaError
from linea_core.plugins import StorageBackend, StoredValue, hookimpl

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

# The store passes the configured directory to backends under this option key.
STORAGE_DIR_OPTION = "artifact_storage_dir"
TEMP_PREFIX = ".tmp-"


class StorageKeyError(LineaError, ValueError):
    """A storage key that would leave the storage directory."""


class LocalStorageBackend:
    """Values as files under ``artifact_storage_dir`` (local disk or any fsspec URL)."""

    name = "lineapy"

    def write(self, key: str, data: bytes, *, options: Mapping[str, Any]) -> StoredValue:
        local = _local_root(options)
        if local is not None:
            _write_local(_join(local, key), data)
            return StoredValue(backend=self.name, location=key, metadata={"size": len(data)})
        fs, root = _filesystem(options)
        final = _join(root, key)
        directory = posixpath.dirname(final)
        fs.makedirs(directory, exist_ok=True)
        temporary = posixpath.join(
            directory, f"{TEMP_PREFIX}{uuid.uuid4().hex}-{posixpath.basename(final)}"
        )
        try:
            with fs.open(temporary, "wb") as stream:
                stream.write(data)
                if _is_local(fs):
                    stream.flush()
                    os.fsync(stream.fileno())
            fs.mv(temporary, final)
        except BaseException:
            try:
                fs.rm(temporary)
            except (FileNotFoundError, OSError):
                pass
            raise
        return StoredValue(backend=self.name, location=key, metadata={"size": len(data)})

    def read(self, stored: StoredValue, *, options: Mapping[str, Any]) -> bytes:
        local = _local_root(options)
        if local is not None:
            with open(_join(local, stored.location), "rb") as stream:
                return stream.read()
        fs, root = _filesystem(options)
        data: bytes = fs.cat_file(_join(root, stored.location))
        return data

    def delete(self, stored: StoredValue, *, options: Mapping[str, Any]) -> None:
        local = _local_root(options)
        if local is not None:
            try:
                os.remove(_join(local, stored.location))
            except FileNotFoundError:
                pass
            return
        fs, root = _filesystem(options)
        try:
            fs.rm(_join(root, stored.location))
        except FileNotFoundError:
            pass


def _root(options: Mapping[str, Any]) -> str:
    root = options.get(STORAGE_DIR_OPTION)
    if not root:
        raise LineaError(
            "The 'lineapy' storage backend needs artifact_storage_dir; set it with "
            "`linea --artifact-storage-dir DIR ...` or LINEA_ARTIFACT_STORAGE_DIR."
        )
    return str(root)


def _local_root(options: Mapping[str, Any]) -> str | None:
    """The absolute directory when plain file operations will do, else None (fsspec)."""
    root = _root(options)
    if any(key != STORAGE_DIR_OPTION for key in options):
        return None  # filesystem options are fsspec's to interpret
    if root.startswith("file://"):
        root = root[len("file://") :]
    elif "://" in root or "::" in root:
        return None
    return os.path.abspath(os.path.expanduser(root)).rstrip("/") or "/"


def _write_local(final: str, data: bytes) -> None:
    directory = os.path.dirname(final)
    os.makedirs(directory, exist_ok=True)
    temporary = os.path.join(
        directory, f"{TEMP_PREFIX}{uuid.uuid4().hex}-{os.path.basename(final)}"
    )
    try:
        with open(temporary, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, final)
    except BaseException:
        try:
            os.remove(temporary)
        except OSError:
            pass
        raise


def _filesystem(options: Mapping[str, Any]) -> tuple[AbstractFileSystem, str]:
    from fsspec.core import url_to_fs

    root = _root(options)
    fs_options = {k: v for k, v in options.items() if k != STORAGE_DIR_OPTION}
    fs, path = url_to_fs(os.path.expanduser(str(root)), **fs_options)
    return fs, path.rstrip("/")


def _join(root: str, key: str) -> str:
    """``root/key``, refusing keys that are absolute or climb out of ``root``."""
    parts = key.split("/")
    if (
        not key
        or key.startswith("/")
        or "\\" in key
        or any(part in ("", ".", "..") for part in parts)
        or any(part.startswith(TEMP_PREFIX) for part in parts)
    ):
        raise StorageKeyError(f"Storage key {key!r} is not a plain relative path.")
    return f"{root}/{key}"


def _is_local(fs: AbstractFileSystem) -> bool:
    from fsspec.implementations.local import LocalFileSystem

    return isinstance(fs, LocalFileSystem)


@hookimpl
def linea_register_storage_backends(register: Callable[[StorageBackend], None]) -> None:
    register(LocalStorageBackend())
