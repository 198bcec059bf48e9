"""The ``linea`` command group: help everywhere, global options, lazy commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from linea_core.cli.main import BUILTIN_COMMANDS, LazyGroup, make_cli
from linea_core.config.options import ITEMS
from linea_core.plugins import hookimpl
from linea_core.plugins.host import PluginHost


class _Writer:
    framework = "TOYFLOW"

    def options_model(self):
        return None

    def render(self, pipeline, options):
        return []


class ToyPlugin:
    """A plugin object providing a writer and a command group with a subcommand."""

    __name__ = "toy"

    @hookimpl
    def linea_register_pipeline_writers(self, register):
        register(_Writer())

    @hookimpl
    def linea_register_commands(self, cli):
        @cli.group("toy")
        def toy() -> None:
            """Toy plugin commands."""

        @toy.command("hello")
        def hello() -> None:
            """Say hello."""
            click.echo("hello from toy")


class BrokenPlugin:
    __name__ = "broken"

    @hookimpl
    def linea_register_serializers(self, register):
        raise OSError("cannot reach the model registry")


@pytest.fixture
def host() -> PluginHost:
    return PluginHost.from_modules(ToyPlugin())


def invoke(cli: click.Group, args: list[str]):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def command_paths(group: click.Group, ctx: click.Context, prefix: tuple[str, ...] = ()):
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from command_paths(command, click.Context(command, parent=ctx), (*prefix, name))


def test_help_works_on_every_command(host: PluginHost) -> None:
    cli = make_cli(host)
    paths = list(command_paths(cli, click.Context(cli)))
    assert ("toy", "hello") in paths and ("plugins", "list") in paths
    for name in BUILTIN_COMMANDS:
        assert (name,) in paths
    for path in [(), *paths]:
        result = invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage: linea" in result.output


def test_top_level_help_lists_commands_and_every_config_option(host: PluginHost) -> None:
    output = invoke(make_cli(host), ["--help"]).output
    for item in ITEMS:
        if item.cli_flag:
            assert item.cli_flag in output and item.env_var in output
    assert "--storage-options" not in output  # file / options.set only
    for name in [*BUILTIN_COMMANDS, "toy"]:
        assert f"\n  {name} " in output


def test_plugin_commands_run(host: PluginHost) -> None:
    result = invoke(make_cli(host), ["toy", "hello"])
    assert result.exit_code == 0 and result.output == "hello from toy\n"


def test_missing_command_module_fails_clearly_without_breaking_help() -> None:
    cli = LazyGroup(
        name="linea",
        lazy_commands={
            "ghost": ("linea_core.cli.no_such_module_cmd:ghost", "A command not written yet."),
            "bad": ("linea_core.cli.main:BUILTIN_COMMANDS", "Points at something else."),
        },
    )
    help_text = invoke(cli, ["--help"]).output
    assert "ghost  A command not written yet." in help_text
    result = CliRunner().invoke(cli, ["ghost", "--some-flag", "x"])
    assert result.exit_code == 1
    assert "'linea ghost' is not available" in result.output
    assert "linea_core.cli.no_such_module_cmd is not part of this installation" in result.output
    result = CliRunner().invoke(cli, ["bad"])
    assert result.exit_code == 1 and "is not a click command" in result.output


def test_command_module_that_raises_on_import_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "linea_test_raising_cmd.py").write_text("raise RuntimeError('half written')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    cli = LazyGroup(name="linea", lazy_commands={"oops": ("linea_test_raising_cmd:oops", "Oops.")})
    result = CliRunner().invoke(cli, ["oops"])
    assert result.exit_code == 1
    assert "RuntimeError: half written" in result.output
    assert "Traceback" not in result.output


def test_global_options_reach_the_command(host: PluginHost, tmp_path: Path) -> None:
    home = tmp_path / "cli_home"
    result = invoke(make_cli(host), ["--home-dir", str(home), "--logging-level", "warning", "init"])
    assert result.exit_code == 0
    written = json.loads((home / "linea_config.json").read_text())
    assert written["home_dir"] == str(home)
    assert written["logging_level"] == "WARNING"


def test_invalid_configuration_is_an_error_message_not_a_traceback(host: PluginHost) -> None:
    result = CliRunner().invoke(make_cli(host), ["--logging-level", "loud", "plugins", "list"])
    assert result.exit_code == 1
    assert "Invalid linea configuration" in result.output
    assert "--logging-level" in result.output
    assert "Traceback" not in result.output


def test_plugins_list_text_and_json() -> None:
    with pytest.warns(UserWarning, match="'broken'"):
        host = PluginHost.from_modules(ToyPlugin(), BrokenPlugin())
        cli = make_cli(host)
    text = invoke(cli, ["plugins", "list"]).output
    assert "toy  (-)" in text
    assert "pipeline frameworks: TOYFLOW" in text
    assert "commands: toy" in text
    assert "broken  (-)  [NOT LOADED]" in text
    assert "OSError: cannot reach the model registry" in text

    entries = json.loads(invoke(cli, ["plugins", "list", "--json"]).output)
    by_name = {entry["name"]: entry for entry in entries}
    assert by_name["toy"]["provides"]["pipeline_writers"] == ["TOYFLOW"]
    assert by_name["toy"]["hooks"] == ["linea_register_commands", "linea_register_pipeline_writers"]
    assert by_name["toy"]["error"] is None
    assert "OSError" in by_name["broken"]["error"]


def test_plugins_list_with_no_plugins() -> None:
    assert invoke(make_cli(PluginHost()), ["plugins", "list"]).output == (
        "No linea plugins are installed.\n"
    )


def _run_linea(args: list[str], tmp_path: Path, code: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "LINEA_HOME_DIR": str(tmp_path / "home")}
    return subprocess.run(
        [sys.executable, *(["-c", code] if code else ["-m", "linea_core"]), *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )


def test_python_dash_m_linea_core(tmp_path: Path) -> None:
    result = _run_linea(["--help"], tmp_path)
    assert result.returncode == 0
    assert "Usage: linea" in result.stdout


def test_top_level_help_imports_no_heavy_library(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from linea_core.cli.main import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'pydantic', 'sqlalchemy', 'alembic', 'numpy', 'pandas', 'yaml'}\n"
        "print(sorted(heavy & {name.split('.')[0] for name in sys.modules}), file=sys.stderr)\n"
    )
    result = _run_linea([], tmp_path, code=code)
    assert result.stderr.strip().splitlines()[-1] == "[]"
