"""The CLI logs to ``logging_file`` at ``logging_level`` and leaves logging as it found it."""

from __future__ import annotations

import logging
from pathlib import Path

import click
from click.testing import CliRunner

from linea_core.cli.main import make_cli
from linea_core.plugins import hookimpl
from linea_core.plugins.host import PluginHost


class LoggingPlugin:
    __name__ = "logs"

    @hookimpl
    def linea_register_commands(self, cli):
        @cli.command("log-something")
        def log_something() -> None:
            logging.getLogger("linea_core.test").debug("debug line")
            logging.getLogger("linea_core.test").warning("warning line")


def test_cli_logs_to_the_configured_file_and_level(tmp_path: Path) -> None:
    logger = logging.getLogger("linea_core")
    level, handlers = logger.level, list(logger.handlers)
    cli = make_cli(PluginHost.from_modules(LoggingPlugin()))
    log = tmp_path / "logs" / "linea.log"

    result = CliRunner().invoke(cli, ["--logging-file", str(log), "log-something"])
    assert result.exit_code == 0, result.output
    text = log.read_text()
    assert "WARNING linea_core.test: warning line" in text and "debug line" not in text

    CliRunner().invoke(
        cli, ["--logging-file", str(log), "--logging-level", "debug", "log-something"]
    )
    assert "DEBUG linea_core.test: debug line" in log.read_text()
    assert (logger.level, logger.handlers) == (level, handlers)


def test_nothing_is_written_when_nothing_is_logged(tmp_path: Path) -> None:
    log = tmp_path / "quiet" / "linea.log"
    cli = make_cli(PluginHost())
    assert CliRunner().invoke(cli, ["--logging-file", str(log), "plugins", "list"]).exit_code == 0
    assert not log.parent.exists()
    assert isinstance(cli, click.Group)
