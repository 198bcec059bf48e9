"""Finding and removing value files no artifact refers to (``linea artifacts gc``).

Two kinds of garbage build up under a storage root: leftovers of saves that were
interrupted while writing (``.tmp-*`` files, up to a value's size each), and value
files whose database row never committed (a crash between write and commit) or
whose removal after a delete failed. Every root the database has recorded values
under is swept, plus the configured one, through each backend's
:class:`~linea_core.plugins.CollectableStorage` methods, so a local folder, S3 or any
other fsspec location is collected the same way.

Only files that look like linea's are considered (two-hex-digit shard folders holding
token-named files or ``.tmp-`` leftovers), and only once they are older than a grace
period: a save in progress writes its file before its row commits, and must not see
that file collected from under it. Each file is checked against the database again
right before it is removed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from linea_core.plugins.contracts import CollectableStorage, StorageBackend
from linea_core.store import queries
from linea_core.store.repository import Store
from linea_core.support.secrets import mask_url

DEFAULT_MIN_AGE_S = 3600.0


@dataclass(frozen=True)
class Garbage:
    """One file nothing refers to."""

    backend: str
    root: str
    key: str
    size: int
    temporary: bool
    age_s: float

    @property
    def where(self) -> str:
        return f"{mask_url(self.root).rstrip('/')}/{self.key}"


@dataclass
class Sweep:
    """What a look over every storage root found."""

    garbage: list[Garbage] = field(default_factory=list)
    too_recent: int = 0  # unreferenced, but younger than the grace period
    roots: list[tuple[str, str]] = field(default_factory=list)  # (backend, root) swept
    skipped: list[str] = field(default_factory=list)  # why a root or backend was not swept

    @property
    def size(self) -> int:
        return sum(item.size for item in self.garbage)


def find_garbage(store: Store, *, min_age_s: float = DEFAULT_MIN_AGE_S) -> Sweep:
    """Every unreferenced linea file older than ``min_age_s`` seconds, under every root."""
    sweep = Sweep()
    options = store.backend_options()
    referenced: dict[tuple[str, str], set[str]] = {}
    backends = store.storage_backends()
    configured: dict[str, str] = {}
    for name, backend in backends.items():
        if isinstance(backend, StorageBackend) and isinstance(backend, CollectableStorage):
            try:
                configured[name] = backend.root(options=options)
            except Exception as exc:
                sweep.skipped.append(f"{name}: {exc}")
    for value in store.values():
        root = value.root or configured.get(value.backend, "")
        referenced.setdefault((value.backend, root), set()).add(value.location)
    roots = sorted(
        {(backend, root) for backend, root in referenced if backend in configured}
        | set(configured.items())
    )
    now = time.time()
    for backend_name, root in roots:
        backend = backends[backend_name]
        assert isinstance(backend, CollectableStorage)
        keys = referenced.get((backend_name, root), set())
        try:
            entries = list(backend.entries(root, options=options))
        except Exception as exc:  # one unreachable root must not stop the others
            sweep.skipped.append(f"{mask_url(root)}: {type(exc).__name__}: {exc}")
            continue
        sweep.roots.append((backend_name, root))
        for entry in entries:
            if not entry.temporary and entry.key in keys:
                continue
            age = now - entry.modified
            if age < min_age_s:
                sweep.too_recent += 1
                continue
            sweep.garbage.append(
                Garbage(backend_name, root, entry.key, entry.size, entry.temporary, age)
            )
    return sweep


def remove_garbage(
    store: Store, garbage: Iterable[Garbage], *, on_error: Callable[[Garbage, Exception], None]
) -> Iterator[Garbage]:
    """Remove each file (after checking again that no row refers to it); yield the removed."""
    options = store.backend_options()
    backends = store.storage_backends()
    for item in garbage:
        backend = backends.get(item.backend)
        if not isinstance(backend, CollectableStorage):
            continue
        if not item.temporary:
            with store.database.read() as connection:
                if connection.first(
                    queries.VALUE_AT_LOCATION, {"backend": item.backend, "location": item.key}
                ):
                    continue  # a save committed it since the sweep
        try:
            backend.discard(item.root, item.key, options=options)
        except Exception as exc:
            on_error(item, exc)
            continue
        yield item


def human_size(size: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")
