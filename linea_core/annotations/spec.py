"""The annotation-pack format: LineaPy's YAML format, as strict pydantic models.

A pack file is a list of module entries::

    - module: pandas.core.generic          # where the names below are looked up
      annotations:
        - criteria:                        # which calls this annotation describes
            class_instance: NDFrame
            class_method_names: [to_csv, to_json]
          side_effects:                    # what those calls do
            - mutated_value:
                external_state: file_system

Every pack written for upstream LineaPy loads unchanged. Linea accepts a few things
upstream did not (all documented in ``docs/annotations.md``):

* ``side_effects: []`` declares the call *pure*: it changes neither its receiver, nor
  its arguments, nor any external state, so the capture engine can trust it instead of
  fingerprinting the objects the call touched;
* ``keyword_arg_value`` may be left out: the criterion then matches whenever the
  keyword is passed with a value other than ``None`` (numpy's ``out=``);
* ``keyword_arg_name`` may be combined with ``function_name(s)`` or
  ``class_method_name(s)`` to narrow it to those callables.

Every model forbids unknown keys, so a typo (``side_effect:``) is an error that names
the key rather than an annotation that silently does nothing. Checks that span several
keys live in ``mode="before"`` validators so that their messages are plain sentences
the loader can show as they are.
"""

from __future__ import annotations

import difflib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

EXTERNAL_STATES: tuple[str, ...] = ("file_system", "db")

REFERENCE_KEYS: tuple[str, ...] = (
    "self_ref",
    "result",
    "positional_argument_index",
    "argument_keyword",
    "all_positional_arguments",
    "external_state",
)
SIDE_EFFECT_KEYS: tuple[str, ...] = ("mutated_value", "views", "dependency")
NAME_KEYS: tuple[str, ...] = (
    "function_name",
    "function_names",
    "class_method_name",
    "class_method_names",
)
CRITERIA_KEYS: tuple[str, ...] = (
    *NAME_KEYS,
    "class_instance",
    "keyword_arg_name",
    "keyword_arg_value",
)


