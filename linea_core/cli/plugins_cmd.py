"""``linea plugins``: what is installed, what each plugin provides, and what went wrong."""

from __future__ import annotations

import json

import click

from linea_core.context import current_context
from linea_core.plugins.host import PluginInfo

_PROVIDES_LABELS = {
    "pipeline_writers": "pipeline frameworks",
    "storage_backends": "storage backends",
    "serializers": "serializers",
    "annotation_packs": "annotation packs",
    "commands": "commands",
}


@click.group()
def plugins() -> None:
    """Show installed plugins."""


@plugins.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list for machines.")
def list_plugins(as_json: bool) -> None:
    """List plugins: distribution and version, hooks, what they provide, load errors."""
    infos = current_context().plugins.plugins()
    if as_json:
        click.echo(json.dumps([info.to_dict() for info in infos], indent=2))
        return
    if not infos:
        click.echo("No linea plugins are installed.")
        return
    for number, info in enumerate(infos):
        if number:
            click.echo()
        _echo_plugin(info)


def _echo_plugin(info: PluginInfo) -> None:
    origin = f"{info.distribution} {info.version or ''}".strip() if info.distribution else "-"
    status = "" if info.ok else "  [NOT LOADED]"
    click.echo(f"{info.name}  ({origin}){status}")
    if info.module:
        click.echo(f"  module: {info.module}")
    click.echo(f"  hooks: {', '.join(info.hooks) or '-'}")
    for key, label in _PROVIDES_LABELS.items():
        names = info.provides.get(key, ())
        if names:
            click.echo(f"  {label}: {', '.join(names)}")
    if info.error:
        click.echo(f"  error: {info.error}")
    for conflict in info.conflicts:
        click.echo(f"  conflict: {conflict}")
