"""Small, working implementations of each plugin contract, for host tests."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Mapping
from typing import Any, BinaryIO

from linea_core.plugins import StoredValue


class ToyWriter:
    def __init__(self, framework: str) -> None:
        self.framework = framework

    def options_model(self) -> Any:
        from linea_core.pipeline.options import WriterOptions

        return WriterOptions

    def render(self, pipeline: Any, options: Any) -> list[Any]:
        from linea_core.pipeline import PipelineFile

        return [PipelineFile(f"{self.framework.lower()}.txt", f"pipeline {pipeline.name}\n")]


class JsonSerializer:
    def __init__(self, name: str = "json", priority: int = 50) -> None:
        self.name = name
        self.priority = priority

    def can_serialize(self, value: Any) -> bool:
        return isinstance(value, (dict, list, str, int, float, bool, type(None)))

    def dump(self, value: Any, stream: BinaryIO) -> None:
        stream.write(json.dumps(value).encode())

    def load(self, stream: BinaryIO) -> Any:
        return json.loads(stream.read())


class MemoryBackend:
    """A byte backend keeping values in a dict (streamed in, atomically on success)."""

    def __init__(self, name: str = "memory") -> None:
        self.name = name
        self.blobs: dict[str, bytes] = {}

    def root(self, *, options: Mapping[str, Any]) -> str:
        return f"memory-toy:{self.name}"

    def write(
        self, key: str, fill: Callable[[BinaryIO], None], *, options: Mapping[str, Any]
    ) -> StoredValue:
        buffer = io.BytesIO()
        fill(buffer)
        self.blobs[key] = buffer.getvalue()
        return StoredValue(self.name, key, root=self.root(options=options))

    def open(self, stored: StoredValue, *, options: Mapping[str, Any]) -> BinaryIO:
        try:
            return io.BytesIO(self.blobs[stored.location])
        except KeyError:
            raise FileNotFoundError(stored.location) from None

    def delete(self, stored: StoredValue, *, options: Mapping[str, Any]) -> None:
        self.blobs.pop(stored.location, None)
