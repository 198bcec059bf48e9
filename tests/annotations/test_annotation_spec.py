"""The pack format: upstream LineaPy's documented examples load unchanged, and Linea's
extensions (pure calls, keyword without value, narrowed keyword criteria) parse."""

from __future__ import annotations

from textwrap import dedent

import pytest
from conftest import pack

from linea_core.annotations.effects import ALL_POSITIONAL_REF, RESULT_REF, SELF_REF, Ref
from linea_core.annotations.loader import AnnotationPackError, parse_pack_text
from linea_core.annotations.records import compile_side_effects

pytestmark = pytest.mark.engine

# The examples of LineaPy's docs ("Annotating Third-Party APIs", "Annotate Packages" and
# the annotation_spec API reference), with their indentation restored.
PYPERCLIP = """\
# ./pyperclip.annotations.yaml
- module: pyperclip
  annotations:
    - criteria:
        function_names:
          - copy
          - paste
      side_effects:
        - mutated_value:
            self_ref: SELF_REF
"""

PANDAS_TO_CSV = """\
# pandas.annotations.yaml
- module: pandas.core.generic
  annotations:
    - criteria:
        class_instance: NDFrame
        class_method_names:
          - to_csv
      side_effects:
        - mutated_value:
            external_state: file_system
"""

PANDAS_TWO_ANNOTATIONS = """\
# pandas.annotations.yaml
- module: pandas.core.generic
  annotations:
    - criteria:
        class_instance: NDFrame
        class_method_names:
          - to_csv
      side_effects:
        - mutated_value:
            external_state: file_system
    - criteria:
        class_instance: NDFrame
        class_method_names:
          - to_json
      side_effects:
        - mutated_value:
            external_state: file_system
"""

PANDAS_CONDENSED = """\
# pandas.annotations.yaml
- module: pandas.core.generic
  annotations:
    - criteria:
        class_instance: NDFrame
        class_method_names:
          - to_csv
          - to_json
      side_effects:
        - mutated_value:
            external_state: file_system
"""

SKLEARN_FIT = """\
# sklearn.annotations.yaml
- module: sklearn.base
  annotations:
    - criteria:
        class_instance: BaseEstimator
        class_method_name: fit
      side_effects:
        - mutated_value:
            self_ref: SELF_REF
        - views:
            - self_ref: SELF_REF
            - result: RESULT
"""

JOBLIB_DUMP = """\
- module: joblib
  annotations:
    - criteria:
        function_name: dump
      side_effects:
        - mutated_value:
            external_state: file_system
"""

API_REFERENCE_CRITERIA = """\
- module: boto3
  annotations:
    - criteria:
        function_names:
          - upload_file
          - upload_fileobj
      side_effects:
        - mutated_value:
            external_state: file_system
- module: pandas
  annotations:
    - criteria:
        class_method_name: to_sql
        class_instance: DataFrame
      side_effects:
        - mutated_value:
            external_state: db
    - criteria:
        class_method_names:
          - to_csv
          - to_parquet
        class_instance: DataFrame
      side_effects:
        - mutated_value:
            external_state: file_system
    - criteria:
        keyword_arg_name: inplace
        keyword_arg_value: 1
        class_instance: DataFrame
      side_effects:
        - mutated_value:
            self_ref: SELF_REF
"""

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
