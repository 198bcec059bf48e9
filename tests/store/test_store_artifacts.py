"""Saving, reading, listing and deleting artifacts, on SQLite and on PostgreSQL."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import xxhash
from store_helpers import stored_files, temporary_files

from linea_core.graph.model import Edge, ExternalState, SliceRoot
from linea_core.plugins.host import PluginHost
from linea_core.store.database import SQL
from linea_core.store.errors import (
    ArtifactNotFoundError,
    InvalidArtifactNameError,
    InvalidVersionError,
    SerializationError,
    UnknownStorageBackendError,
    ValueMissingError,
)
from linea_core.store.repository import Store


def _count(store: Store, table: str) -> int:
    with store.database.read() as connection:
        return connection.scalar(SQL(f"SELECT count(*) FROM {table}"))


def test_versions_count_up_per_name(store: Store) -> None:
    versions = [store.save_artifact("a", i).version for i in range(3)]
    other = store.save_artifact("b", "x").version
    assert versions == [0, 1, 2]
    assert other == 0
    assert store.get_artifact("a").version == 2
    assert store.load_value(store.get_artifact("a", 1)) == 1
    assert store.load_value(store.get_artifact("a", "latest")) == 2


def test_record_fields(store: Store) -> None:
    root = SliceRoot(save_node=4, edges=(Edge(2, frozenset({"df"}), frozenset({"d"})),))
    store.ensure_session("s-1", name="exploration")
    saved = store.save_artifact("m", {"k": [1, 2]}, session_id="s-1", slice_root=root)
    loaded = store.get_artifact("m")
    assert loaded == saved
    assert loaded.session_id == "s-1"
    assert loaded.node_id == 4
    assert loaded.slice_root == root
    assert loaded.storage_backend == "lineapy"
    assert loaded.value is not None and loaded.value.serializer == "pickle"
    assert loaded.date_created.tzinfo is not None
    assert store.session_info("s-1").name == "exploration"


def test_list_artifacts_in_name_and_version_order(store: Store) -> None:
    for name in ["b", "a", "b", "c", "a"]:
        store.save_artifact(name, name)
    listed = [(r.name, r.version) for r in store.list_artifacts()]
    assert listed == [("a", 0), ("a", 1), ("b", 0), ("b", 1), ("c", 0)]
    assert [r.version for r in store.list_artifacts("b")] == [0, 1]
    assert store.artifact_names() == ["a", "b", "c"]


def test_identical_values_are_stored_once(store: Store, storage_dir: Path) -> None:
    first = store.save_artifact("a", list(range(1000)))
    second = store.save_artifact("b", list(range(1000)))
    third = store.save_artifact("a", list(range(1001)))
    assert first.value is not None and second.value is not None and third.value is not None
    assert first.value.id == second.value.id
    assert third.value.id != first.value.id
    assert _count(store, "stored_values") == 2
    assert len(stored_files(storage_dir)) == 2


def test_value_file_removed_only_with_last_reference(store: Store, storage_dir: Path) -> None:
    store.save_artifact("a", "shared")
    store.save_artifact("b", "shared")
    assert len(stored_files(storage_dir)) == 1
    assert store.delete_artifacts("a", 0) == [0]
    assert len(stored_files(storage_dir)) == 1
    assert store.load_value(store.get_artifact("b")) == "shared"
    assert store.delete_artifacts("b", "all") == [0]
    assert stored_files(storage_dir) == []
    assert _count(store, "stored_values") == 0


def test_delete_one_latest_and_all(store: Store) -> None:
    for i in range(4):
        store.save_artifact("x", i)
    assert store.delete_artifacts("x", 1) == [1]
    assert store.delete_artifacts("x", "latest") == [3]
    assert [r.version for r in store.list_artifacts("x")] == [0, 2]
    assert store.delete_artifacts("x", "all") == [0, 2]
    assert store.list_artifacts("x") == []


def test_deleted_version_numbers_are_not_reused(store: Store) -> None:
    store.save_artifact("x", 0)
    store.save_artifact("x", 1)
    store.delete_artifacts("x", "latest")
    assert store.save_artifact("x", 2).version == 2
    store.delete_artifacts("x", "all")
    assert store.save_artifact("x", 3).version == 3


def test_delete_missing_version_names_existing_ones(store: Store) -> None:
    store.save_artifact("x", 0)
    store.save_artifact("x", 1)
    with pytest.raises(ArtifactNotFoundError, match=r"no version 5; existing versions: 0, 1"):
        store.delete_artifacts("x", 5)
    with pytest.raises(InvalidVersionError):
        store.delete_artifacts("x", "newest")
    assert len(store.list_artifacts("x")) == 2


def test_missing_artifact_suggests_close_names(store: Store) -> None:
    for name in ["iris_diff_avg_length", "iris_model", "sales"]:
        store.save_artifact(name, 1)
    with pytest.raises(ArtifactNotFoundError) as info:
        store.get_artifact("iris_diff_avg_lenght")
    message = str(info.value)
    assert "'iris_diff_avg_length'" in message and "Did you mean" in message
    assert "artifact_store()" in message
    assert "'sales'" not in message
    with pytest.raises(ArtifactNotFoundError, match="Did you mean 'sales'"):
        store.get_artifact("Sales")
    with pytest.raises(ArtifactNotFoundError, match="has 3 artifact name"):
        store.get_artifact("zzzzzzzz")
    with pytest.raises(ArtifactNotFoundError, match="no version 9"):
        store.get_artifact("sales", 9)
    with pytest.raises(ArtifactNotFoundError, match="Did you mean 'sales'"):
        store.delete_artifacts("sale", "all")


def test_missing_artifact_in_empty_store(store: Store) -> None:
    with pytest.raises(ArtifactNotFoundError, match="artifact store is empty"):
        store.get_artifact("anything")


def test_cloudpickle_takes_over_what_pickle_refuses(store: Store) -> None:
    def make_adder(n: int) -> Callable[[int], int]:
        return lambda x: x + n

    class Local:
        def __init__(self) -> None:
            self.value = 5

    adder = store.save_artifact("adder", make_adder(3))
    local = store.save_artifact("local", Local())
    assert adder.value is not None and adder.value.serializer == "cloudpickle"
    assert store.load_value(adder)(4) == 7
    assert store.load_value(local).value == 5


def _generator() -> Iterator[int]:
    yield 1


@pytest.mark.parametrize(
    ("make", "type_name"),
    [
        (threading.Lock, "_thread.lock"),
        (_generator, "generator"),
        (lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM), "socket.socket"),
    ],
    ids=["lock", "generator", "socket"],
)
def test_unserializable_value_writes_nothing(
    store: Store, storage_dir: Path, make: Callable[[], object], type_name: str
) -> None:
    value = make()
    try:
        with pytest.raises(SerializationError) as info:
            store.save_artifact("bad", value)
    finally:
        if isinstance(value, socket.socket):
            value.close()
    message = str(info.value)
    assert f"type {type_name}" in message
    assert "pickle (" in message and "cloudpickle (" in message
    assert "Nothing was saved" in message
    assert _count(store, "artifacts") == 0
    assert stored_files(storage_dir) == [] and temporary_files(storage_dir) == []
    # The failed save took no version number either.
    assert store.save_artifact("bad", "fine").version == 0


def test_invalid_name_writes_nothing(store: Store, storage_dir: Path) -> None:
    with pytest.raises(InvalidArtifactNameError):
        store.save_artifact("../../outside", 1)
    assert _count(store, "artifacts") == 0
    assert not storage_dir.exists() or stored_files(storage_dir) == []


def test_storage_keys_never_contain_the_name(store: Store, storage_dir: Path) -> None:
    record = store.save_artifact("name_that_must_not_appear", b"payload")
    assert record.value is not None
    [path] = stored_files(storage_dir)
    assert "name_that_must_not_appear" not in str(path)
    assert path.resolve().is_relative_to(storage_dir.resolve())
    assert record.value.content_hash == "xxh3-128:" + xxhash.xxh3_128(path.read_bytes()).hexdigest()


def test_external_state_artifacts_have_no_value_file(store: Store, storage_dir: Path) -> None:
    record = store.save_artifact("written_files", ExternalState.FILE_SYSTEM)
    assert record.value is None
    assert store.load_value(store.get_artifact("written_files")) is ExternalState.FILE_SYSTEM
    assert store.load_value(store.save_artifact("db_writes", ExternalState.DB)) is ExternalState.DB
    assert stored_files(storage_dir) == []


def test_unknown_storage_backend(store: Store) -> None:
    with pytest.raises(UnknownStorageBackendError, match="'nowhere'; available: lineapy"):
        store.save_artifact("x", 1, storage_backend="nowhere")
    assert store.artifact_names() == []


def test_corrupted_value_is_detected(store: Store, storage_dir: Path) -> None:
    store.save_artifact("x", list(range(100)))
    [path] = stored_files(storage_dir)
    path.write_bytes(path.read_bytes()[:-3] + b"xyz")
    with pytest.raises(ValueMissingError, match="corrupted"):
        store.load_value(store.get_artifact("x"))


def test_missing_value_file_is_reported(store: Store, storage_dir: Path) -> None:
    store.save_artifact("x", 1)
    [path] = stored_files(storage_dir)
    path.unlink()
    with pytest.raises(ValueMissingError, match="missing from storage"):
        store.load_value(store.get_artifact("x"))


def test_same_content_after_delete_is_stored_afresh(store: Store, storage_dir: Path) -> None:
    first = store.save_artifact("a", "same")
    store.delete_artifacts("a", "all")
    second = store.save_artifact("b", "same")
    assert first.value is not None and second.value is not None
    assert second.value.location != first.value.location
    assert store.load_value(second) == "same"
    assert len(stored_files(storage_dir)) == 1


def test_save_keeps_its_own_copy_when_the_shared_one_is_deleted_meanwhile(
    store: Store, storage_dir: Path, plugins: PluginHost
) -> None:
    """A delete that lands between a save's dedup check and its transaction.

    The save found the bytes already stored (and its fresh copy redundant); by the
    time its transaction runs the last reference (and the file) are gone. It must
    then keep its own copy rather than point at a deleted file.
    """

    class DeleteRightAfterDedupCheck(Store):
        deleted: list[int] = []

        def _place(self, *args: Any, **kwargs: Any) -> Any:
            placed = super()._place(*args, **kwargs)
            if placed.verified_id is not None and not self.deleted:
                self.deleted = self.delete_artifacts("a", "all")
            return placed

    store.save_artifact("a", "same")
    racing = DeleteRightAfterDedupCheck(
        store.database,
        artifact_storage_dir=str(storage_dir),
        serializers=plugins.serializers(),
        backends=plugins.storage_backends(),
    )
    record = racing.save_artifact("b", "same")
    assert racing.deleted == [0]
    assert store.load_value(store.get_artifact("b")) == "same"
    assert record.value is not None
    assert [p.name for p in stored_files(storage_dir)] == [record.value.location.split("/")[1]]


def test_records_survive_a_reopened_store(
    store: Store, open_store: Callable[[str], Store], database_url: str
) -> None:
    store.save_artifact("kept", {"a": 1})
    store.close()
    again = open_store(database_url)
    assert again.load_value(again.get_artifact("kept")) == {"a": 1}


def test_metadata_is_kept(store: Store) -> None:
    record = store.save_artifact("x", 1, metadata={"owner": "data-team", "tags": ["a"]})
    assert store.get_artifact("x").metadata == {"owner": "data-team", "tags": ["a"]}
    assert record.metadata == {"owner": "data-team", "tags": ["a"]}


def test_unique_name_version_is_enforced_by_the_database(store: Store) -> None:
    store.save_artifact("x", 1)
    second = store.save_artifact("x", 2)
    renumber = SQL("UPDATE artifacts SET version = 0 WHERE id = :id")
    with pytest.raises(store.database.driver.IntegrityError):
        store.database.write(lambda connection: connection.execute(renumber, {"id": second.id}))
    assert store.get_artifact("x").version == 1


def test_times_come_back_in_utc_whatever_the_session_zone(store: Store) -> None:
    from datetime import timedelta

    from linea_core.store.database import SQL

    record = store.save_artifact("t", 1)
    if store.database.dialect == "postgresql":
        # A server configured for another zone answers in it; records still say UTC.
        def set_zone(connection: object) -> None:
            connection.execute(SQL("SET timezone TO 'America/New_York'"))  # type: ignore[attr-defined]
            row = connection.first(  # type: ignore[attr-defined]
                SQL("SELECT date_created FROM artifacts WHERE id = :id"), {"id": record.id}
            )
            assert row["date_created"].utcoffset() != timedelta(0)

        store.database.write(set_zone)
    loaded = store.get_artifact("t")
    assert loaded.date_created.utcoffset() == timedelta(0)
    assert loaded.date_created == record.date_created
