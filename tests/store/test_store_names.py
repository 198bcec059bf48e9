"""Artifact names and version arguments are validated with messages that say what to do."""

from __future__ import annotations

import pytest

from linea_core.store.errors import (
    ArtifactNotFoundError,
    InvalidArtifactNameError,
    InvalidVersionError,
)
from linea_core.store.names import (
    MAX_NAME_LENGTH,
    parse_delete_version,
    parse_get_version,
    validate_artifact_name,
)
from linea_core.store.repository import Store


@pytest.mark.parametrize(
    "name",
    ["iris_diff_avg_length", "model v2", "sales-2024.v2", "データ", "a:b", "x" * MAX_NAME_LENGTH],
)
def test_accepts_ordinary_names(name: str) -> None:
    assert validate_artifact_name(name) == name


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "empty"),
        ("../escape", "'..'"),
        ("..", "'..'"),
        ("a/../../etc", "'..'"),
        ("/etc/passwd", "separator"),
        ("dir/name", "separator"),
        ("C:\\Windows\\x", "separator"),
        (".hidden", "starts with '.'"),
        ("a\x00b", "control"),
        ("line\nbreak", "control"),
        ("bell\x07", "control"),
        ("rtl\u202eoverride", "control"),
        (" padded", "whitespace"),
        ("padded\t", "whitespace"),
        ("x" * (MAX_NAME_LENGTH + 1), "at most"),
    ],
)
def test_rejects_names_that_could_escape_or_confuse(name: str, reason: str) -> None:
    with pytest.raises(InvalidArtifactNameError, match="Invalid artifact name") as info:
        validate_artifact_name(name)
    assert reason in str(info.value)
    assert isinstance(info.value, ValueError)  # LineaPy documented ValueError


@pytest.mark.parametrize("name", [None, 3, b"bytes", ["a"]])
def test_rejects_non_string_names(name: object) -> None:
    with pytest.raises(InvalidArtifactNameError, match="must be strings"):
        validate_artifact_name(name)


@pytest.mark.parametrize(
    ("given", "expected"), [(None, None), ("latest", None), (0, 0), (7, 7), ("12", 12)]
)
def test_get_versions(given: object, expected: int | None) -> None:
    assert parse_get_version(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"), [(0, 0), (3, 3), ("3", 3), ("latest", "latest"), ("all", "all")]
)
def test_delete_versions(given: object, expected: object) -> None:
    assert parse_delete_version(given) == expected


@pytest.mark.parametrize("given", ["newest", "ALL", "", "-1", -1, 1.5, True, "²", None, [1]])
def test_delete_rejects_unknown_versions(given: object) -> None:
    with pytest.raises(InvalidVersionError, match="'latest' or 'all'") as info:
        parse_delete_version(given)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("given", ["first", "all", -2, 2.0, False])
def test_get_rejects_unknown_versions(given: object) -> None:
    with pytest.raises(InvalidVersionError, match="None or 'latest'"):
        parse_get_version(given)


def test_huge_version_is_one_clear_error(store: Store) -> None:
    store.save_artifact("x", 1)
    for call in (
        lambda: store.get_artifact("x", 2**70),
        lambda: store.delete_artifacts("x", 2**70),
    ):
        with pytest.raises(InvalidVersionError, match="versions go up to 2147483647") as info:
            call()
        assert "\n" not in str(info.value)


def test_numpy_integer_versions_are_accepted(store: Store) -> None:
    import numpy as np
    import pandas as pd

    store.save_artifact("x", "zero")
    store.save_artifact("x", "one")
    export = pd.DataFrame([{"version": r.version} for r in store.list_artifacts("x")])
    version = export["version"].iloc[1]
    assert type(version).__module__ == "numpy"
    assert store.load_value(store.get_artifact("x", version)) == "one"
    assert store.load_value(store.get_artifact("x", np.int32(0))) == "zero"
    with pytest.raises(InvalidVersionError):
        store.get_artifact("x", np.float64(1.0))
    assert store.delete_artifacts("x", np.uint8(1)) == [1]


def test_unicode_names_are_one_artifact_whatever_their_composition(store: Store) -> None:
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    assert composed != decomposed
    store.save_artifact(decomposed, 1)
    record = store.save_artifact(composed, 2)
    assert record.version == 1 and record.name == composed
    assert store.load_value(store.get_artifact(decomposed)) == 2
    assert store.artifact_names() == [composed]
    assert store.delete_artifacts(decomposed, "all") == [0, 1]


def test_long_names_are_not_repeated_in_full(store: Store) -> None:
    long_name = "n" * 10_000
    with pytest.raises(InvalidArtifactNameError) as invalid:
        store.save_artifact(long_name, 1)
    with pytest.raises(ArtifactNotFoundError) as missing:
        store.get_artifact(long_name)
    for message in (str(invalid.value), str(missing.value)):
        assert len(message) < 400 and "10000 characters" in message
