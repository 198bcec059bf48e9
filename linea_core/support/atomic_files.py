"""Writing a local file so that readers see the old content or the new, never a part.

The bytes go to a hidden temporary file next to the target, which is then renamed
over it (``os.replace`` is atomic on POSIX and Windows). A failure removes the
temporary file and re-raises. The prefix is the caller's, so a sweeper of leftovers
(``linea artifacts gc``) can tell its own temporaries from anything else.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

TEMP_PREFIX = ".tmp-"


def write_atomically(
    target: str | os.PathLike[str],
    fill: Callable[[BinaryIO], None],
    *,
    prefix: str = TEMP_PREFIX,
    fsync: bool = False,
) -> None:
    """Create or replace ``target`` with what ``fill(stream)`` writes.

    ``fsync`` forces the bytes to disk before the rename, for small files whose loss
    on power failure would matter more than the time it costs (it is not used for
    artifact values: those are verified on load instead).
    """
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f"{prefix}{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            fill(stream)
            if fsync:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def write_bytes_atomically(
    target: str | os.PathLike[str], data: bytes, *, prefix: str = TEMP_PREFIX
) -> None:
    """:func:`write_atomically` for bytes already in memory."""

    def fill(stream: BinaryIO) -> None:
        stream.write(data)

    write_atomically(target, fill, prefix=prefix)
