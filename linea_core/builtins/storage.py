"""Core's storage backend "lineapy": files under ``artifact_storage_dir``, locally or via fsspec.

``artifact_storage_dir`` may be a local path or any fsspec URL (``s3://bucket/dir``,
``gs://...``, ``memory://...``) and ``storage_options`` are passed to the filesystem,
as in LineaPy. A value's key is a random token (``ab/ab12...``), never derived from an
artifact name. The directory in force when a value was written is recorded with it
(:attr:`StoredValue.root`), so changing ``artifact_storage_dir`` later does not orphan
it; reading falls back to the configured directory, so a database and its storage
directory can also be moved together.

Writes are atomic: on a local disk the serializer streams into a hidden temporary file
that is renamed onto the key; on an object store (S3, GCS, Azure, memory) it streams to
the key directly as an upload that is committed only once the serializer has finished
and thrown away otherwise (see :func:`_upload`). Either way a reader never sees part of
a value under its key. There is no ``fsync``: the store
checks size and content hash on every load, so a value torn by a power failure is
reported, never returned.

A plain local directory (no URL, or ``file://``) without ``storage_options`` is
handled with ``os`` directly: importing fsspec costs more than a small traced script
takes to run, and every ``save`` goes through here.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, BinaryIO

from linea_core.builtins.multipart import MultipartUpload
from linea_core.errors import LineaError
from linea_core.plugins import StorageBackend, StorageEntry, StoredValue, hookimpl
from linea_core.support.atomic_files import TEMP_PREFIX, write_atomically
from linea_core.support.secrets import mask_url

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

# The store passes the configured directory to backends under this option key.
STORAGE_DIR_OPTION = "artifact_storage_dir"
# Protocols whose uploads are atomic: an object appears only once fully written.
_OBJECT_STORES = frozenset({"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "adl", "memory"})
_SHARD = re.compile(r"^[0-9a-f]{2}$")
# Part size of object-store uploads through fsspec's files (see _upload).
UPLOAD_PART_SIZE = 16 << 20
# Current keys (a uuid4 token) and those of earlier linea versions (sha256-token).
_VALUE_NAME = re.compile(r"^(?:[0-9a-f]{32}|[0-9a-f]{64}-[0-9a-f]{16})$")


class StorageKeyError(LineaError, ValueError):
    """A storage key that would leave the storage directory."""


class MissingFilesystemError(LineaError, ImportError):
    """The fsspec implementation for an ``artifact_storage_dir`` URL is not installed."""


def new_key() -> str:
    """A fresh key for one value: ``ab/ab12...`` (a random token, sharded by its start)."""
    token = uuid.uuid4().hex
    return f"{token[:2]}/{token}"


class LocalStorageBackend:
    """Values as files under ``artifact_storage_dir`` (local disk or any fsspec URL)."""

    name = "lineapy"

    def root(self, *, options: Mapping[str, Any]) -> str:
        local = _local_root(options)
        return local if local is not None else mask_url(_root(options).rstrip("/"))

    def write(
        self, key: str, fill: Callable[[BinaryIO], None], *, options: Mapping[str, Any]
    ) -> StoredValue:
        root = self.root(options=options)
        local = _local_root(options)
        if local is not None:
            write_atomically(_join(local, key), fill)
            return StoredValue(backend=self.name, location=key, root=root)
        fs, base = _filesystem(_root(options), options)
        final = _join(base, key)
        if _protocol(fs) in _OBJECT_STORES:
            # No makedirs: object stores have no folders, and s3fs's would create a
            # missing bucket, turning a typo in artifact_storage_dir into a new bucket.
            _upload(fs, final, fill, options)
            return StoredValue(backend=self.name, location=key, root=root)
        fs.makedirs(posixpath.dirname(final), exist_ok=True)
        target = posixpath.join(
            posixpath.dirname(final), f"{TEMP_PREFIX}{uuid.uuid4().hex}-{key.split('/')[-1]}"
        )
        try:
            with fs.open(target, "wb") as stream:
                fill(stream)
            fs.mv(target, final)
        except BaseException:
            _remove_quietly(fs, target)
            raise
        return StoredValue(backend=self.name, location=key, root=root)

    def open(self, stored: StoredValue, *, options: Mapping[str, Any]) -> BinaryIO:
        missing: FileNotFoundError | None = None
        for root in _candidate_roots(stored, options):
            try:
                return _open_at(root, stored.location, options)
            except FileNotFoundError as exc:
                missing = missing or exc
        raise missing or FileNotFoundError(stored.location)

    def delete(self, stored: StoredValue, *, options: Mapping[str, Any]) -> None:
        for root in _candidate_roots(stored, options):
            if _delete_at(root, stored.location, options):
                return

    # -- CollectableStorage: what `linea artifacts gc` uses ----------------------------

    def entries(self, root: str, *, options: Mapping[str, Any]) -> Iterator[StorageEntry]:
        if _is_local_path(root, options):
            yield from _local_entries(_local_path(root))
            return
        fs, base = _filesystem(_real_root(root, options), options)
        if not fs.exists(base):
            return
        for path, info in fs.find(base, detail=True).items():
            relative = path[len(base) :].lstrip("/")
            entry = _entry(relative, int(info.get("size") or 0), _modified(info))
            if entry is not None:
                yield entry

    def discard(self, root: str, key: str, *, options: Mapping[str, Any]) -> None:
        if _is_local_path(root, options):
            try:
                os.remove(_join(_local_path(root), key, allow_temporary=True))
            except FileNotFoundError:
                pass
            return
        fs, base = _filesystem(_real_root(root, options), options)
        _remove_quietly(fs, _join(base, key, allow_temporary=True))


# -- locations ---------------------------------------------------------------------------


def _root(options: Mapping[str, Any]) -> str:
    root = options.get(STORAGE_DIR_OPTION)
    if not root:
        raise LineaError(
            "The 'lineapy' storage backend needs artifact_storage_dir; set it with "
            "`linea --artifact-storage-dir DIR ...` or LINEA_ARTIFACT_STORAGE_DIR."
        )
    return str(root)


def _has_fs_options(options: Mapping[str, Any]) -> bool:
    return any(key != STORAGE_DIR_OPTION for key in options)


def _is_local_path(root: str, options: Mapping[str, Any]) -> bool:
    if _has_fs_options(options) and not root.startswith("/"):
        return False
    return root.startswith("file://") or not ("://" in root or "::" in root)


def _local_path(root: str) -> str:
    if root.startswith("file://"):
        root = root[len("file://") :]
    return os.path.abspath(os.path.expanduser(root)).rstrip("/") or "/"


def _local_root(options: Mapping[str, Any]) -> str | None:
    """The absolute directory when plain file operations will do, else None (fsspec)."""
    root = _root(options)
    if _has_fs_options(options):
        return None  # filesystem options are fsspec's to interpret
    return _local_path(root) if _is_local_path(root, options) else None


def _real_root(recorded: str, options: Mapping[str, Any]) -> str:
    """A recorded (credential-free) root as a usable URL: the configured one if they match."""
    configured = options.get(STORAGE_DIR_OPTION)
    if configured and mask_url(str(configured).rstrip("/")) == recorded:
        return str(configured)
    return recorded


def _candidate_roots(stored: StoredValue, options: Mapping[str, Any]) -> list[str]:
    """Where to look for a value: where it was written, then the configured directory."""
    configured = _root(options)
    roots = [_real_root(stored.root, options)] if stored.root else []
    if not roots or roots[0] != configured:
        roots.append(configured)
    return roots


def _open_at(root: str, key: str, options: Mapping[str, Any]) -> BinaryIO:
    if _is_local_path(root, options):
        return open(_join(_local_path(root), key), "rb")  # noqa: SIM115 - the caller closes it
    fs, base = _filesystem(root, options)
    path = _join(base, key)
    if not fs.exists(path):
        raise FileNotFoundError(path)
    return fs.open(path, "rb")  # type: ignore[no-any-return]


def _delete_at(root: str, key: str, options: Mapping[str, Any]) -> bool:
    """Remove ``root/key``; False if it was not there."""
    if _is_local_path(root, options):
        try:
            os.remove(_join(_local_path(root), key))
        except FileNotFoundError:
            return False
        return True
    fs, base = _filesystem(root, options)
    path = _join(base, key)
    if not fs.exists(path):
        return False
    _remove_quietly(fs, path)
    return True


def _filesystem(root: str, options: Mapping[str, Any]) -> tuple[AbstractFileSystem, str]:
    from fsspec.core import url_to_fs

    # Fresh containers each time: botocore rewrites a `config_kwargs` "retries" dict in
    # place, so passing linea's own would change fsspec's cache key after the first
    # save, and every later save would build a second filesystem and S3 client (about
    # 15 MB of botocore's service model, and new connections).
    fs_options = {k: _fresh(v) for k, v in options.items() if k != STORAGE_DIR_OPTION}
    try:
        fs, path = url_to_fs(os.path.expanduser(root), **fs_options)
    except ImportError as exc:
        raise MissingFilesystemError(_missing_package_message(root, exc)) from None
    except ValueError as exc:
        if "Protocol not known" in str(exc):
            raise MissingFilesystemError(
                f"artifact_storage_dir {mask_url(root)!r} uses a URL scheme no installed "
                "fsspec filesystem knows; check the URL or install the package for it."
            ) from None
        raise
    return fs, path.rstrip("/")


def _fresh(value: Any) -> Any:
    """``value`` with its dicts and lists copied (anything else is shared as it is)."""
    if isinstance(value, dict):
        return {key: _fresh(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_fresh(item) for item in value]
    return value


def _missing_package_message(root: str, exc: ImportError) -> str:
    from fsspec.registry import known_implementations

    protocol = root.split("://", 1)[0].split("::")[-1]
    spec = known_implementations.get(protocol, {})
    package = str(spec.get("class", "")).split(".")[0] or getattr(exc, "name", None) or "?"
    return (
        f"artifact_storage_dir {mask_url(root)!r} needs the package {package!r} for "
        f"{protocol}:// URLs, which is not installed: pip install {package}"
    )


def _protocol(fs: AbstractFileSystem) -> str:
    protocol = fs.protocol
    return protocol if isinstance(protocol, str) else protocol[0]


def _join(root: str, key: str, *, allow_temporary: bool = False) -> str:
    """``root/key``, refusing keys that are absolute or climb out of ``root``."""
    parts = key.split("/")
    if (
        not key
        or key.startswith("/")
        or "\\" in key
        or any(part in ("", ".", "..") for part in parts)
        or (not allow_temporary and any(part.startswith(TEMP_PREFIX) for part in parts))
    ):
        raise StorageKeyError(f"Storage key {key!r} is not a plain relative path.")
    return f"{root}/{key}"


def _upload(
    fs: AbstractFileSystem,
    path: str,
    fill: Callable[[BinaryIO], None],
    options: Mapping[str, Any],
) -> None:
    """Stream ``fill``'s bytes to ``path`` on an object store; visible only if complete.

    Closing an fsspec file *completes* its upload, even when the ``with`` block is left by
    an exception: a plain ``with fs.open(path, "wb")`` would publish a truncated object
    under the final key. So the file is opened with ``autocommit=False`` (fsspec's
    transactional file API, implemented by s3fs, gcsfs, adlfs): closing it only sends the
    last part, :meth:`commit` publishes the object once ``fill`` has returned, and
    :meth:`discard` throws the parts away otherwise (on S3: the multipart upload is
    aborted). ``_open`` is used rather than ``open`` because ``open`` would also enlist the
    file in the filesystem's (shared, cached) transaction object. Filesystems whose files
    ignore ``autocommit`` commit on close as before, and the partial object is removed.
    """
    # fsspec's files buffer one part and copy it to send it (s3fs: 50 MB parts), so the
    # part size is what a save costs in memory beyond the value itself: 16 MB parts keep
    # that under 0.1x of a 500 MB value. S3 (s3fs, which offers `call_s3`) gets linea's
    # own upload instead, one reused part buffer sent without copies (see
    # linea_core.builtins.multipart). `default_block_size` in storage_options sets the
    # part size of either.
    configured = options.get("default_block_size")
    stream: Any
    if callable(getattr(fs, "call_s3", None)):
        stream = MultipartUpload(fs, path, int(configured) if configured else None)
    else:
        block_size = None if configured else UPLOAD_PART_SIZE
        stream = fs._open(path, "wb", block_size=block_size, autocommit=False)
    try:
        fill(stream)
        stream.close()
        stream.commit()
    except BaseException:
        # Close before discarding (a file left open would upload on garbage collection);
        # either may fail when the failure is the server itself: the original error
        # is the one to report, and an upload that was never completed is invisible.
        with contextlib.suppress(Exception):
            stream.close()
        with contextlib.suppress(Exception):
            stream.discard()
        _remove_quietly(fs, path)
        raise


def _remove_quietly(fs: AbstractFileSystem, path: str) -> None:
    try:
        fs.rm(path)
    except (FileNotFoundError, OSError):
        pass


# -- listing for gc ------------------------------------------------------------------------


def _entry(relative: str, size: int, modified: float) -> StorageEntry | None:
    """A listed file as linea's (value or temporary leftover), or None if it is not ours."""
    parts = relative.split("/")
    if len(parts) != 2 or not _SHARD.match(parts[0]):
        return None
    name = parts[1]
    if name.startswith(TEMP_PREFIX):
        return StorageEntry(relative, size, modified, temporary=True)
    if _VALUE_NAME.match(name):
        return StorageEntry(relative, size, modified)
    return None


def _local_entries(root: str) -> Iterator[StorageEntry]:
    try:
        shards = list(os.scandir(root))
    except FileNotFoundError:
        return
    for shard in shards:
        if not (shard.is_dir(follow_symlinks=False) and _SHARD.match(shard.name)):
            continue
        for item in os.scandir(shard.path):
            if not item.is_file(follow_symlinks=False):
                continue
            stat = item.stat(follow_symlinks=False)
            entry = _entry(f"{shard.name}/{item.name}", stat.st_size, stat.st_mtime)
            if entry is not None:
                yield entry


def _modified(info: Mapping[str, Any]) -> float:
    for key in ("mtime", "LastModified", "last_modified", "created", "updated"):
        value = info.get(key)
        if value is None:
            continue
        if isinstance(value, (int, float)):
            return float(value)
        timestamp = getattr(value, "timestamp", None)
        if callable(timestamp):
            return float(timestamp())
        if isinstance(value, str):
            from datetime import datetime

            try:
                return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
            except ValueError:
                continue
    return 0.0


@hookimpl
def linea_register_storage_backends(register: Callable[[StorageBackend], None]) -> None:
    register(LocalStorageBackend())
