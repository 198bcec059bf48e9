"""``linea artifacts``: work with the artifact store from a shell.

Goes through the public API (``linea_core.api.functions``) so the command line and
notebooks see exactly the same artifacts, errors and messages.
"""

from __future__ import annotations

import json
from typing import Any

import click

from linea_core.cli.durations import parse_duration
from linea_core.cli.user_errors import user_errors


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
    """List, show and delete stored artifacts; collect unreferenced value files."""


@artifacts.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list for machines.")
def list_artifacts(as_json: bool) -> None:
    """List every artifact version in the store."""
    from linea_core.api.functions import artifact_store

    with user_errors():
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
    with user_errors():
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
    with user_errors():
        delete(name, version=version)


@artifacts.command("gc")
@click.option(
    "--delete",
    "remove",
    is_flag=True,
    help="Remove the files found. Without it nothing is removed (a dry run).",
)
@click.option(
    "--min-age",
    default="1h",
    show_default=True,
    help="Leave files younger than this alone (a save in progress writes its file before "
    "its record commits): 0, 90s, 30m, 1h, 2d.",
)
def collect_garbage(remove: bool, min_age: str) -> None:
    """Find value files no artifact refers to, and leftovers of interrupted saves.

    Every storage location the database has recorded values under is searched, plus
    the configured artifact_storage_dir, locally or through fsspec (S3 and others).
    Only linea's own files are considered. Nothing is removed without --delete.
    """
    from linea_core.context import current_context
    from linea_core.store.collect import find_garbage, human_size, remove_garbage

    seconds = parse_duration(min_age)
    with user_errors():
        store = current_context().store
        sweep = find_garbage(store, min_age_s=seconds)
    for note in sweep.skipped:
        click.echo(f"linea: could not search {note}", err=True)
    if not sweep.garbage:
        searched = ", ".join(sorted({root for _, root in sweep.roots})) or "no location"
        click.echo(f"Nothing to remove (searched {searched}).")
    else:
        verb = "Removing" if remove else "Would remove"
        click.echo(
            f"{verb} {len(sweep.garbage)} file(s), {human_size(sweep.size)}, that no "
            "artifact refers to:"
        )
        for item in sweep.garbage:
            kind = "leftover of an interrupted save" if item.temporary else "unreferenced value"
            click.echo(f"  {human_size(item.size):>10}  {item.where}  ({kind})")
    if sweep.too_recent:
        click.echo(
            f"{sweep.too_recent} more unreferenced file(s) are younger than {min_age} and "
            "were left alone (use --min-age to change that)."
        )
    if not sweep.garbage:
        return
    if not remove:
        click.echo("Nothing was removed. Run `linea artifacts gc --delete` to remove them.")
        return
    failures: list[str] = []

    def failed(item: Any, exc: Exception) -> None:
        failures.append(f"{item.where}: {exc}")

    removed = list(remove_garbage(store, sweep.garbage, on_error=failed))
    click.echo(f"Removed {len(removed)} file(s), {human_size(sum(i.size for i in removed))}.")
    if failures:
        for failure in failures:
            click.echo(f"linea: could not remove {failure}", err=True)
        raise SystemExit(1)
