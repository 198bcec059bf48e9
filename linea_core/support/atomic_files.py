"""Writing a local file so that readers see the old content or the new, never a part.

The bytes go to a hidden temporary file next to the target, which is then renamed
over it (``os.replace`` is atomic on POSIX and Windows). A failure removes the
temporary file and re-raises. The prefix is the caller's, so a sweeper of leftovers
(``linea artifacts gc``) can tell its own temporaries from anything else.

The file gets the permissions a plain ``open(path, "w")`` would give it (``0o666``, or
``0o777`` for an executable, less the umask), not ``tempfile.mkstemp``'s private
``0o600``: a generated DAG folder, a shared artifact store or a lineage picture must
stay readable by the people and services they are written for. Creating the file with
that mode lets the kernel apply the umask, so the umask never has to be read (reading it
means setting it, which is not safe while other threads create files).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

TEMP_PREFIX = ".tmp-"

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def write_atomically(
    target: str | os.PathLike[str],
    fill: Callable[[BinaryIO], None],
    *,
    prefix: str = TEMP_PREFIX,
    fsync: bool = False,
    executable: bool = False,
) -> None:
    """Create or replace ``target`` with what ``fill(stream)`` writes.

    ``fsync`` forces the bytes to disk before the rename, for small files whose loss
    on power failure would matter more than the time it costs (it is not used for
    artifact values: those are verified on load instead). ``executable`` makes the file
    executable for whoever may read it (a generated entry-point script).
    """
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    # 64 random bits: a clash with another writer's temporary is not a practical concern,
    # and O_EXCL turns even that into an error rather than two writers sharing a file.
    temporary = path.parent / f"{prefix}{path.name}.{secrets.token_hex(8)}"
    handle = os.open(temporary, _CREATE, 0o777 if executable else 0o666)
    try:
        with os.fdopen(handle, "wb") as stream:
            fill(stream)
            if fsync:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_bytes_atomically(
    target: str | os.PathLike[str],
    data: bytes,
    *,
    prefix: str = TEMP_PREFIX,
    executable: bool = False,
) -> None:
    """:func:`write_atomically` for bytes already in memory."""

    def fill(stream: BinaryIO) -> None:
        stream.write(data)

    write_atomically(target, fill, prefix=prefix, executable=executable)
