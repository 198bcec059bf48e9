"""``linea annotate``: add, list and delete the user's annotation packs.

Packs live in the ``customized_annotation_folder`` configuration item. They are read
when a session starts, so a change takes effect in the next ``linea python`` run or
notebook kernel.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from linea_core.annotations.loader import AnnotationPackError
from linea_core.annotations.user_packs import (
    UserPackError,
    add_user_pack,
    delete_user_pack,
    list_user_packs,
)


def _folder() -> Path:
    from linea_core.context import current_context

    return Path(current_context().options.customized_annotation_folder)


@click.group()
def annotate() -> None:
    """Add, list and delete annotation packs (YAML files describing library side effects).

    Format: LineaPy's annotation format, see docs/annotations.md.
    """


@annotate.command("add")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--name",
    "-n",
    help="Name of the pack (default: the file name without .annotations.yaml).",
)
@click.option("--force", is_flag=True, help="Replace an existing pack with the same name.")
def add(file: Path, name: str | None, force: bool) -> None:
    """Validate FILE and add it to the user's annotation packs."""
    folder = _folder()
    try:
        target = add_user_pack(file, folder, name, force=force)
    except (AnnotationPackError, UserPackError) as exc:
        raise click.ClickException(str(exc)) from None
    pack_name = target.name.removesuffix(".annotations.yaml")
    click.echo(f"Added annotation pack '{pack_name}' as {target}.")
    click.echo("It applies to linea sessions started from now on.")


@annotate.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
@click.option(
    "--all", "show_all", is_flag=True, help="Also list the packs installed plugins provide."
)
def list_packs(as_json: bool, show_all: bool) -> None:
    """List the user's annotation packs (and, with --all, the plugins' packs)."""
    folder = _folder()
    packs = list_user_packs(folder)
    registered = _registered_packs() if show_all else []
    if as_json:
        rows: list[dict[str, object]] = [
            {
                "name": pack.name,
                "path": str(pack.path),
                "source": "user",
                "modules": pack.modules,
                "annotations": pack.annotation_count,
                "error": str(pack.error) if pack.error else None,
            }
            for pack in packs
        ]
        rows += [{**row, "source": "plugin"} for row in registered]
        click.echo(json.dumps(rows, indent=2))
        return
    if not packs:
        click.echo(f"No user annotation packs in {folder}.")
    for pack in packs:
        if pack.error is not None:
            click.echo(f"{pack.name}  {pack.path}  [INVALID: {pack.error.reason}]")
        else:
            modules = ", ".join(pack.modules) or "-"
            click.echo(
                f"{pack.name}  {pack.path}  ({pack.annotation_count} annotations: {modules})"
            )
    if show_all:
        click.echo("\nPlugin packs:" if registered else "\nNo plugin packs.")
        for row in registered:
            click.echo(f"{row['name']}  {row['path']}")


def _registered_packs() -> list[dict[str, object]]:
    from linea_core.context import current_context

    rows: list[dict[str, object]] = []
    for pack in current_context().plugins.annotation_packs():
        rows.append({"name": pack.name, "path": str(pack.path) if pack.path else "<inline text>"})
    return rows


@annotate.command("delete")
@click.option("--name", "-n", required=True, help="Name of the pack to delete.")
def delete(name: str) -> None:
    """Delete a user annotation pack by name."""
    try:
        removed = delete_user_pack(name, _folder())
    except UserPackError as exc:
        raise click.ClickException(str(exc)) from None
    for path in removed:
        click.echo(f"Deleted annotation pack '{name}' ({path}).")
