"""Point linea's loggers at ``logging_file`` with ``logging_level`` (done by the CLI).

Only the ``linea_core`` logger is touched, never the root logger: a library that
reconfigures the host application's logging is a bad neighbour.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linea_core.config.options import Options

LOGGER_NAME = "linea_core"


class _LazyDirFileHandler(logging.FileHandler):
    """Creates the file (and its folder) only when something is actually logged."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, encoding="utf-8", delay=True)

    def _open(self):  # type: ignore[no-untyped-def]
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


def configure_logging(options: Options) -> Callable[[], None]:
    """Attach linea's file handler; returns a function that undoes it.

    The undo matters when the CLI runs inside another process (tests, embedding):
    the logger's level and handlers are process-wide and must not outlive the command.
    """
    logger = logging.getLogger(LOGGER_NAME)
    previous_level = logger.level
    handler = _LazyDirFileHandler(options.logging_file)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.setLevel(options.logging_level)
    logger.addHandler(handler)

    def restore() -> None:
        logger.removeHandler(handler)
        handler.close()
        logger.setLevel(previous_level)

    return restore