def suggest(key: object, allowed: tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` when ``key`` looks like a typo of an allowed key."""
    if not isinstance(key, str):
        return ""
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _only_mapping(value: Any, what: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        keys = ", ".join(allowed)
        raise ValueError(f"{what} must be a mapping with one of the keys {keys}; got {value!r}")
    return value


def _exactly_one_key(value: Any, what: str, allowed: tuple[str, ...]) -> Any:
    mapping = _only_mapping(value, what, allowed)
    unknown = [key for key in mapping if key not in allowed]
    if unknown:
        key = unknown[0]
        raise ValueError(
            f"unknown key '{key}' in {what}{suggest(key, allowed)}; use one of {', '.join(allowed)}"
        )
    present = [key for key in allowed if key in mapping]
    if len(present) != 1:
        found = "none" if not present else ", ".join(present)
        raise ValueError(f"{what} must have exactly one of {', '.join(allowed)}; found {found}")
    return mapping


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reference(_Strict):
    """One value a side effect is about; exactly one field is set.

    ``self_ref: SELF_REF`` is the receiver (``df`` in ``df.to_csv()``; for a module-level
    function, the module named by the entry), ``result: RESULT`` the return value,
    ``positional_argument_index: N`` the N-th positional argument (0-based, not counting
    the receiver), ``argument_keyword: NAME`` an argument by keyword,
    ``all_positional_arguments: ALL_POSITIONAL_ARGUMENTS`` every positional argument,
    and ``external_state: file_system | db`` state outside the program.
    """

    self_ref: Literal["SELF_REF"] | None = None
    result: Literal["RESULT"] | None = None
    positional_argument_index: int | None = Field(default=None, ge=0, strict=True)
    argument_keyword: str | None = Field(default=None, min_length=1)
    all_positional_arguments: Literal["ALL_POSITIONAL_ARGUMENTS"] | None = None
    external_state: Literal["file_system", "db"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_key(cls, value: Any) -> Any:
        mapping = _exactly_one_key(value, "a value reference", REFERENCE_KEYS)
        key = next(iter(mapping))
        if mapping[key] is None:
            raise ValueError(f"'{key}' has no value")
        return mapping

    @property
    def kind(self) -> str:
        """The key that is set: one of :data:`REFERENCE_KEYS`."""
        for key in REFERENCE_KEYS:
            if getattr(self, key) is not None:
                return key
        raise AssertionError("validated references always have one key")  # pragma: no cover


class SideEffect(_Strict):
    """One thing a call does: mutates a value, makes values views of each other, or
    depends on a value it does not receive explicitly (usually external state)."""

    mutated_value: Reference | None = None
    views: list[Reference] | None = Field(default=None, min_length=1)
    dependency: Reference | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_key(cls, value: Any) -> Any:
        mapping = _exactly_one_key(value, "a side effect", SIDE_EFFECT_KEYS)
        if "views" in mapping and not isinstance(mapping["views"], list):
            raise ValueError(
                "'views' must be a list of value references, each on its own '- ' line"
            )
        return mapping


class Criteria(_Strict):
    """Which calls an annotation describes (see the module docstring for combinations)."""

    function_name: str | None = Field(default=None, min_length=1)
    function_names: list[str] | None = Field(default=None, min_length=1)
    class_method_name: str | None = Field(default=None, min_length=1)
    class_method_names: list[str] | None = Field(default=None, min_length=1)
    class_instance: str | None = Field(default=None, min_length=1)
    keyword_arg_name: str | None = Field(default=None, min_length=1)
    keyword_arg_value: Any = None

    @model_validator(mode="before")
    @classmethod
    def _combination(cls, value: Any) -> Any:
        mapping = _only_mapping(value, "criteria", CRITERIA_KEYS)
        for key in mapping:
            if key not in CRITERIA_KEYS:
                raise ValueError(
                    f"unknown key '{key}' in criteria{suggest(key, CRITERIA_KEYS)}; "
                    f"use {', '.join(CRITERIA_KEYS)}"
                )
        names = [key for key in NAME_KEYS if key in mapping]
        if len(names) > 1:
            raise ValueError(f"criteria may have only one of {', '.join(names)}")
        keyword = "keyword_arg_name" in mapping
        has_class = "class_instance" in mapping
        if "keyword_arg_value" in mapping and not keyword:
            raise ValueError("keyword_arg_value needs keyword_arg_name")
        if not names and not keyword:
            raise ValueError(
                "criteria names nothing to match: give function_name, function_names, "
                "class_method_name(s) with class_instance, or keyword_arg_name with "
                "class_instance"
            )
        method = bool(names) and names[0].startswith("class_method")
        if method and not has_class:
            raise ValueError(f"{names[0]} needs class_instance (the class that has the method)")
        if names and not method and has_class:
            raise ValueError(
                f"class_instance goes with class_method_name(s), not {names[0]}; "
                "use class_method_name(s) for methods"
            )
        if keyword and not names and not has_class:
            raise ValueError(
                "keyword_arg_name needs class_instance (whose methods it applies to) "
                "or function_name(s) / class_method_name(s) to narrow it"
            )
        return mapping

    @property
    def any_keyword_value(self) -> bool:
        """True when ``keyword_arg_value`` was left out (Linea extension: any non-None)."""
        return "keyword_arg_value" not in self.model_fields_set

    @property
    def function_targets(self) -> list[str]:
        if self.function_name is not None:
            return [self.function_name]
        return list(self.function_names or ())

    @property
    def method_targets(self) -> list[str]:
        if self.class_method_name is not None:
            return [self.class_method_name]
        return list(self.class_method_names or ())

    def describe(self) -> str:
        """A short human description for error messages and listings."""
        parts = []
        for key in CRITERIA_KEYS:
            if key in self.model_fields_set:
                parts.append(f"{key}={getattr(self, key)!r}")
        return ", ".join(parts)


class Annotation(_Strict):
    """A criteria and the side effects of every call it matches (``[]``: pure)."""

    criteria: Criteria
    side_effects: list[SideEffect]

    @property
    def pure(self) -> bool:
        return not self.side_effects


class ModuleAnnotation(_Strict):
    """The annotations of one module: names in criteria are looked up in ``module``."""

    module: str = Field(
        min_length=1, pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$"
    )
    annotations: list[Annotation]


ENTRY_KEYS: tuple[str, ...] = tuple(ModuleAnnotation.model_fields)
ANNOTATION_KEYS: tuple[str, ...] = tuple(Annotation.model_fields)
