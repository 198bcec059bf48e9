"""save / get / delete / artifact_store with LineaPy's signatures, output and errors."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import linea_core as linea
from linea_core.api.artifact import CodeNotRecordedError, LineaArtifact
from linea_core.api.artifact_store import LineaArtifactStore
from linea_core.context import LineaContext, current_context, use_context
from linea_core.graph.model import ExternalState
from linea_core.store.errors import (
    ArtifactNotFoundError,
    InvalidArtifactNameError,
    InvalidVersionError,
    SerializationError,
    UnknownStorageBackendError,
)


def _files(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if p.is_file()] if directory.exists() else []


def test_save_returns_an_artifact() -> None:
    artifact = linea.save(-4.09, "iris_diff_avg_length")
    assert isinstance(artifact, LineaArtifact)
    assert repr(artifact) == "LineaArtifact(name='iris_diff_avg_length', _version=0)"
    assert artifact.name == "iris_diff_avg_length"
    assert artifact.version == 0 and isinstance(artifact.version, int)
    assert artifact.get_value() == -4.09
    assert isinstance(artifact.date_created, datetime)
    assert abs(datetime.now() - artifact.date_created) < timedelta(minutes=5)


def test_get_latest_and_specific_versions() -> None:
    linea.save([1], "numbers")
    linea.save([1, 2], "numbers")
    latest = linea.get("numbers")
    assert latest.version == 1 and latest.get_value() == [1, 2]
    first = linea.get("numbers", version=0)
    assert (first.name, first.version, first.get_value()) == ("numbers", 0, [1])
    assert linea.get("numbers", version=latest.version) == latest


def test_artifact_store_lists_name_version_and_creation_time() -> None:
    linea.save(1, "b")
    linea.save(2, "a")
    linea.save(3, "a")
    listing = linea.artifact_store()
    assert isinstance(listing, LineaArtifactStore)
    lines = repr(listing).splitlines()
    assert [line.split(" created on ")[0] for line in lines] == ["a:0", "a:1", "b:0"]
    stamp = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})?"
    assert all(re.fullmatch(rf"\w:\d created on {stamp}", line) for line in lines)
    assert str(listing) == repr(listing)
    assert len(listing) == 3
    assert [artifact.get_value() for artifact in listing] == [2, 3, 1]


def test_artifact_store_export() -> None:
    linea.save({"x": 1}, "cfg")
    [row] = linea.artifact_store().export
    assert row["artifact_name"] == "cfg"
    assert row["artifact_version"] == 0
    assert isinstance(row["date_created"], datetime)
    assert row["storage_backend"] == "lineapy"
    assert row["serializer"] == "pickle"
    assert row["session_id"] is None


def test_empty_artifact_store() -> None:
    listing = linea.artifact_store()
    assert len(listing) == 0 and listing.export == [] and str(listing) == ""


def test_delete_prints_each_deleted_version(capsys: pytest.CaptureFixture[str]) -> None:
    for value in range(4):
        linea.save(value, "iris_diff_avg_length")
    linea.delete("iris_diff_avg_length", version=1)
    assert capsys.readouterr().out == "Deleted Artifact: iris_diff_avg_length version: 1\n"
    linea.delete("iris_diff_avg_length", version="latest")
    assert capsys.readouterr().out == "Deleted Artifact: iris_diff_avg_length version: 3\n"
    linea.delete("iris_diff_avg_length", version="all")
    assert capsys.readouterr().out == (
        "Deleted Artifact: iris_diff_avg_length version: 0\n"
        "Deleted Artifact: iris_diff_avg_length version: 2\n"
    )
    assert len(linea.artifact_store()) == 0


def test_delete_removes_the_value_file_with_the_last_reference(storage_dir: Path) -> None:
    linea.save("same bytes", "first")
    linea.save("same bytes", "second")
    assert len(_files(storage_dir)) == 1
    linea.delete("first", version=0)
    assert len(_files(storage_dir)) == 1
    assert linea.get("second").get_value() == "same bytes"
    linea.delete("second", version="all")
    assert _files(storage_dir) == []


@pytest.mark.parametrize("version", ["newest", "-1", -1, 1.0, True, None])
def test_delete_with_an_invalid_version(version: object) -> None:
    linea.save(1, "x")
    with pytest.raises(ValueError, match="'latest' or 'all'") as info:
        linea.delete("x", version=version)  # type: ignore[arg-type]
    assert isinstance(info.value, InvalidVersionError)
    assert linea.get("x").get_value() == 1


def test_get_with_an_invalid_version() -> None:
    linea.save(1, "x")
    with pytest.raises(InvalidVersionError, match="Invalid artifact version 'first'"):
        linea.get("x", version="first")  # type: ignore[arg-type]


def test_missing_artifact_names_the_closest(capsys: pytest.CaptureFixture[str]) -> None:
    linea.save(1, "iris_diff_avg_length")
    linea.save(2, "iris_model")
    with pytest.raises(ArtifactNotFoundError) as info:
        linea.get("iris_diff_avg_lenght")
    assert "Did you mean 'iris_diff_avg_length'" in str(info.value)
    assert "artifact_store()" in str(info.value)
    with pytest.raises(ValueError, match="no version 4; existing versions: 0"):
        linea.delete("iris_model", version=4)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "/abs/path", "a/b", "..", ".hidden", "bad\x00name", ""]
)
def test_path_escaping_names_are_refused_and_write_nothing(
    name: str, storage_dir: Path, linea_home: Path
) -> None:
    with pytest.raises(InvalidArtifactNameError, match="Invalid artifact name"):
        linea.save(b"data", name)
    assert _files(storage_dir) == []
    assert not (linea_home.parent / "etc").exists()
    assert len(linea.artifact_store()) == 0


def test_unpicklable_value_writes_nothing(storage_dir: Path) -> None:
    with pytest.raises(SerializationError, match=r"type _thread\.lock.*Nothing was saved"):
        linea.save(threading.Lock(), "lock")
    assert _files(storage_dir) == []
    assert len(linea.artifact_store()) == 0
    assert linea.save("ok", "lock").version == 0


def test_values_pickle_cannot_handle_use_cloudpickle() -> None:
    scale = 3
    artifact = linea.save(lambda x: x * scale, "scaler")
    assert artifact.get_metadata()["lineapy"]["serializer"] == "cloudpickle"
    assert linea.get("scaler").get_value()(2) == 6


def test_unknown_storage_backend() -> None:
    with pytest.raises(UnknownStorageBackendError, match="available: lineapy"):
        linea.save(1, "x", storage_backend="mlflw")


def test_external_state_artifacts() -> None:
    assert linea.file_system is ExternalState.FILE_SYSTEM
    assert linea.db is ExternalState.DB
    artifact = linea.save(linea.file_system, "written_files")
    assert artifact.get_value() is ExternalState.FILE_SYSTEM
    assert linea.get("written_files").get_metadata()["lineapy"]["storage_path"] is None


def test_metadata(storage_dir: Path) -> None:
    artifact = linea.save({"k": "v"}, "meta")
    metadata = artifact.get_metadata()
    assert list(metadata) == ["lineapy"]
    info = metadata["lineapy"]
    assert (info["name"], info["version"], info["storage_backend"]) == ("meta", 0, "lineapy")
    assert Path(info["storage_path"]).is_file()
    assert Path(info["storage_path"]).resolve().is_relative_to(storage_dir.resolve())
    assert info["size"] == Path(info["storage_path"]).stat().st_size
    assert artifact.get_metadata(lineapy_only=True) == metadata


def test_code_of_an_untraced_artifact_explains_how_to_trace() -> None:
    artifact = linea.save(42, "answer")
    for method in (artifact.get_code, artifact.get_session_code, artifact.execute):
        with pytest.raises(CodeNotRecordedError) as info:
            method()
        message = str(info.value)
        assert "outside a traced session" in message
        assert "linea python script.py" in message and "%load_ext linea_core" in message


def test_two_contexts_keep_separate_stores(tmp_path: Path) -> None:
    linea.save("from the default home", "where")
    other = LineaContext(current_context().options.with_value("home_dir", tmp_path / "other"))
    try:
        with use_context(other):
            assert len(linea.artifact_store()) == 0
            linea.save("from the other home", "where")
            assert linea.get("where").get_value() == "from the other home"
    finally:
        other.close()
    assert linea.get("where").get_value() == "from the default home"
    assert linea.get("where").version == 0


def test_artifact_store_has_lineapys_properties() -> None:
    linea.save(1, "a")
    linea.save(2, "a")
    linea.save(3, "b")
    store = linea.artifact_store()
    assert store.len == len(store) == 3
    assert [(a.name, a.version) for a in store.artifacts] == [("a", 0), ("a", 1), ("b", 0)]
    assert all(isinstance(a, linea.LineaArtifact) for a in store.artifacts)
    lines = store.print.splitlines()
    assert [line.split(" created on ")[0] for line in lines] == ["a:0", "a:1", "b:0"]
    assert str(store) == repr(store) == store.print


def test_get_accepts_versions_from_a_pandas_export() -> None:
    import pandas as pd

    linea.save("zero", "x")
    linea.save("one", "x")
    frame = pd.DataFrame(linea.artifact_store().export)
    version = frame.loc[frame["artifact_name"] == "x", "artifact_version"].max()
    assert linea.get("x", version=version).get_value() == "one"


def test_reload_finds_plugins_again_and_keeps_working(linea_home: Path) -> None:
    linea.save({"k": 1}, "before")
    context = current_context()
    first_host = context.plugins
    linea.reload()
    assert context.plugins is not first_host  # rediscovered from the entry points
    assert linea.get("before").get_value() == {"k": 1}
    linea.save(2, "after")
    assert [a.name for a in linea.artifact_store().artifacts] == ["after", "before"]
