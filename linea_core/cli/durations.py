"""Durations written on the command line (``--min-age 30m``), for linea's commands and
plugins' (``linea artifacts gc``, ``linea s3 uploads``): one spelling everywhere."""

from __future__ import annotations

import math

import click

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """Seconds in ``text``: a number of seconds, or a number with s, m, h or d
    (``0``, ``90s``, ``30m``, ``1.5h``, ``2d``); a bad value is a usage error."""
    value = text.strip().lower()
    unit = value[-1:] if value[-1:] in _UNIT_SECONDS else "s"
    number = value[:-1] if value[-1:] in _UNIT_SECONDS else value
    try:
        seconds = float(number) * _UNIT_SECONDS[unit]
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds):
        raise click.BadParameter(
            f"{text!r} is not a duration: use seconds or a number with s, m, h or d "
            "(0, 90s, 30m, 1h, 2d)."
        )
    if seconds < 0:
        raise click.BadParameter(f"{text!r}: a duration cannot be negative.")
    return seconds
