"""The part body linea hands the S3 client: read piece by piece, re-read on every attempt."""

from __future__ import annotations

import hashlib
import io

from linea_core.builtins.multipart import PartBody


def _read_pass(body: PartBody, chunk: int) -> bytes:
    """What botocore does to hash or send a body: note where it is, read to the end."""
    start = body.tell()
    pieces = []
    while piece := body.read(chunk):
        pieces.append(piece)
    body.seek(start)
    return b"".join(pieces)


def test_a_part_body_reads_in_small_pieces_and_seeks_back() -> None:
    data = bytes(range(256)) * 4096  # 1 MiB
    body = PartBody(memoryview(bytearray(data)))
    assert len(body) == len(data)
    assert body.read(10) == data[:10]
    # Asked for everything, it returns one piece: the client would otherwise hold a
    # copy of the whole part.
    assert body.read() == data[10 : 10 + 256 * 1024]
    assert body.seek(0, io.SEEK_END) == len(data)
    body.seek(0)
    assert _read_pass(body, 65536) == data  # a hash pass
    assert hashlib.sha256(_read_pass(body, 1 << 20)).digest() == hashlib.sha256(data).digest()
    chunk = bytearray(300_000)
    assert body.readinto(chunk) == 300_000 and bytes(chunk) == data[:300_000]


def test_a_new_attempt_of_the_same_call_reads_the_whole_part_again() -> None:
    """s3fs retries a failed call with the same arguments, so with the same body, which
    the failed attempt left at its end: the retry must send the part, not nothing."""
    data = b"part " * 100_000
    body = PartBody(memoryview(bytearray(data)))
    sent = bytearray()
    while piece := body.read(262144):  # the first attempt sends it all, then fails
        sent += piece
    assert bytes(sent) == data
    assert _read_pass(body, 1 << 20) == data  # the retry's hash pass
    assert _read_pass(body, 262144) == data  # and its send


def test_an_empty_body_is_empty() -> None:
    body = PartBody(memoryview(b""))
    assert len(body) == 0 and body.tell() == 0 and body.read() == b""
