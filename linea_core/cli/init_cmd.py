"""``linea init``: save the resolved configuration so later sessions use it without flags."""

from __future__ import annotations

import json

import click

from linea_core.context import current_context
from linea_core.support.atomic_files import write_bytes_atomically


@click.command()
def init() -> None:
    """Write linea_config.json into the home folder (where linea reads it from).

    Every item is written with its resolved value (command-line options and LINEA_*
    variables included), like `lineapy init`, except that items derived from the home
    folder (artifact folder, database, annotation folder, log file) are written only
    if they were set explicitly: that way editing home_dir in the file later still
    moves them. An existing file is replaced.
    """
    options = current_context().options
    path = options.config_file
    data = options.for_config_file()
    # Atomic: an interrupted `init` must not leave a half-written file that breaks
    # every later command.
    write_bytes_atomically(path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))
    click.echo(f"Wrote linea configuration to {path}")
