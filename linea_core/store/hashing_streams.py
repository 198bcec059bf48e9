"""Streams that hash the bytes a save writes or a load reads, without a pass of their own.

The store checks every value's size and content hash (see :mod:`linea_core.store.values`).
Hashing a large value as a separate pass would read all of it from memory once more:
small next to writing a value, but a third of reading one from the page cache. So a
large buffer is hashed slice by slice while its bytes are still in the CPU's cache
from being read (a load) or about to be written from there (a save), which brings the
hash of 200 MiB from ~12 ms to ~5 ms of CPU time. When a core looks idle
(:func:`spare_core`), a helper thread hashes instead, *while* the caller's thread
moves the same bytes (xxhash and file I/O both release the GIL for big buffers): the
wait is then about what moving the bytes costs. On a busy machine the helper would not
shorten the wait and costs CPU time of its own, so it is not used there.

The helper only ever reads a buffer during the call that was given it: ``write`` and
``readinto`` wait for its hash before returning, since a caller may reuse its buffer
as soon as they return (the ``io`` contract). Bytes are hashed in the order they pass.
Small buffers are hashed inline (handing them over would cost more than hashing them),
so a small value never starts the thread. Close the streams when done: ``close`` stops
the thread (it is also a daemon, so a stream that is never closed cannot keep the
interpreter from exiting)."""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from linea_core.store.errors import ValueMissingError
from linea_core.support.preallocate import preallocate

if TYPE_CHECKING:
    import queue
    import threading

HASH_ALGORITHM = "xxh3-128"
# Buffers at least this large are hashed beside the I/O; below it, inline.
PARALLEL_MIN = 1 << 20
# Announced sizes (HashingWriter.reserve) from which a local file's blocks are reserved.
PREALLOCATE_MIN = 4 << 20
# A large ``readinto`` is filled in slices of this size, each hashed while the next is
# read: big enough that handing one over costs little, small enough to overlap well.
READ_SLICE = 2 << 20
# Inline, a large write is hashed and written in slices of this size (they stay in cache).
WRITE_SLICE = 8 << 20
_DRAIN_CHUNK = 1 << 20


class Hasher(Protocol):
    def update(self, data: Any, /) -> None: ...

    def hexdigest(self) -> str: ...


def new_hasher(algorithm: str = HASH_ALGORITHM) -> Hasher:
    if algorithm == HASH_ALGORITHM:
        import xxhash

        return xxhash.xxh3_128()
    if algorithm == "sha256":
        return hashlib.sha256()
    raise ValueMissingError(f"Unknown content hash algorithm {algorithm!r} in the store.")


def spare_core() -> bool:
    """Whether a core looks idle: the 1-minute load average leaves one free.

    On a busy machine the helper thread would not shorten the wait (it queues for a
    core like everything else) and costs CPU time of its own (handing slices over,
    reading them from another core's cache), so streams then hash inline.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows: no load average
        return False
    return cores >= 2 and load <= cores - 1


class _Barrier:
    """Queued after a call's slices: the helper answers it once they are all hashed."""


_STOP = None


class BackgroundHasher:
    """Feeds ``hasher`` on a helper thread, in order; :meth:`wait` until it caught up."""

    def __init__(self, hasher: Hasher) -> None:
        self.hasher = hasher
        self._jobs: queue.SimpleQueue[Any] | None = None
        self._answers: queue.SimpleQueue[BaseException | None] | None = None
        self._thread: threading.Thread | None = None
        self._beside_io: bool | None = None

    def beside_io(self) -> bool:
        """Whether to hash large buffers on the helper: decided once, at the first one."""
        if self._beside_io is None:
            self._beside_io = spare_core() and self._start()
        return self._beside_io

    def submit(self, view: memoryview) -> None:
        """Queue ``view`` to be hashed after everything queued before it.

        Only after :meth:`beside_io` said yes (which started the helper).
        """
        assert self._jobs is not None, "submit() before beside_io() started the helper"
        self._jobs.put(view)

    def wait(self) -> None:
        """Return once every queued view is hashed (re-raising the hasher's failure)."""
        if self._jobs is None or self._answers is None:
            return
        self._jobs.put(_Barrier)
        failure = self._answers.get()
        if failure is not None:
            raise failure

    def close(self) -> None:
        if self._jobs is not None and self._thread is not None:
            self._jobs.put(_STOP)
            self._thread.join()
            self._jobs = self._answers = self._thread = None

    def _start(self) -> bool:
        """Start the helper; False if no thread can be started (then hash inline)."""
        import queue
        import threading

        jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        answers: queue.SimpleQueue[BaseException | None] = queue.SimpleQueue()
        thread = threading.Thread(
            target=_hash_jobs, args=(self.hasher, jobs, answers), name="linea-hash", daemon=True
        )
        try:
            thread.start()
        except RuntimeError:  # interpreter shutting down, or no threads left
            return False
        self._jobs, self._answers, self._thread = jobs, answers, thread
        return True


