"""``linea init``: save the resolved configuration so later sessions use it without flags."""

from __future__ import annotations

import json
import os
import tempfile

import click

from linea_core.config.options import DERIVED_ITEMS
from linea_core.context import current_context


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
    data = {
        key: value
        for key, value in options.to_json_dict().items()
        if value is not None and (key not in DERIVED_ITEMS or key in options.explicit)
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written to a temporary file and moved into place: an interrupted `init` must not
    # leave a half-written file that breaks every later command.
    fd, tmp = tempfile.mkstemp(prefix=".linea_config.", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=2)
            stream.write("\n")
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    click.echo(f"Wrote linea configuration to {path}")
