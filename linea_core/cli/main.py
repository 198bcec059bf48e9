"""The ``linea`` command group: global configuration options and lazily loaded commands.

Commands are named by ``"module:attribute"`` strings and imported only when run, so
``linea --help`` does not import the store, the tracer or pydantic, and a command whose
module is missing or broken fails on its own with a clear message instead of taking
``linea --help`` down with it. Plugins add commands through
``PluginHost.add_commands`` (hook ``linea_register_commands``).
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import click

from linea_core.config.options import ITEMS
from linea_core.errors import LineaWarning

if TYPE_CHECKING:
    from linea_core.plugins.host import PluginHost

# command name -> ("module:attribute", one-line help shown by `linea --help`)
BUILTIN_COMMANDS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "annotate": (
            "linea_core.cli.annotate_cmd:annotate",
            "Add, list and delete annotation packs.",
        ),
        "artifacts": (
            "linea_core.cli.artifacts_cmd:artifacts",
            "List, show and delete stored artifacts.",
        ),
        "file": (
            "linea_core.cli.notebook_cmd:file_cmd",
            "Run a script, save an expression as an artifact, print its code.",
        ),
        "init": (
            "linea_core.cli.init_cmd:init",
            "Write linea_config.json from the resolved configuration.",
        ),
        "ipython": (
            "linea_core.cli.notebook_cmd:ipython_cmd",
            "Start IPython with linea tracing every cell.",
        ),
        "jupyter": (
            "linea_core.cli.notebook_cmd:jupyter_cmd",
            "Start Jupyter (notebook, lab, ...) with linea in its Python kernels.",
        ),
        "notebook": (
            "linea_core.cli.notebook_cmd:notebook_cmd",
            "Run a notebook, save an expression as an artifact, print its code.",
        ),
        "pipeline": (
            "linea_core.cli.pipeline_cmd:pipeline",
            "Define, list, show and write pipelines built from artifacts.",
        ),
        "plugins": ("linea_core.cli.plugins_cmd:plugins", "Show installed plugins."),
        "python": (
            "linea_core.cli.python_cmd:python_cmd",
            "Run a Python script under linea and slice its artifacts.",
        ),
    }
)


class LazyGroup(click.Group):
    """A click group whose built-in commands are imported on first use."""

    def __init__(
        self, *args: Any, lazy_commands: Mapping[str, tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands: Mapping[str, tuple[str, str]] = dict(lazy_commands or {})
        self._loaded: dict[str, click.Command] = {}
        self.plugin_host: PluginHost | None = None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands:
            if cmd_name not in self._loaded:
                self._loaded[cmd_name] = self._load(cmd_name)
            return self._loaded[cmd_name]
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Same layout as click's, but lazy commands use their declared one-line help
        # so that printing help imports nothing.
        rows: list[tuple[str, str]] = []
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max((len(name) for name in names), default=0)
        for name in names:
            if name in self.lazy_commands:
                rows.append((name, self.lazy_commands[name][1]))
                continue
            command = self.commands[name]
            if not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def _load(self, name: str) -> click.Command:
        target, short_help = self.lazy_commands[name]
        module_name, _, attribute = target.partition(":")
        try:
            command = getattr(importlib.import_module(module_name), attribute)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                reason = f"{module_name} is not part of this installation of linea"
            else:
                reason = f"importing {module_name} failed: {type(exc).__name__}: {exc}"
            return _unavailable_command(name, short_help, reason)
        except Exception as exc:
            reason = f"loading {target} failed: {type(exc).__name__}: {exc}"
            return _unavailable_command(name, short_help, reason)
        if not isinstance(command, click.Command):
            reason = f"{target} is not a click command"
            return _unavailable_command(name, short_help, reason)
        return command


def _unavailable_command(name: str, short_help: str, reason: str) -> click.Command:
    def run(args: tuple[str, ...]) -> None:
        raise click.ClickException(f"'linea {name}' is not available: {reason}.")

    return click.Command(
        name,
        callback=run,
        params=[click.Argument(["args"], nargs=-1, type=click.UNPROCESSED)],
        help=f"{short_help}\n\nNot available: {reason}.",
        short_help=short_help,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )


def _add_config_options(command: click.Command) -> None:
    for item in ITEMS:
        if item.cli_flag is None:
            continue
        command.params.append(
            click.Option(
                [item.cli_flag, item.name],
                default=None,
                metavar=item.kind.metavar,
                help=f"{item.plain_help} [env: {item.env_var}; default: {item.documented_default}]",
            )
        )


@click.pass_context
def _setup(ctx: click.Context, /, **values: Any) -> None:
    """Resolve the configuration once and make it the current context for the command."""
    from linea_core.config.logging_setup import configure_logging
    from linea_core.config.options import ConfigError, resolve_options
    from linea_core.context import LineaContext, use_context

    try:
        options = resolve_options(values)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    group = ctx.command
    host = group.plugin_host if isinstance(group, LazyGroup) else None
    context = LineaContext(options, plugins=host)
    ctx.obj = context
    ctx.with_resource(use_context(context))
    ctx.call_on_close(context.close)
    ctx.call_on_close(configure_logging(options))


def make_cli(plugins: PluginHost | None = None) -> LazyGroup:
    """Build the ``linea`` group with the plugins' commands added.

    A factory, not a module-level group: plugin commands are added to the group, and
    a shared module-level group would carry one host's commands into another's.
    ``plugins=None`` loads core's built-ins and the installed plugins.
    """
    cli = LazyGroup(
        name="linea",
        callback=_setup,
        lazy_commands=BUILTIN_COMMANDS,
        help=(
            "Linea: record notebook and script work, slice it to the code behind each "
            "artifact, and keep artifacts in a store.\n\nConfiguration: command-line "
            "option > LINEA_<NAME> environment variable > linea_config.json in the home "
            "folder > default."
        ),
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    )
    _add_config_options(cli)
    if plugins is None:
        from linea_core.plugins.host import PluginHost

        plugins = PluginHost.installed()
    cli.plugin_host = plugins
    plugins.add_commands(cli)
    return cli


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    if issubclass(category, LineaWarning):
        click.echo(f"linea: warning: {message}", err=True)
    else:
        # formatwarning's text ends with a newline already: no blank line after it.
        click.echo(
            warnings.formatwarning(message, category, filename, lineno, line), err=True, nl=False
        )


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point (``linea``)."""
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        make_cli().main(args=list(argv) if argv is not None else None, prog_name="linea")
