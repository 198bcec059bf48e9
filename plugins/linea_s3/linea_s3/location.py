"""The configured S3 location: its filesystem, an access check, and unfinished uploads.

Values themselves go through linea's own storage ("lineapy"), which writes any fsspec URL
and commits an object-store upload only once the value is complete. What that generic path
cannot know about S3 lives here: an upload cut short by a killed process (or a server that
went away before the abort reached it) leaves a *multipart upload* behind. It is never
visible as an object, so no reader and no ``linea artifacts gc`` ever sees it, but S3 keeps
(and bills) its parts until it is aborted. :func:`unfinished_uploads` finds linea's own and
:func:`abort_uploads` aborts them.

Credentials are whatever s3fs finds: ``storage_options`` (``key``/``secret``, ``profile``,
``endpoint_url``, ``client_kwargs``...) first, then AWS's default chain (environment,
``AWS_PROFILE``, shared files, instance roles; ``AWS_ENDPOINT_URL`` for S3-compatible
servers). Every message this module produces is masked with the strings found in
``storage_options``, so a key or secret given there never reaches a terminal or a log.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from linea_core.errors import LineaError
from linea_core.plugins import mask_text, secret_strings

if TYPE_CHECKING:
    from s3fs import S3FileSystem

PROTOCOLS = ("s3", "s3a")
# linea's value keys under the storage root: a shard folder and a token (see core's storage).
_VALUE_KEY = re.compile(r"(?:^|/)[0-9a-f]{2}/(?:\.tmp-)?[0-9a-f][0-9a-f-]+$")


class S3LocationError(LineaError):
    """The configured S3 location cannot be used; the message says what to do."""


@dataclass(frozen=True)
class S3Location:
    """``artifact_storage_dir`` as a bucket and a key prefix, with the options to reach it."""

    url: str
    bucket: str
    prefix: str  # without leading or trailing "/"
    storage_options: Mapping[str, Any]

    def masked(self, text: str) -> str:
        """``text`` with every string of ``storage_options`` (and URL passwords) masked."""
        return mask_text(text, secret_strings(dict(self.storage_options)))

    def key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name


def configured_location(
    artifact_storage_dir: str, storage_options: Mapping[str, Any] | None
) -> S3Location:
    """The S3 location ``artifact_storage_dir`` names, or an error saying it names none."""
    url = str(artifact_storage_dir)
    protocol, separator, rest = url.partition("://")
    if not separator or protocol not in PROTOCOLS:
        raise S3LocationError(
            f"artifact_storage_dir is {mask_text(url)!r}, not an S3 location; set it to "
            "s3://BUCKET/PREFIX (linea_config.json, LINEA_ARTIFACT_STORAGE_DIR or "
            "--artifact-storage-dir)."
        )
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise S3LocationError(f"artifact_storage_dir {mask_text(url)!r} names no bucket.")
    return S3Location(url, bucket, prefix.strip("/"), dict(storage_options or {}))


def filesystem(location: S3Location) -> S3FileSystem:
    """The s3fs filesystem for ``location`` (fsspec's cached instance, as linea's storage uses)."""
    import fsspec

    return fsspec.filesystem("s3", **dict(location.storage_options))


def explain(location: S3Location, exc: BaseException) -> str:
    """One masked line saying what went wrong with S3 and what to do about it."""
    name = type(exc).__name__
    text = str(exc) or name
    if name in ("NoCredentialsError", "PartialCredentialsError"):
        advice = (
            "no AWS credentials found: configure them as for the AWS CLI (aws configure, "
            "AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) or set storage_options "
            "{'profile': ...}"
        )
    elif isinstance(exc, PermissionError):
        advice = f"access denied ({text}); check the credentials and the bucket's policy"
    elif isinstance(exc, FileNotFoundError):
        advice = f"bucket {location.bucket!r} not found ({text})"
    elif name in ("EndpointConnectionError", "ConnectTimeoutError", "ConnectionError") or (
        isinstance(exc, (ConnectionError, TimeoutError))
    ):
        advice = (
            f"cannot reach the S3 endpoint ({text}); check storage_options['endpoint_url'] "
            "or AWS_ENDPOINT_URL and the network"
        )
    else:
        advice = f"{name}: {text}"
    return location.masked(f"S3 location {location.url}: {advice}")


def check_access(location: S3Location) -> int:
    """Write, read back and delete a probe object under the prefix; its size in bytes.

    Raises :class:`S3LocationError` (one masked line) when any step fails.
    """
    payload = f"linea access check {uuid.uuid4().hex}\n".encode()
    probe = f"{location.bucket}/{location.key(f'.linea-check-{uuid.uuid4().hex}')}"
    try:
        fs = filesystem(location)
        fs.pipe_file(probe, payload)
        try:
            if fs.cat_file(probe) != payload:
                raise S3LocationError(
                    location.masked(f"S3 location {location.url}: a probe read back differently")
                )
        finally:
            fs.rm_file(probe)
    except S3LocationError:
        raise
    except Exception as exc:
        raise S3LocationError(explain(location, exc)) from None
    return len(payload)


@dataclass(frozen=True)
class UnfinishedUpload:
    """A multipart upload of one of linea's value keys that was never completed or aborted."""

    key: str
    upload_id: str
    initiated: float  # seconds since the epoch

    def age_s(self, now: float) -> float:
        return now - self.initiated


def unfinished_uploads(
    location: S3Location, *, min_age_s: float, now: float | None = None
) -> list[UnfinishedUpload]:
    """linea's unfinished multipart uploads under the prefix, older than ``min_age_s``.

    Younger ones are left out: a save in progress looks exactly like an abandoned one.
    """
    now = time.time() if now is None else now
    try:
        fs = filesystem(location)
        return [
            upload
            for upload in _list_uploads(fs, location)
            if _VALUE_KEY.search(upload.key) and upload.age_s(now) >= min_age_s
        ]
    except Exception as exc:
        raise S3LocationError(explain(location, exc)) from None


def abort_uploads(location: S3Location, uploads: list[UnfinishedUpload]) -> None:
    """Abort each upload (S3 then frees its parts); one that is already gone is fine."""
    fs = filesystem(location)
    for upload in uploads:
        try:
            fs.call_s3(
                "abort_multipart_upload",
                Bucket=location.bucket,
                Key=upload.key,
                UploadId=upload.upload_id,
            )
        except FileNotFoundError:
            continue
        except Exception as exc:
            raise S3LocationError(explain(location, exc)) from None


def _list_uploads(fs: S3FileSystem, location: S3Location) -> Iterator[UnfinishedUpload]:
    prefix = f"{location.prefix}/" if location.prefix else ""
    markers: dict[str, str] = {}
    while True:
        page = fs.call_s3(
            "list_multipart_uploads", Bucket=location.bucket, Prefix=prefix, **markers
        )
        for item in page.get("Uploads", []):
            yield UnfinishedUpload(item["Key"], item["UploadId"], _timestamp(item["Initiated"]))
        if not page.get("IsTruncated"):
            return
        markers = {
            "KeyMarker": page["NextKeyMarker"],
            "UploadIdMarker": page["NextUploadIdMarker"],
        }


def _timestamp(value: Any) -> float:
    if isinstance(value, datetime):
        return value.timestamp()
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
