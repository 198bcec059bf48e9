"""Every ``linea`` command line the README shows exists as written: the (sub)commands,
and every option it uses, including the options its comments mention (``--json for
machines``). The README is the user's door; a renamed option must not leave it lying.

Plugin commands (``linea s3 ...``) are checked with the plugins of this repository
loaded, as a user who installed them has them.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from linea_core.cli.main import make_cli
from linea_core.plugins.host import PluginHost, PluginSelection

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
# An option named in a comment or in prose right after a command: `--version N`, `--delete`.
OPTION = re.compile(r"(?<![\w-])(--?[a-z][a-z-]*)")


def readme_command_lines() -> list[tuple[str, list[str]]]:
    """(command line, options its trailing comment mentions) for every ``linea`` line."""
    found = []
    for block in re.findall(r"```bash\n(.*?)```", README, flags=re.DOTALL):
        for line in block.splitlines():
            if line.startswith("linea "):
                command, _, comment = line.partition("#")
                found.append((command.strip(), OPTION.findall(comment.split("`")[0])))
    for span in re.findall(r"`(linea [^`]+)`", README):
        found.append((span, []))
    return found


@pytest.fixture(scope="module")
def cli() -> click.Group:
    return make_cli(PluginHost.installed(selection=PluginSelection()))


def option_names(command: click.Command) -> dict[str, click.Parameter]:
    names: dict[str, click.Parameter] = {"--help": click.Option(["--help"], is_flag=True)}
    for param in command.params:
        for name in [*param.opts, *param.secondary_opts]:
            names[name] = param
    return names


def resolve(cli: click.Group, line: str, mentioned: list[str]) -> None:
    """Walk ``line`` through the command tree; fail on anything the CLI does not know."""
    tokens = shlex.split(line)[1:]
    command: click.Command = cli
    ctx = click.Context(cli)
    path = ["linea"]
    while tokens:
        token = tokens.pop(0)
        if token.startswith("-"):
            name = token.split("=", 1)[0]
            param = option_names(command).get(name)
            assert param is not None, f"{line!r}: {' '.join(path)} has no option {name}"
            takes_value = isinstance(param, click.Option) and not param.is_flag
            if takes_value and "=" not in token and param.nargs != -1:
                tokens.pop(0)
            continue
        if isinstance(command, click.Group):
            if token.isupper():  # a placeholder (`linea COMMAND --help`)
                return
            sub = command.get_command(ctx, token)
            assert sub is not None, f"{line!r}: {' '.join(path)} has no command {token!r}"
            command, path = sub, [*path, token]
            continue
        if any(param.nargs == -1 for param in command.params if isinstance(param, click.Argument)):
            break  # the rest belongs to the program linea runs (`linea python s.py --epochs`)
    known = option_names(command)
    for name in mentioned:
        assert name in known, f"{line!r}: its comment names {name}, not an option of {path}"


@pytest.mark.parametrize(("line", "mentioned"), readme_command_lines())
def test_readme_command_exists(cli: click.Group, line: str, mentioned: list[str]) -> None:
    resolve(cli, line, mentioned)


def test_the_readme_shows_commands() -> None:
    lines = [line for line, _ in readme_command_lines()]
    assert len(lines) >= 25
    assert any(line.startswith("linea pipeline write") for line in lines)


@pytest.mark.parametrize(
    "line",
    [
        "linea artifacts list --jsn",
        "linea artefacts list",
        "linea pipeline write p --generate-tests",
        "linea --home /x init",
    ],
)
def test_a_drifted_line_is_caught(cli: click.Group, line: str) -> None:
    with pytest.raises(AssertionError):
        resolve(cli, line, [])


def test_an_option_named_in_a_comment_is_checked(cli: click.Group) -> None:
    resolve(cli, "linea artifacts show m", ["--version", "--value"])
    with pytest.raises(AssertionError):
        resolve(cli, "linea artifacts show m", ["--versions"])