def _hash_jobs(
    hasher: Hasher,
    jobs: queue.SimpleQueue[Any],
    answers: queue.SimpleQueue[BaseException | None],
) -> None:
    failure: BaseException | None = None
    while (job := jobs.get()) is not _STOP:
        if job is _Barrier:
            answers.put(failure)
            failure = None
        elif failure is None:
            try:
                hasher.update(job)
            except BaseException as exc:  # reported to the caller at the next wait()
                failure = exc


def _bytes_view(data: Any) -> memoryview:
    view = memoryview(data)
    if view.ndim != 1 or view.format not in ("B", "b", "c"):
        view = view.cast("B")
    return view


class HashingWriter:
    """A write-only binary stream that hashes and counts what passes to ``target``."""

    def __init__(self, target: BinaryIO) -> None:
        self._target = target
        self._hashing = BackgroundHasher(new_hasher())
        self.size = 0
        # The destination's own failure (a full disk, a lost connection), kept so that
        # it is reported as what it is, not as the serializer failing on the value.
        self.storage_error: BaseException | None = None
        self._reserved_end = 0

    def reserve(self, nbytes: int) -> None:
        """A serializer's hint that about ``nbytes`` more bytes follow.

        A local file reserves their blocks up front (see
        :mod:`linea_core.support.preallocate`); other destinations ignore it.
        """
        if nbytes < PREALLOCATE_MIN:
            return
        try:
            fd = self._target.fileno()
            offset = self._target.tell()
        except (AttributeError, OSError, ValueError):  # not a local file
            return
        if preallocate(fd, offset, nbytes):
            self._reserved_end = max(self._reserved_end, offset + nbytes)

    def write(self, data: Any) -> int:
        view = _bytes_view(data)
        parallel = view.nbytes >= PARALLEL_MIN and self._hashing.beside_io()
        try:
            if parallel:
                self._hashing.submit(view)
                self._target.write(view)
            else:
                # Slice by slice, each written while still in the cache from hashing it.
                for start in range(0, view.nbytes, WRITE_SLICE):
                    piece = view[start : start + WRITE_SLICE]
                    self._hashing.hasher.update(piece)
                    self._target.write(piece)
        except BaseException as exc:
            self.storage_error = exc
            raise
        finally:
            if parallel:
                self._hashing.wait()  # the caller may reuse its buffer once we return
        self.size += view.nbytes
        return view.nbytes

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    def flush(self) -> None:
        self._target.flush()

    def tell(self) -> int:
        return self.size

    def close(self) -> None:
        """Stop the helper thread (the target stays open: it is the backend's).

        Blocks reserved past what was written are given back (the file's size is
        what was written either way).
        """
        self._hashing.close()
        if self._reserved_end:
            try:
                if self._target.tell() < self._reserved_end:
                    self._target.truncate()
            except (AttributeError, OSError, ValueError):
                pass

    @property
    def content_hash(self) -> str:
        return f"{HASH_ALGORITHM}:{self._hashing.hasher.hexdigest()}"


class HashingReader:
    """A read-only binary stream over ``source`` that hashes and counts what is read."""

    def __init__(self, source: BinaryIO, algorithm: str) -> None:
        self._source = source
        self._hashing = BackgroundHasher(new_hasher(algorithm))
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size) if size is not None and size >= 0 else self._read_all()
        self._hashing.hasher.update(data)
        self.size += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if view.nbytes < PARALLEL_MIN:
            count = self._fill(view)
            self._hashing.hasher.update(view[:count])
            self.size += count
            return count
        # Slice by slice: each slice is hashed (on the helper, while the next one is
        # read, or else right after it is read, from the cache).
        beside = self._hashing.beside_io()
        filled = 0
        try:
            while filled < view.nbytes:
                wanted = min(READ_SLICE, view.nbytes - filled)
                count = self._fill(view[filled : filled + wanted])
                if count and beside:
                    self._hashing.submit(view[filled : filled + count])
                elif count:  # hashed while still in the cache from reading it
                    self._hashing.hasher.update(view[filled : filled + count])
                filled += count
                if count < wanted:
                    break  # the end of the stream, or a short read: return what arrived
        finally:
            self._hashing.wait()  # the caller may reuse its buffer once we return
            self.size += filled
        return filled

    def _fill(self, view: memoryview) -> int:
        readinto = getattr(self._source, "readinto", None)
        if readinto is not None:
            return int(readinto(view) or 0)
        data = self._source.read(view.nbytes)
        view[: len(data)] = data
        return len(data)

    def readline(self, size: int = -1) -> bytes:
        line = self._source.readline(size)
        self._hashing.hasher.update(line)
        self.size += len(line)
        return line

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    def drain(self) -> None:
        """Read (and hash) whatever the serializer left unread."""
        while self.read(_DRAIN_CHUNK):
            pass

    def close(self) -> None:
        """Stop the helper thread (the source stays open: it is the caller's)."""
        self._hashing.close()

    def _read_all(self) -> bytes:
        chunks = []
        while chunk := self._source.read(_DRAIN_CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)

    def hexdigest(self) -> str:
        return self._hashing.hasher.hexdigest()
