"""linea plugin: registers the ``linea s3`` commands (see :mod:`linea_s3.commands`).

Every linea process with linea-s3 installed imports this module when it loads its
plugins, including one that only calls ``lineapy.get``; so it imports nothing heavy and
leaves click and the commands to the hook, which only the command line calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linea_core.plugins import hookimpl

if TYPE_CHECKING:
    import click


@hookimpl
def linea_register_commands(cli: click.Group) -> None:
    from linea_s3.commands import s3

    cli.add_command(s3)
