"""Uploading a value to S3 in parts from one reused buffer, each part streamed as it is sent.

fsspec's S3 file (s3fs) buffers a part in a ``BytesIO``, copies it out to send it, and
the event loop's socket transport copies whatever the socket did not take at once: for
a value streamed by a serializer that is three or four copies of a part on top of the
value itself (about 0.13x of a 500 MB array with 16 MB parts). Here the serializer's
bytes go into one preallocated part buffer, and a full part is handed to the S3 client
as a seekable stream over that buffer, which it reads in small pieces to sign, checksum
and send. So a save costs one part's size in memory beyond the value, and the part can
be S3's minimum (5 MiB) without a copy multiplying it.

Used for any fsspec filesystem that offers S3's calls (``call_s3``: s3fs). The upload
stays invisible until :meth:`MultipartUpload.commit` completes it; :meth:`discard`
aborts it, so S3 frees the parts already sent (``linea s3 uploads`` finds the ones a
killed process could not abort).
"""

from __future__ import annotations

import io
from typing import Any

# S3's smallest part (the last part of an upload may be smaller).
MIN_PART_SIZE = 5 << 20
# The default part size doubles after each this many parts, so S3's limit of 10,000 parts
# is reached only by objects beyond S3's 5 TiB maximum while the buffer stays a fraction
# of a percent of the value (5 MiB parts up to 4.9 GiB, 10 MiB up to 14.6 GiB, ...).
PARTS_PER_SIZE = 1000
# The most a read of a part body returns at once.
_PIECE = 256 << 10


class PartBody(io.RawIOBase):
    """A readable, seekable stream over one part's bytes, reading without copying them all.

    The S3 client reads the body more than once (payload hash, checksum, sending) and
    seeks back between; each read returns only the small piece asked for.
    """

    def __init__(self, view: memoryview) -> None:
        super().__init__()
        self._view = view
        self._position = 0

    def __len__(self) -> int:
        return self._view.nbytes

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        # Every reader starts by asking where it is, and nobody asks at the end of a pass
        # within one request (each pass seeks back to where it began). So being asked at
        # the end means a new attempt of the same call (s3fs retries with the same
        # arguments): it must read the part again, not an empty remainder.
        if self._position >= self._view.nbytes:
            self._position = 0
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._view.nbytes}
        self._position = max(0, base[whence] + offset)
        return self._position

    def read(self, size: int = -1) -> bytes:
        # At most one piece per call (a short read, as a raw stream may return): the
        # client asks for up to the whole part at once and would hold a copy of it.
        end = self._view.nbytes if size is None or size < 0 else self._position + size
        end = min(end, self._position + _PIECE, self._view.nbytes)
        piece = bytes(self._view[self._position : end]) if end > self._position else b""
        self._position += len(piece)
        return piece

    def readinto(self, buffer: Any) -> int:
        target = memoryview(buffer).cast("B")
        count = max(0, min(target.nbytes, self._view.nbytes - self._position))
        target[:count] = self._view[self._position : self._position + count]
        self._position += count
        return count


class MultipartUpload:
    """A write-only binary stream into one S3 key, published only by :meth:`commit`.

    ``fs`` is an s3fs filesystem (anything with ``call_s3``, ``split_path`` and
    ``invalidate_cache``). ``part_size`` fixes the size of every part but the last;
    without it parts start at S3's minimum and grow as described at
    :data:`PARTS_PER_SIZE` (not when the filesystem demands equal parts, as Cloudflare
    R2 does: s3fs's ``fixed_upload_size``).
    """

    def __init__(self, fs: Any, path: str, part_size: int | None = None) -> None:
        self._fs = fs
        self._path = path
        bucket, key, _version = fs.split_path(path)
        self._where = {"Bucket": bucket, "Key": key}
        self._fixed_size = part_size is not None or bool(getattr(fs, "fixed_upload_size", False))
        self._buffer = bytearray(max(part_size or MIN_PART_SIZE, MIN_PART_SIZE))
        self._filled = 0
        self._upload_id: str | None = None
        self._parts: list[dict[str, Any]] = []
        self.closed = False

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.closed:
            raise ValueError("write to a closed upload")
        view = memoryview(data)
        if view.ndim != 1 or view.format not in ("B", "b", "c"):
            view = view.cast("B")
        written = 0
        while written < view.nbytes:
            room = len(self._buffer) - self._filled
            count = min(room, view.nbytes - written)
            self._buffer[self._filled : self._filled + count] = view[written : written + count]
            self._filled += count
            written += count
            if self._filled == len(self._buffer):
                self._send_part()
        return written

    def flush(self) -> None:
        """Parts go out when full; a short one only as the last (S3 needs 5 MiB parts)."""

    def close(self) -> None:
        """Stop accepting writes; sends nothing (see :meth:`commit` and :meth:`discard`)."""
        self.closed = True

    def commit(self) -> None:
        """Send what is buffered and publish the object under its key."""
        self.closed = True
        if self._upload_id is None:
            self._call("put_object", Body=PartBody(memoryview(self._buffer)[: self._filled]))
        else:
            if self._filled:
                self._send_part()
            self._call(
                "complete_multipart_upload",
                UploadId=self._upload_id,
                MultipartUpload={"Parts": self._parts},
            )
        self._buffer = bytearray()
        self._fs.invalidate_cache(self._path)

    def discard(self) -> None:
        """Abort the upload: S3 frees the parts sent so far; nothing appears at the key."""
        self.closed = True
        self._buffer = bytearray()
        if self._upload_id is not None:
            upload_id, self._upload_id = self._upload_id, None
            self._call("abort_multipart_upload", UploadId=upload_id)

    def _send_part(self) -> None:
        if self._upload_id is None:
            self._upload_id = str(self._call("create_multipart_upload")["UploadId"])
        number = len(self._parts) + 1
        body = PartBody(memoryview(self._buffer)[: self._filled])
        sent = self._call("upload_part", UploadId=self._upload_id, PartNumber=number, Body=body)
        self._parts.append({"PartNumber": number, "ETag": sent["ETag"]})
        self._filled = 0
        if not self._fixed_size and number % PARTS_PER_SIZE == 0:
            self._buffer = bytearray(2 * len(self._buffer))

    def _call(self, method: str, **kwargs: Any) -> Any:
        return self._fs.call_s3(method, **self._where, **kwargs)
