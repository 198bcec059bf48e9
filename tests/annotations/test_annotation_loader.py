"""Malformed packs are rejected with the file, the entry and the reason, in plain words."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from linea_core.annotations.loader import (
    AnnotationPackError,
    load_file,
    load_pack,
    pack_name_from_path,
    user_pack_files,
)
from linea_core.errors import LineaError
from linea_core.plugins import AnnotationPack

pytestmark = pytest.mark.engine


def write(tmp_path: Path, text: str, name: str = "broken.annotations.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dedent(text), encoding="utf-8")
    return path


def rejected(path: Path) -> AnnotationPackError:
    with pytest.raises(AnnotationPackError) as caught:
        load_file(path)
    error = caught.value
    assert isinstance(error, LineaError)
    assert str(path) in str(error)  # the FILE
    return error


def test_bad_yaml_syntax_names_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        - module: pandas
          annotations:
            - criteria:
                function_name: read_csv
               side_effects: []
        """,
    )
    error = rejected(path)
    assert error.line == 5
    assert "invalid YAML" in error.reason and "indentation" in error.reason
    assert "line 5" in str(error)


def test_unknown_key_names_entry_criteria_and_suggests_the_right_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        - module: pandas
          annotations:
            - criteria:
                function_name: read_csv
              side_effects: []
        - module: pandas.core.generic
          annotations:
            - criteria:
                class_instance: NDFrame
                class_method_names: [to_csv]
              side_effect:
                - mutated_value:
                    external_state: file_system
        """,
    )
    error = rejected(path)
    assert error.entry is not None
    assert "entry #2 (module 'pandas.core.generic')" in error.entry  # the ENTRY
    assert "annotation #1" in error.entry and "to_csv" in error.entry  # ... and its criteria
    unknown = "unknown key 'side_effect' (did you mean 'side_effects'?); use criteria, side_effects"
    lines = {problem.reason: problem.line for problem in error.problems}
    assert lines[unknown] == 11  # the line of the misspelt key
    assert "missing key 'side_effects'" in lines


def test_wrong_side_effect_value(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        - module: pandas
          annotations:
            - criteria:
                class_instance: DataFrame
                class_method_name: to_csv
              side_effects:
                - mutated_value:
                    external_state: filesystem
        """,
    )
    error = rejected(path)
    assert "entry #1 (module 'pandas'), annotation #1" in str(error)
    assert error.reason == "'external_state' must be 'file_system' or 'db', not 'filesystem'"
    assert error.line == 8


@pytest.mark.parametrize(
    ("side_effect", "reason"),
    [
        ("mutated_value:\n      self_ref: SELF", "'self_ref' must be 'SELF_REF', not 'SELF'"),
        ("mutated_value:\n      result: OUT", "'result' must be 'RESULT', not 'OUT'"),
        (
            "mutated_value:\n      positional_argument_index: first",
            "'positional_argument_index' must be a whole number, not 'first'",
        ),
        (
            "mutated_value:\n      positional_argument_index: -1",
            "'positional_argument_index' must be 0 or more, not -1",
        ),
        (
            "mutated_value:\n      self_ref: SELF_REF\n      result: RESULT",
            "a value reference must have exactly one of",
        ),
        ("mutated_value:\n      selfref: SELF_REF", "unknown key 'selfref' in a value reference"),
        ("mutated: {self_ref: SELF_REF}", "unknown key 'mutated' in a side effect (did you mean"),
        ("views: {self_ref: SELF_REF}", "'views' must be a list of value references"),
        ("views: []", "'views' must not be empty"),
        ("dependency: file_system", "a value reference must be a mapping"),
    ],
)
def test_wrong_side_effects(tmp_path: Path, side_effect: str, reason: str) -> None:
    text = (
        "- module: m\n  annotations:\n    - criteria:\n        function_name: f\n"
        "      side_effects:\n        - " + side_effect.replace("\n", "\n        ") + "\n"
    )
    error = rejected(write(tmp_path, text))
    assert reason in error.reason, error.reason
    assert error.entry is not None and "function_name='f'" in error.entry


def test_missing_criteria(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        - module: sklearn.base
          annotations:
            - side_effects:
                - mutated_value:
                    self_ref: SELF_REF
        """,
    )
    error = rejected(path)
    assert error.reason == "missing key 'criteria'"
    assert error.entry == "entry #1 (module 'sklearn.base'), annotation #1"
    assert error.line == 3


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("module: pandas\nannotations: []\n", "the top level must be a list of module entries"),
        ("- pandas\n", "each entry must be a mapping with 'module' and 'annotations'"),
        ("- annotations: []\n", "missing key 'module'"),
        ("- module: pandas\n", "missing key 'annotations'"),
        ("- module: 'pandas core'\n  annotations: []\n", "must be a dotted module name"),
        (
            "- module: m\n  annotation: []\n",
            "unknown key 'annotation' (did you mean 'annotations'?)",
        ),
        ("- module: m\n  annotations: {criteria: 1}\n", "'annotations' must be a list"),
    ],
)
def test_malformed_entries(tmp_path: Path, text: str, reason: str) -> None:
    error = rejected(write(tmp_path, text))
    assert any(reason in problem.reason for problem in error.problems), error.problems


def test_all_problems_of_a_file_are_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        - module: a
          annotations:
            - criteria: {function_nme: f}
              side_effects: []
        - module: b
          annotations:
            - criteria: {function_name: g}
              side_effects: [{mutated_value: {self_ref: ME}}]
        """,
    )
    error = rejected(path)
    assert len(error.problems) == 2
    assert "(2 problems)" in str(error)
    assert "entry #1 (module 'a')" in str(error) and "entry #2 (module 'b')" in str(error)
    assert "Fix the pack" in str(error)


def test_unreadable_files(tmp_path: Path) -> None:
    assert "does not exist" in rejected(tmp_path / "missing.yaml").reason
    assert "folder" in rejected(tmp_path).reason
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert "not UTF-8" in rejected(binary).reason


def test_registered_pack_from_text_or_path(tmp_path: Path) -> None:
    text = (
        "- module: m\n  annotations:\n    - criteria: {function_name: f}\n      side_effects: []\n"
    )
    from_text = load_pack(AnnotationPack(name="inline", text=text))
    assert from_text.name == "inline" and from_text.entries[0].module == "m"
    path = write(tmp_path, text, "mine.annotations.yaml")
    from_path = load_pack(AnnotationPack(name="mine", path=path))
    assert from_path.source == str(path) and from_path.entries == from_text.entries
    with pytest.raises(AnnotationPackError, match="inline-bad.*neither a path nor text"):
        load_pack(AnnotationPack(name="inline-bad"))
    with pytest.raises(AnnotationPackError, match="<annotation pack 'bad'>.*unknown key"):
        load_pack(AnnotationPack(name="bad", text="- module: m\n  annotations: []\n  extra: 1\n"))


def test_pack_names_and_user_folder_listing(tmp_path: Path) -> None:
    assert pack_name_from_path(Path("pyperclip.annotations.yaml")) == "pyperclip"
    assert pack_name_from_path(Path("mine.yaml")) == "mine"
    assert pack_name_from_path(Path("x.yml")) == "x"
    assert user_pack_files(None) == [] and user_pack_files(tmp_path / "absent") == []
    for name in ("b.annotations.yaml", "a.yaml", ".hidden.yaml", "notes.txt"):
        (tmp_path / name).write_text("[]")
    (tmp_path / "dir.yaml").mkdir()
    assert [path.name for path in user_pack_files(tmp_path)] == ["a.yaml", "b.annotations.yaml"]
