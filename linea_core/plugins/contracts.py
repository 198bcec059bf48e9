"""The objects plugins hand to linea through the hooks.

These are structural protocols: a plugin does not subclass anything from linea, it
returns objects that have these attributes. Keeping the contract structural means a
plugin's own package never has to import linea's internals, only this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Protocol, runtime_checkable


@runtime_checkable
class Serializer(Protocol):
    """Turns Python values into bytes and back.

    ``name`` is stored next to every value so the value can be read back by the same
    serializer later, even if the default changes. ``can_serialize`` lets linea pick
    the first serializer able to handle a value, in priority order (lower first).
    """

    name: str
    priority: int

    def can_serialize(self, value: Any) -> bool: ...

    def dump(self, value: Any, stream: BinaryIO) -> None: ...

    def load(self, stream: BinaryIO) -> Any: ...


@dataclass(frozen=True)
class StoredValue:
    """Where a backend put a value: enough to read it back or delete it."""

    backend: str
    location: str
    metadata: Mapping[str, Any] = field(default_factory=dict)


@runtime_checkable
class StorageBackend(Protocol):
    """Keeps artifact values somewhere (local files, object stores, model registries).

    ``write`` must be atomic: a value that is not completely written must never be
    visible at ``location``. Linea commits the artifact's database row only after
    ``write`` returns, so a crash in between leaves at worst an unreferenced file.
    """

    name: str

    def write(self, key: str, data: bytes, *, options: Mapping[str, Any]) -> StoredValue: ...

    def read(self, stored: StoredValue, *, options: Mapping[str, Any]) -> bytes: ...

    def delete(self, stored: StoredValue, *, options: Mapping[str, Any]) -> None: ...


@dataclass(frozen=True)
class AnnotationPack:
    """A named set of library annotations in LineaPy's YAML format.

    Exactly one of ``path`` (a ``.yaml`` file) or ``text`` (its contents) is given.
    """

    name: str
    path: Path | None = None
    text: str | None = None


@runtime_checkable
class PipelineWriter(Protocol):
    """Renders a pipeline for one orchestration framework (``framework``, e.g. "AIRFLOW").

    ``options_model()`` returns the pydantic model of the writer's options (a subclass
    of :class:`linea_core.pipeline.options.WriterOptions`); linea validates the user's
    ``pipeline_dag_config`` against it (unknown keys are an error listing the valid
    ones) and passes the instance to ``render``. Import pydantic and the model inside
    ``options_model``, not at the top of the plugin module: hooks run at every ``linea``
    command.

    ``render(pipeline, options)`` receives the immutable pipeline model
    (:class:`linea_core.pipeline.Pipeline`) and returns the files to write, as
    :class:`linea_core.pipeline.PipelineFile` objects; linea writes them (and the test
    scaffold when ``generate_test=True``). Both are typed ``Any`` here because this
    layer sits below the pipeline model; see ``docs/plugins.md``.
    """

    framework: str

    def options_model(self) -> Any: ...

    def render(self, pipeline: Any, options: Any) -> Iterable[Any]: ...
