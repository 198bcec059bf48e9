"""Point linea's loggers at ``logging_file`` with ``logging_level`` (used by the CLI).

Only the ``linea_core`` logger is touched, never the root logger: a library that
reconfigures the host application's logging is a bad neighbour.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linea_core.config.options import Options

LOGGER_NAME = "linea_core"


class _LazyDirFileHandler(logging.FileHandler):
    """Creates the file (and its folder) only when something is actually logged."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, encoding="utf-8", delay=True)
        self.linea_owned = True

    def _open(self):  # type: ignore[no-untyped-def]
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


def configure_logging(options: Options) -> None:
    """(Re)attach linea's file handler; calling it again replaces the previous one."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(options.logging_level)
    for handler in list(logger.handlers):
        if getattr(handler, "linea_owned", False):
            logger.removeHandler(handler)
            handler.close()
    handler = _LazyDirFileHandler(options.logging_file)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
