"""Artifact names and version arguments are validated with messages that say what to do."""

from __future__ import annotations

import pytest

from linea_core.store.errors import InvalidArtifactNameError, InvalidVersionError
from linea_core.store.names import (
    MAX_NAME_LENGTH,
    parse_delete_version,
    parse_get_version,
    validate_artifact_name,
)


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
