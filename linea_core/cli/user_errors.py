"""How a command shows an error the user can act on: one line, exit code 1."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from linea_core.errors import LineaError


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn linea's user errors into a one-line message and exit code 1, no traceback."""
    try:
        yield
    except LineaError as exc:
        raise click.ClickException(str(exc)) from None
