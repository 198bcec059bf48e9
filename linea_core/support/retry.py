"""Running an operation again after transient failures, with jittered exponential backoff.

One loop for every "try again in a moment" in linea (database writes that met a
lock, switching SQLite to WAL while others open the file, schema upgrades racing
other openers), so the backoff policy lives in one place.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def retry_transient(
    operation: Callable[[], T],
    *,
    is_transient: Callable[[BaseException], bool],
    budget_s: float,
    first_delay_s: float = 0.01,
    max_delay_s: float = 1.0,
) -> T:
    """``operation()``, re-run while it raises something ``is_transient`` accepts.

    Gives up (re-raising the last error) once ``budget_s`` seconds have passed; any
    other exception propagates at once. Delays double up to ``max_delay_s``, each
    stretched by a random factor in [1, 2) so that competing processes spread out.
    """
    deadline = time.monotonic() + budget_s
    delay = first_delay_s
    while True:
        try:
            return operation()
        except Exception as exc:
            if not is_transient(exc) or time.monotonic() > deadline:
                raise
        time.sleep(delay * (1 + random.random()))
        delay = min(delay * 2, max_delay_s)
