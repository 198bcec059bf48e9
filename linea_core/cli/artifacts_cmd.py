"""``linea artifacts``: work with the artifact store from a shell.

Goes through the public API (``linea_core.api.functions``) so the command line and
notebooks see exactly the same artifacts, errors and messages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from linea_core.errors import LineaError


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn linea's user errors into a one-line message and exit code 1, no traceback."""
    try:
        yield
    except LineaError as exc:
        raise click.ClickException(str(exc)) from None


def _parse_version(text: str, words: tuple[str, ...]) -> int | str:
    value = text.strip().lower()
    if value in words:
        return value
    try:
        return int(value)
    except ValueError:
        choices = " or ".join(["a version number", *(repr(word) for word in words)])
        raise click.ClickException(f"Invalid version {text!r}: use {choices}.") from None


@click.group()
def artifacts() -> None:
    """List, show and delete stored artifacts."""


@artifacts.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list for machines.")
def list_artifacts(as_json: bool) -> None:
    """List every artifact version in the store."""
    from linea_core.api.functions import artifact_store

    with _user_errors():
        store = artifact_store()
    if as_json:
        click.echo(json.dumps(store.export, indent=2, default=str))
    elif len(store) == 0:
        click.echo("No artifacts saved yet.")
    else:
        click.echo(str(store))  # LineaPy's "name:version created on <time>" lines


@artifacts.command("show")
@click.argument("name")
@click.option("--version", "version_text", help="Version number or 'latest' (default).")
@click.option("--value", "show_value", is_flag=True, help="Also print the value's repr.")
def show_artifact(name: str, version_text: str | None, show_value: bool) -> None:
    """Show an artifact's version, creation date and metadata."""
    from linea_core.api.functions import get

    version = None if version_text is None else _parse_version(version_text, ("latest",))
    with _user_errors():
        artifact = get(name, version=version) if isinstance(version, int) else get(name)
        metadata: Any = artifact.get_metadata()
        click.echo(f"name: {artifact.name}")
        click.echo(f"version: {artifact.version}")
        click.echo(f"date created: {artifact.date_created}")
        click.echo("metadata: " + json.dumps(metadata, indent=2, default=str, sort_keys=True))
        if show_value:
            click.echo(f"value: {artifact.get_value()!r}")


@artifacts.command("delete")
@click.argument("name")
@click.option(
    "--version",
    "version_text",
    required=True,
    help="Version number, 'latest' or 'all'.",
)
def delete_artifact(name: str, version_text: str) -> None:
    """Delete one version (or 'latest', or 'all') of an artifact."""
    from linea_core.api.functions import delete

    version = _parse_version(version_text, ("latest", "all"))
    with _user_errors():
        delete(name, version=version)
