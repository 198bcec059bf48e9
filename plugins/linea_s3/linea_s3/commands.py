"""``linea s3 check`` and ``linea s3 uploads`` for an S3 artifact_storage_dir.

Installing linea-s3 is what makes ``artifact_storage_dir = "s3://bucket/prefix"`` work:
linea's own storage reaches any fsspec URL, and this distribution brings s3fs, the fsspec
filesystem for S3. The commands cover what only S3 has: checking that the configured
credentials reach the bucket, and aborting the multipart uploads that saves killed
mid-way left behind (see :mod:`linea_s3.location`). Nothing here runs at import time
beyond defining the commands; s3fs is imported by the commands that use it. Errors and
durations are shown and read as linea's own commands do (``linea_core.cli``).
:mod:`linea_s3.plugin` imports this module (and click) only when the ``linea`` command
line asks plugins for their commands.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import click

from linea_core.cli.durations import parse_duration
from linea_core.cli.user_errors import user_errors

if TYPE_CHECKING:
    from linea_s3.location import S3Location


def _location() -> S3Location:
    from linea_core.context import current_context
    from linea_s3.location import configured_location

    options = current_context().options
    with user_errors():
        return configured_location(str(options.artifact_storage_dir), options.storage_options)


@click.group("s3")
def s3() -> None:
    """Check and tidy an S3 artifact_storage_dir (linea-s3)."""


@s3.command("check")
def check() -> None:
    """Write, read back and delete a probe object under artifact_storage_dir."""
    from linea_s3.location import check_access

    location = _location()
    with user_errors():
        check_access(location)
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
    from linea_s3.location import abort_uploads, unfinished_uploads

    min_age_s = parse_duration(min_age)
    location = _location()
    now = time.time()
    with user_errors():
        found = unfinished_uploads(location, min_age_s=min_age_s, now=now)
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
    with user_errors():
        abort_uploads(location, found)
    click.echo(f"Aborted {len(found)} upload(s).")
