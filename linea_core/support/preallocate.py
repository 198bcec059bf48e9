"""Reserving disk blocks for bytes about to be written to a local file.

Writing a large file into the page cache costs noticeably less system time when its
blocks were reserved first (one ``fallocate`` instead of a delayed allocation per
page): about 0.04 s instead of 0.06 s for 200 MiB on ext4, which is what
``numpy.save`` gains by doing it. Like numpy, this uses Linux's ``fallocate`` with
``FALLOC_FL_KEEP_SIZE``: the file's size stays what was written, a filesystem that
cannot preallocate just says so, and nothing is ever written to reserve the blocks
(``os.posix_fallocate`` would fall back to writing zeros through every block). On
other systems it does nothing. It is only a hint: every failure is ignored.
"""

from __future__ import annotations

import sys

_KEEP_SIZE = 1  # FALLOC_FL_KEEP_SIZE from <linux/falloc.h>


def preallocate(fd: int, offset: int, length: int) -> bool:
    """Reserve ``length`` bytes of ``fd`` from ``offset``; False if that did not happen."""
    if not sys.platform.startswith("linux") or length <= 0:
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fallocate = getattr(libc, "fallocate64", None) or libc.fallocate
    except (OSError, AttributeError):
        return False
    fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64]
    fallocate.restype = ctypes.c_int
    return bool(fallocate(fd, _KEEP_SIZE, offset, length) == 0)
