"""The objects plugins hand to linea through the hooks.

These are structural protocols: a plugin does not subclass anything from linea, it
returns objects that have these attributes. Keeping the contract structural means a
plugin's own package never has to import linea's internals, only this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, runtime_checkable

if TYPE_CHECKING:
    # Names for annotations only: the pipeline model sits above this layer at run time
    # (pyproject.toml's import contract lists these three type-only imports).
    from linea_core.pipeline.files import PipelineFile
    from linea_core.pipeline.model import Pipeline
    from linea_core.pipeline.options import WriterOptions


@runtime_checkable
class Serializer(Protocol):
    """Turns Python values into bytes and back, through streams.

    ``name`` is stored next to every value so the value can be read back by the same
    serializer later, even if the default changes. ``can_serialize`` lets linea pick
    the first serializer able to handle a value, in priority order (lower first).
    ``dump`` writes straight into the destination (a file, an upload) and ``load``
    reads straight from it: neither should build the whole serialized value in memory
    first, which is what keeps a large value from needing twice its size. A ``dump``
    that knows how many bytes it is about to write may call ``stream.reserve(nbytes)``
    when the stream has it (the store's does): a local file then reserves its blocks
    up front, which makes writing it cheaper. It is only a hint.
    """

    name: str
    priority: int

    def can_serialize(self, value: object) -> bool: ...

    def dump(self, value: object, stream: BinaryIO) -> None: ...

    def load(self, stream: BinaryIO) -> object: ...


@dataclass(frozen=True)
class StoredValue:
    """Where a backend put a value: enough to read it back or delete it.

    ``root`` is where the backend placed values when this one was written (for
    linea's own files: the ``artifact_storage_dir`` of that moment; for a value
    backend: whatever it needs, e.g. a tracking URI). Linea records it with the value,
    so changing the configuration later never loses track of values written before.
    ``location`` is the value's place under ``root`` (a key, a model URI).
    ``metadata`` is shown by ``get_metadata()`` under the backend's name.
    """

    backend: str
    location: str
    metadata: Mapping[str, Any] = field(default_factory=dict)
    root: str = ""


@runtime_checkable
class StorageBackend(Protocol):
    """Keeps serialized values as bytes somewhere (local files, any fsspec location).

    Linea chooses the serializer and streams its output into the backend: ``write``
    calls ``fill(stream)`` with a writable binary stream of its own and must be
    atomic (a value that is not completely written is never visible at its key;
    nothing is left behind under the key if ``fill`` raises). ``root`` names where
    writes go under the given options, without credentials: linea records it with
    every value and keys deduplication on it. ``open`` returns a readable binary
    stream (a context manager) for a stored value; ``delete`` removes one and is
    not an error when it is already gone.
    """

    name: str

    def root(self, *, options: Mapping[str, Any]) -> str: ...

    def write(
        self, key: str, fill: Callable[[BinaryIO], None], *, options: Mapping[str, Any]
    ) -> StoredValue: ...

    def open(self, stored: StoredValue, *, options: Mapping[str, Any]) -> BinaryIO: ...

    def delete(self, stored: StoredValue, *, options: Mapping[str, Any]) -> None: ...


@dataclass(frozen=True)
class StorageEntry:
    """One file a backend holds under a root, as ``linea artifacts gc`` sees it."""

    key: str
    size: int
    modified: float  # seconds since the epoch
    temporary: bool = False  # a leftover of an interrupted write


@runtime_checkable
class CollectableStorage(Protocol):
    """What a :class:`StorageBackend` adds so ``linea artifacts gc`` can clean it.

    ``entries`` lists linea's files under ``root`` (values and leftovers of
    interrupted writes, nothing else that may live there); ``discard`` removes one.
    A backend without these methods is simply not collected.
    """

    def entries(self, root: str, *, options: Mapping[str, Any]) -> Iterator[StorageEntry]: ...

    def discard(self, root: str, key: str, *, options: Mapping[str, Any]) -> None: ...


@runtime_checkable
class ValueBackend(Protocol):
    """Persists values itself, as a model registry does (MLflow's ``log_model``).

    Linea hands over the value, not bytes. ``accepts`` says whether this backend can
    keep the value at all (anything else falls back to linea's own storage);
    ``is_default_for`` whether it wants the value when ``save`` names no backend.
    ``save`` receives the keyword arguments given to ``save(...)`` as ``options``
    (passed on to the underlying API, e.g. ``registered_model_name``) and linea's
    configuration items as ``config`` (``mlflow_tracking_uri``, ...); the
    :class:`StoredValue` it returns is recorded with the artifact, its ``metadata``
    shown by ``get_metadata()``. ``load`` and ``delete`` get that record back.
    """

    name: str

    def accepts(self, value: Any, *, config: Mapping[str, Any]) -> bool: ...

    def is_default_for(self, value: Any, *, config: Mapping[str, Any]) -> bool: ...

    def save(
        self,
        value: Any,
        *,
        artifact_name: str,
        options: Mapping[str, Any],
        config: Mapping[str, Any],
    ) -> StoredValue: ...

    def load(self, stored: StoredValue, *, config: Mapping[str, Any]) -> Any: ...

    def delete(self, stored: StoredValue, *, config: Mapping[str, Any]) -> None: ...


AnyStorageBackend = StorageBackend | ValueBackend


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
    scaffold when ``generate_test=True``). ``options`` is the instance of the writer's
    own options model; it is typed ``Any`` because a protocol's parameter cannot name
    each writer's subclass (a writer annotates it with its own model). See
    ``docs/plugins.md``.
    """

    framework: str

    def options_model(self) -> type[WriterOptions]: ...

    def render(self, pipeline: Pipeline, options: Any) -> Iterable[PipelineFile]: ...
