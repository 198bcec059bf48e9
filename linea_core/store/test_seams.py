"""A documented pause point that lets tests kill a save at its most delicate moment.

Setting ``LINEA_TEST_PAUSE_BEFORE_COMMIT=/some/marker`` makes every save, after its
value is written to storage and its rows are inserted but *before* the transaction
commits, create that marker file and sleep. A test waits for the marker, SIGKILLs
the process, and checks the store is still consistent. The variable is read at the
moment of the save (no import-time state) and has no effect when unset; it is not a
user setting.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PAUSE_BEFORE_COMMIT_ENV = "LINEA_TEST_PAUSE_BEFORE_COMMIT"
_PAUSE_SECONDS = 600


def pause_before_commit() -> None:
    marker = os.environ.get(PAUSE_BEFORE_COMMIT_ENV)
    if not marker:
        return
    Path(marker).write_text(str(os.getpid()))
    time.sleep(_PAUSE_SECONDS)
