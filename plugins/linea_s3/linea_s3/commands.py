"""``linea s3 check`` and ``linea s3 uploads`` for an S3 artifact_storage_dir.

Installing linea-s3 is what makes ``artifact_storage_dir = "s3://bucket/prefix"`` work:
linea's own storage reaches any fsspec URL, and this distribution brings s3fs, the fsspec
filesystem for S3. The commands cover what only S3 has: checking that the configured
credentials reach the bucket, and aborting the multipart uploads that saves killed
mid-way left behind (see :mod:`linea_s3.location`). Nothing here runs at import time
beyond defining the commands; s3fs is imported by the commands that use it.
:mod:`linea_s3.plugin` imports this module (and click) only when the ``linea`` command
line asks plugins for their commands.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from linea_s3.location import S3Location

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def _seconds(text: str) -> float:
    match = _DURATION.match(text.lower())
    if match is None:
        raise click.BadParameter(
            f"{text!r} is not a duration: use seconds or a number with s, m, h or d (0, 30m, 2d)."
        )
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def _location() -> S3Location:
    from linea_core.context import current_context
    from linea_s3.location import S3LocationError, configured_location

    options = current_context().options
    try:
        return configured_location(str(options.artifact_storage_dir), options.storage_options)
    except S3LocationError as exc:
        raise click.ClickException(str(exc)) from None


@click.group("s3")
def s3() -> None:
    """Check and tidy an S3 artifact_storage_dir (linea-s3)."""


@s3.command("check")
def check() -> None:
    """Write, read back and delete a probe object under artifact_storage_dir."""
    from linea_s3.location import S3LocationError, check_access

    location = _location()
    try:
        check_access(location)
    except S3LocationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{location.masked(location.url)} is readable and writable.")


@s3.command("uploads")
@click.option(
    "--delete",
    "abort",
    is_flag=True,
    help="Abort the uploads found. Without it nothing is changed (a dry run).",
)
@click.option(
    "--min-age",
    default="1h",
    show_default=True,
    help="Leave uploads younger than this alone (a save in progress): 0, 90s, 30m, 1h, 2d.",
)
def uploads(abort: bool, min_age: str) -> None:
    """Find unfinished multipart uploads that interrupted saves left under the prefix.

    They are invisible (no object, no artifact), but S3 keeps their parts until they
    are aborted. A bucket lifecycle rule "AbortIncompleteMultipartUpload" does the same
    automatically.
    """
    from linea_s3.location import S3LocationError, abort_uploads, unfinished_uploads

    location = _location()
    now = time.time()
    try:
        found = unfinished_uploads(location, min_age_s=_seconds(min_age), now=now)
    except S3LocationError as exc:
        raise click.ClickException(str(exc)) from None
    if not found:
        click.echo(f"No unfinished uploads older than {min_age} under {location.url}.")
        return
    verb = "Aborting" if abort else "Would abort"
    click.echo(f"{verb} {len(found)} unfinished upload(s) under {location.url}:")
    for upload in found:
        hours = upload.age_s(now) / 3600
        click.echo(f"  s3://{location.bucket}/{upload.key}  (started {hours:.1f} h ago)")
    if not abort:
        click.echo("Nothing was changed. Run `linea s3 uploads --delete` to abort them.")
        return
    try:
        abort_uploads(location, found)
    except S3LocationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Aborted {len(found)} upload(s).")
