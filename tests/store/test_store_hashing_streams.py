"""The store's hashing streams: the same hash and the same bytes whichever way they hash.

Large buffers are hashed inline slice by slice, or on a helper thread beside the I/O
when a core looks idle (``spare_core``); both are forced here, so both are covered
on any machine. A large value corrupted or cut short anywhere must be reported.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

import numpy as np
import pytest
import xxhash
from store_helpers import stored_files

from linea_core.builtins.serializers import NumpySerializer
from linea_core.store import hashing_streams
from linea_core.store.errors import ValueMissingError
from linea_core.store.hashing_streams import HashingReader, HashingWriter
from linea_core.store.repository import Store

BIG = 3 * hashing_streams.READ_SLICE + 12345  # several slices and a ragged end


@pytest.fixture(params=[True, False], ids=["helper-thread", "inline"])
def beside_io(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    monkeypatch.setattr(hashing_streams, "spare_core", lambda: request.param)
    return bool(request.param)


def _payload(size: int) -> bytes:
    return np.random.default_rng(7).integers(0, 256, size, dtype=np.uint8).tobytes()


def _expected(data: bytes) -> str:
    return f"xxh3-128:{xxhash.xxh3_128(data).hexdigest()}"


def _helper_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "linea-hash"]


def test_writer_hashes_and_passes_every_byte_in_order(beside_io: bool) -> None:
    data = _payload(BIG)
    target = io.BytesIO()
    writer = HashingWriter(target)
    writer.write(data[:100])  # small: inline
    writer.write(memoryview(data)[100 : BIG - 7])  # large
    writer.write(data[BIG - 7 :])
    writer.close()
    assert target.getvalue() == data
    assert writer.size == BIG
    assert writer.content_hash == _expected(data)
    assert _helper_threads() == []


def test_writer_is_done_with_a_buffer_when_write_returns(beside_io: bool) -> None:
    # io's contract: the caller may reuse its buffer as soon as write() returns.
    buffer = bytearray(_payload(BIG))
    original = bytes(buffer)
    target = io.BytesIO()
    writer = HashingWriter(target)
    writer.write(buffer)
    buffer[:] = bytes(len(buffer))
    writer.close()
    assert writer.content_hash == _expected(original)
    assert target.getvalue() == original


def test_reader_fills_large_buffers_and_hashes_them(beside_io: bool) -> None:
    data = _payload(BIG)
    reader = HashingReader(io.BytesIO(data), "xxh3-128")
    head = reader.read(10)
    buffer = bytearray(BIG + 1000)  # more than is left: a short read at the end
    count = reader.readinto(buffer)
    reader.close()
    assert head + bytes(buffer[:count]) == data
    assert count == BIG - 10
    assert reader.size == BIG
    assert f"xxh3-128:{reader.hexdigest()}" == _expected(data)
    assert _helper_threads() == []


def test_reader_without_readinto_still_fills_and_hashes(beside_io: bool) -> None:
    class ReadOnly:  # a source offering read() only
        def __init__(self, data: bytes) -> None:
            self._inner = io.BytesIO(data)

        def read(self, size: int = -1) -> bytes:
            return self._inner.read(size)

    data = _payload(BIG)
    reader = HashingReader(ReadOnly(data), "xxh3-128")  # type: ignore[arg-type]
    buffer = bytearray(BIG)
    assert reader.readinto(buffer) == BIG
    reader.close()
    assert bytes(buffer) == data
    assert f"xxh3-128:{reader.hexdigest()}" == _expected(data)


@pytest.mark.parametrize("where", [0.0, 0.5, 0.999], ids=["start", "middle", "end"])
def test_a_corrupted_large_value_is_reported_not_returned(
    store: Store, storage_dir: Path, beside_io: bool, where: float
) -> None:
    store.save_artifact("x", np.arange(BIG // 8, dtype=np.float64))
    [path] = stored_files(storage_dir)
    raw = bytearray(path.read_bytes())
    spot = min(len(raw) - 1, 128 + int((len(raw) - 128) * where))
    raw[spot] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueMissingError, match="corrupted: its content hash differs"):
        store.load_value(store.get_artifact("x"))
    assert _helper_threads() == []


def test_a_large_value_round_trips_and_its_file_is_exactly_its_bytes(
    store: Store, storage_dir: Path, beside_io: bool
) -> None:
    value = np.random.default_rng(1).random(BIG // 8)
    store.save_artifact("x", value)
    [path] = stored_files(storage_dir)
    assert path.stat().st_size == store.get_artifact("x").value.size  # type: ignore[union-attr]
    assert np.array_equal(np.load(path), value)
    assert np.array_equal(store.load_value(store.get_artifact("x")), value)
    assert _helper_threads() == []


def test_an_over_announced_size_leaves_no_reserved_tail(tmp_path: Path) -> None:
    # reserve() is a hint; a serializer that writes less must not leave a longer file
    # (or blocks reserved past its end).
    path = tmp_path / "value"
    data = _payload(1 << 20)
    with path.open("wb") as stream:
        writer = HashingWriter(stream)
        writer.reserve(64 << 20)
        writer.write(data)
        writer.close()
    assert path.read_bytes() == data
    assert path.stat().st_blocks * 512 < 8 << 20


def test_the_numpy_serializer_announces_its_size() -> None:
    announced: list[int] = []

    class Recording(io.BytesIO):
        def reserve(self, nbytes: int) -> None:
            announced.append(nbytes)

    value = np.arange(1000.0)
    stream = Recording()
    NumpySerializer().dump(value, stream)
    assert announced == [value.nbytes]
    assert len(stream.getvalue()) == 128 + value.nbytes
