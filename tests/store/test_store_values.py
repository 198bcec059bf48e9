"""Where values live and how they move: recorded locations, verified dedup, native formats,
value-level backends, streaming."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from store_helpers import RegistryBackend, stored_files, temporary_files

from linea_core.builtins import serializers as builtin_serializers
from linea_core.builtins import storage as builtin_storage
from linea_core.plugins import StoredValue, hookimpl
from linea_core.plugins.host import PluginHost
from linea_core.store.errors import StorageFallbackWarning, ValueMissingError
from linea_core.store.repository import Store


def _open(url: str, storage: Path | str, plugins: PluginHost, **kwargs: object) -> Store:
    return Store.open(
        url,
        artifact_storage_dir=str(storage),
        serializers=plugins.serializers(),
        backends=plugins.storage_backends(),
        **kwargs,  # type: ignore[arg-type]
    )


def test_changing_the_storage_dir_does_not_orphan_earlier_values(
    database_url: str, plugins: PluginHost, tmp_path: Path
) -> None:
    first = _open(database_url, tmp_path / "first", plugins)
    first.save_artifact("early", {"saved": "first"})
    first.close()
    second = _open(database_url, tmp_path / "second", plugins)
    try:
        later = second.save_artifact("later", {"saved": "second"})
        # Both readable from a store configured for the second directory only.
        assert second.load_value(second.get_artifact("early")) == {"saved": "first"}
        assert second.load_value(later) == {"saved": "second"}
        # The same content saved under the new directory is stored there, not linked
        # to the copy under the old one.
        again = second.save_artifact("again", {"saved": "first"})
        assert again.value is not None and again.value.root == str(tmp_path / "second")
        assert len(stored_files(tmp_path / "second")) == 2
        second.delete_artifacts("early", "all")
        assert stored_files(tmp_path / "first") == []
    finally:
        second.close()


def test_dedup_checks_the_shared_file_and_repairs_a_lost_one(
    store: Store, storage_dir: Path
) -> None:
    first = store.save_artifact("a", list(range(50)))
    [path] = stored_files(storage_dir)
    path.unlink()  # lost: a disk cleanup, a manual rm
    second = store.save_artifact("b", list(range(50)))
    assert first.value is not None and second.value is not None
    assert second.value.id == first.value.id  # the same recorded value ...
    assert second.value.location != first.value.location  # ... now at a fresh copy
    # ... which the older artifact reads too: repairing the row healed it.
    assert store.load_value(store.get_artifact("a")) == list(range(50))
    assert len(stored_files(storage_dir)) == 1


def test_dedup_keeps_a_verified_copy_and_drops_the_fresh_one(
    store: Store, storage_dir: Path
) -> None:
    first = store.save_artifact("a", "shared")
    second = store.save_artifact("b", "shared")
    assert first.value is not None and second.value is not None
    assert second.value.location == first.value.location
    assert len(stored_files(storage_dir)) == 1 and temporary_files(storage_dir) == []


def test_dedup_is_keyed_on_per_save_placement(
    database_url: str, tmp_path: Path, plugins: PluginHost
) -> None:
    """An archive-style backend option that moves the value makes a separate copy."""
    store = _open(database_url, tmp_path / "values", plugins)
    try:
        here = store.save_artifact("x", "same", backend_options={})
        store_b = _open(database_url, tmp_path / "elsewhere", plugins)
        there = store_b.save_artifact("y", "same")
        store_b.close()
        assert here.value is not None and there.value is not None
        assert here.value.id != there.value.id
        assert store.load_value(store.get_artifact("y")) == "same"
    finally:
        store.close()


def test_truncated_value_is_reported_not_returned(store: Store, storage_dir: Path) -> None:
    store.save_artifact("x", np.arange(1000))
    [path] = stored_files(storage_dir)
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ValueMissingError, match="truncated or overwritten: it holds") as info:
        store.load_value(store.get_artifact("x"))
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "value",
    [
        np.arange(24, dtype=np.float32).reshape(2, 3, 4),
        np.asfortranarray(np.arange(12.0).reshape(3, 4)),
        np.arange(30)[::4],
        np.zeros((0, 3)),
        np.array([(1, 2.0)], dtype=[("a", "i4"), ("b", "f8")]),
        np.array(5.5),
    ],
    ids=["c-order", "fortran", "strided", "empty", "structured", "scalar"],
)
def test_numpy_arrays_are_stored_as_npy_files(
    store: Store, storage_dir: Path, value: np.ndarray
) -> None:
    record = store.save_artifact("array", value)
    assert record.value is not None and record.value.serializer == "numpy"
    loaded = store.load_value(store.get_artifact("array"))
    assert loaded.dtype == value.dtype and np.array_equal(loaded, value)
    assert loaded.flags.writeable
    [path] = stored_files(storage_dir)
    assert np.array_equal(np.load(path), value)  # readable without linea


def test_object_arrays_and_subclasses_go_to_pickle(store: Store) -> None:
    objects = store.save_artifact("objects", np.array([{"a": 1}, None], dtype=object))
    masked = store.save_artifact("masked", np.ma.masked_array([1, 2], mask=[0, 1]))
    assert objects.value is not None and objects.value.serializer == "pickle"
    assert masked.value is not None and masked.value.serializer == "pickle"
    assert store.load_value(masked).mask.tolist() == [False, True]


def test_pandas_objects_round_trip_natively(store: Store) -> None:
    frame = pd.DataFrame(
        {"x": np.arange(6), "y": np.linspace(0, 1, 6), "name": list("abcdef")},
        index=pd.Index(list("uvwxyz"), name="key"),
    )
    for name, value in {"frame": frame, "series": frame["y"], "index": frame.index}.items():
        record = store.save_artifact(name, value)
        assert record.value is not None and record.value.serializer == "pandas"
        loaded = store.load_value(store.get_artifact(name))
        assert loaded.equals(value)


def test_a_serializer_failing_midway_leaves_no_file(store: Store, storage_dir: Path) -> None:
    class Breaks:
        def __reduce__(self) -> object:
            raise RuntimeError("cannot")

    with pytest.raises(Exception, match="no serializer could handle it"):
        store.save_artifact("broken", [b"x" * 100_000, Breaks()])
    assert stored_files(storage_dir) == [] and temporary_files(storage_dir) == []


def test_a_storage_failure_midway_is_reported_as_itself(tmp_path: Path) -> None:
    """A destination failing under the serializer (a lost connection, a full disk) is
    not the value's fault: no second serializer is tried and the error is the storage's."""
    written: list[int] = []

    class FailingStream:
        def write(self, data: object) -> int:
            size = memoryview(data).nbytes  # type: ignore[arg-type]
            if sum(written) + size > 50_000:
                raise ConnectionError("connection to the storage lost")
            written.append(size)
            return size

    class Flaky:
        name = "flaky"

        def root(self, *, options: object) -> str:
            return "flaky://"

        def write(self, key: str, fill: Any, *, options: object) -> StoredValue:
            fill(FailingStream())
            raise AssertionError("unreachable")

        def open(self, stored: StoredValue, *, options: object) -> Any:
            raise FileNotFoundError(stored.location)

        def delete(self, stored: StoredValue, *, options: object) -> None:
            pass

    class Plugin:
        @staticmethod
        @hookimpl
        def linea_register_storage_backends(register):  # type: ignore[no-untyped-def]
            register(Flaky())

    plugins = PluginHost.from_modules(builtin_serializers, builtin_storage, ("flaky", Plugin))
    store = _open(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path / "values", plugins)
    try:
        with pytest.raises(ConnectionError, match="connection to the storage lost"):
            store.save_artifact("big", [b"x" * 100_000], storage_backend="flaky")
        assert store.list_artifacts() == []
    finally:
        store.close()


# -- value-level backends -----------------------------------------------------------------


@pytest.fixture
def registry() -> RegistryBackend:
    return RegistryBackend()


@pytest.fixture
def with_registry(registry: RegistryBackend) -> PluginHost:
    class Plugin:
        @staticmethod
        @hookimpl
        def linea_register_storage_backends(register):  # type: ignore[no-untyped-def]
            register(registry)

    return PluginHost.from_modules(builtin_serializers, builtin_storage, ("registry", Plugin))


def test_value_backend_keeps_values_it_accepts(
    sqlite_url: str, tmp_path: Path, with_registry: PluginHost, registry: RegistryBackend
) -> None:
    store = _open(sqlite_url, tmp_path / "values", with_registry)
    try:
        record = store.save_artifact(
            "model",
            3 + 4j,
            storage_backend="registry",
            backend_options={"registered_model_name": "clf"},
        )
        assert record.storage_backend == "registry"
        assert registry.calls == [{"registered_model_name": "clf"}]
        assert record.value is not None and record.value.serializer is None
        assert record.value.backend_metadata == {
            "model_uri": "models:/model/1",
            "options": {"registered_model_name": "clf"},
        }
        assert store.load_value(store.get_artifact("model")) == 3 + 4j
        assert stored_files(tmp_path / "values") == []
        store.delete_artifacts("model", "all")
        assert registry.models == {}
    finally:
        store.close()


def test_value_backend_falls_back_for_values_it_cannot_keep(
    sqlite_url: str, tmp_path: Path, with_registry: PluginHost
) -> None:
    store = _open(sqlite_url, tmp_path / "values", with_registry)
    try:
        with pytest.warns(StorageFallbackWarning, match="cannot keep a value of type dict") as w:
            record = store.save_artifact("settings", {"a": 1}, storage_backend="registry")
        assert w[0].filename == __file__  # the user's line, not linea's
        assert record.storage_backend == "lineapy"
        assert store.load_value(record) == {"a": 1}
    finally:
        store.close()


@pytest.mark.parametrize(
    ("tracking_uri", "expected"), [(None, "lineapy"), ("sqlite:///mlruns.db", "registry")]
)
def test_value_backend_claims_values_by_default_when_configured(
    sqlite_url: str,
    tmp_path: Path,
    with_registry: PluginHost,
    tracking_uri: str | None,
    expected: str,
) -> None:
    store = _open(
        sqlite_url,
        tmp_path / "values",
        with_registry,
        config={"mlflow_tracking_uri": tracking_uri},
    )
    try:
        assert store.save_artifact("model", 1j).storage_backend == expected
        assert store.save_artifact("plain", 1).storage_backend == "lineapy"
        assert store.save_artifact("mine", 2j, storage_backend="lineapy").storage_backend == (
            "lineapy"
        )
    finally:
        store.close()


def test_value_backends_see_options_set_after_the_store_opened(
    tmp_path: Path, with_registry: PluginHost
) -> None:
    """The seed's order: the store is already open (an earlier save) when the notebook
    sets mlflow_tracking_uri; the next save must see it."""
    import linea_core as lineapy
    from linea_core.config.options import resolve_options
    from linea_core.context import LineaContext, use_context

    options = resolve_options({"home_dir": str(tmp_path / "home")}, environ={})
    with use_context(LineaContext(options, plugins=with_registry)) as context:
        assert lineapy.save(1j, "before").storage_backend == "lineapy"
        lineapy.options.set("mlflow_tracking_uri", "sqlite:///tracking.db")
        assert lineapy.save(2j, "after").storage_backend == "registry"
        context.close()
