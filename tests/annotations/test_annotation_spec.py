"""The pack format: upstream LineaPy's documented examples load unchanged, and Linea's
extensions (pure calls, keyword without value, narrowed keyword criteria) parse."""

from __future__ import annotations

from textwrap import dedent

import pytest
from annotation_kit import (
    API_REFERENCE_CRITERIA,
    JOBLIB_DUMP,
    PANDAS_CONDENSED,
    PANDAS_TO_CSV,
    PANDAS_TWO_ANNOTATIONS,
    PYPERCLIP,
    SKLEARN_FIT,
    pack,
)

from linea_core.annotations.effects import ALL_POSITIONAL_REF, RESULT_REF, SELF_REF, Ref
from linea_core.annotations.loader import AnnotationPackError, parse_pack_text
from linea_core.annotations.records import compile_side_effects

pytestmark = pytest.mark.engine

ALL_REFERENCE_KINDS = """\
- module: somelib
  annotations:
    - criteria:
        function_name: everything
      side_effects:
        - mutated_value:
            positional_argument_index: 1
        - mutated_value:
            argument_keyword: target
        - dependency:
            external_state: db
        - views:
            - all_positional_arguments: ALL_POSITIONAL_ARGUMENTS
            - result: RESULT
"""


@pytest.mark.parametrize(
    "text",
    [
        PYPERCLIP,
        PANDAS_TO_CSV,
        PANDAS_TWO_ANNOTATIONS,
        PANDAS_CONDENSED,
        SKLEARN_FIT,
        JOBLIB_DUMP,
        API_REFERENCE_CRITERIA,
        ALL_REFERENCE_KINDS,
    ],
    ids=[
        "pyperclip",
        "to_csv",
        "two_annotations",
        "condensed",
        "sklearn_fit",
        "joblib_dump",
        "api_reference_criteria",
        "all_reference_kinds",
    ],
)
def test_upstream_examples_load_unchanged(text: str) -> None:
    entries = parse_pack_text(text, "upstream.yaml")
    assert entries and all(entry.annotations for entry in entries)


def test_upstream_examples_mean_what_their_docs_say() -> None:
    (pyperclip,) = pack(PYPERCLIP).entries
    criteria = pyperclip.annotations[0].criteria
    assert pyperclip.module == "pyperclip"
    assert criteria.function_targets == ["copy", "paste"]
    assert compile_side_effects(pyperclip.annotations[0]).mutated == (SELF_REF,)

    (to_csv,) = pack(PANDAS_CONDENSED).entries
    annotation = to_csv.annotations[0]
    assert annotation.criteria.class_instance == "NDFrame"
    assert annotation.criteria.method_targets == ["to_csv", "to_json"]
    effects = compile_side_effects(annotation)
    assert effects.external_writes == {"file_system"} and not effects.mutated

    (fit,) = pack(SKLEARN_FIT).entries
    effects = compile_side_effects(fit.annotations[0])
    assert effects.mutated == (SELF_REF,)
    assert effects.views == ((SELF_REF, RESULT_REF),)

    (everything,) = pack(ALL_REFERENCE_KINDS).entries
    effects = compile_side_effects(everything.annotations[0])
    assert effects.mutated == (Ref("positional", position=1), Ref("keyword", name="target"))
    assert effects.external_reads == {"db"}
    assert effects.views == ((ALL_POSITIONAL_REF, RESULT_REF),)


def test_keyword_criteria_value_is_kept_as_written() -> None:
    entries = parse_pack_text(API_REFERENCE_CRITERIA, "x.yaml")
    keyword = entries[1].annotations[2].criteria
    assert keyword.keyword_arg_name == "inplace"
    assert keyword.keyword_arg_value == 1
    assert not keyword.any_keyword_value


def test_empty_side_effects_declare_a_pure_call() -> None:
    (entry,) = pack(
        """
        - module: mylib
          annotations:
            - criteria:
                function_names: [area, perimeter]
              side_effects: []
        """
    ).entries
    annotation = entry.annotations[0]
    assert annotation.pure
    effects = compile_side_effects(annotation)
    assert effects.is_pure and not effects.views and not effects.dependencies


def test_keyword_without_value_and_narrowed_keyword_criteria() -> None:
    (entry,) = pack(
        """
        - module: numpy
          annotations:
            - criteria:
                function_names: [sum, mean]
                keyword_arg_name: out
              side_effects:
                - mutated_value:
                    argument_keyword: out
            - criteria:
                class_instance: ndarray
                class_method_name: sum
                keyword_arg_name: out
                keyword_arg_value: null
              side_effects: []
        """
    ).entries
    any_value, explicit_null = (annotation.criteria for annotation in entry.annotations)
    assert any_value.any_keyword_value and any_value.function_targets == ["sum", "mean"]
    assert not explicit_null.any_keyword_value and explicit_null.keyword_arg_value is None


def test_empty_file_is_an_empty_pack() -> None:
    assert parse_pack_text("# nothing yet\n", "empty.yaml") == []


@pytest.mark.parametrize(
    ("criteria", "reason"),
    [
        ("function_name: a\n  function_names: [b]", "only one of function_name, function_names"),
        ("class_method_name: fit", "class_method_name needs class_instance"),
        ("class_instance: A\n  function_name: f", "class_instance goes with class_method_name"),
        ("keyword_arg_name: inplace", "keyword_arg_name needs class_instance"),
        ("keyword_arg_value: 1\n  class_instance: A", "keyword_arg_value needs keyword_arg_name"),
        ("class_instance: A", "criteria names nothing to match"),
        ("function_names: []", "'function_names' must not be empty"),
    ],
)
def test_invalid_criteria_combinations(criteria: str, reason: str) -> None:
    text = dedent(
        """\
        - module: m
          annotations:
            - side_effects: []
              criteria:
                CRITERIA
        """
    ).replace("CRITERIA", criteria.replace("\n  ", "\n        "))
    with pytest.raises(AnnotationPackError) as caught:
        parse_pack_text(text, "combo.yaml")
    assert reason in caught.value.reason
