"""Writer options: ``pipeline_dag_config`` validated against the writer's pydantic model.

A writer declares its options as a subclass of :class:`WriterOptions` (unknown keys are
forbidden, values are checked and converted by pydantic) and returns it from
``options_model()``. Core validates the user's ``pipeline_dag_config`` with
:func:`validate_options` before calling the writer, so a misspelt key is one line naming
the valid keys, and the writer only ever sees validated options.

This module imports pydantic; a writer imports it where it builds its options model,
not at the top of its plugin module (hooks run at every ``linea`` command).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator

from linea_core.pipeline.errors import PipelineConfigError
from linea_core.pipeline.model import TaskBreakdown


class WriterOptions(BaseModel):
    """Base of every writer's options: immutable, unknown keys forbidden.

    Document each field with ``Field(description=...)``: ``linea pipeline write --help``
    and error messages list the fields.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)


class TaskedWriterOptions(WriterOptions):
    """Base of the options of a writer that splits the pipeline into tasks (Airflow
    tasks, DVC stages, Argo steps, Ray tasks...): the ``breakdown`` key, LineaPy's
    ``dag_flavor`` accepted for it.

    A writer names LineaPy's flavours for its framework in ``lineapy_flavors``, lower
    case: ``lineapy_flavors = {"stageperartifact": TaskBreakdown.ARTIFACT, ...}``.
    """

    lineapy_flavors: ClassVar[Mapping[str, TaskBreakdown]] = MappingProxyType({})

    breakdown: TaskBreakdown = Field(
        default=TaskBreakdown.ARTIFACT,
        validation_alias=AliasChoices("breakdown", "dag_flavor"),
        description=(
            "How the pipeline is split into the framework's tasks: 'artifact' (one per "
            "artifact, shared computations as their own), 'session' (one per traced "
            "session) or 'pipeline' (one for everything); LineaPy's dag_flavor names work too."
        ),
    )

    @field_validator("breakdown", mode="before")
    @classmethod
    def _lineapy_flavor(cls, value: object) -> object:
        if isinstance(value, str):
            return cls.lineapy_flavors.get(value.lower(), value)
        return value


def accepted_aliases(model: type[BaseModel]) -> set[str]:
    """Other names a field accepts (``validation_alias``), such as the name an older
    version of a framework used (Airflow 2's ``schedule_interval`` for ``schedule``).
    They are accepted but not listed: error messages name the current keys only."""
    names: set[str] = set()
    for field in model.model_fields.values():
        alias = field.validation_alias
        if isinstance(alias, str):
            names.add(alias)
        elif isinstance(alias, AliasChoices):
            names.update(choice for choice in alias.choices if isinstance(choice, str))
    return names


def validate_options(
    model: type[BaseModel], config: Mapping[str, Any] | None, framework: str
) -> BaseModel:
    """``config`` as an instance of ``model``; :class:`PipelineConfigError` otherwise."""
    values = dict(config or {})
    valid = sorted(model.model_fields)
    accepted = set(valid) | accepted_aliases(model)
    unknown = sorted(str(key) for key in values if key not in accepted)
    if unknown:
        key = unknown[0]
        close = difflib.get_close_matches(str(key), valid, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        listing = ", ".join(valid) if valid else f"none: {framework} takes no options"
        raise PipelineConfigError(
            f"unknown pipeline_dag_config key {key!r} for {framework}{hint}; valid keys: {listing}"
        )
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
        loc = first.get("loc", ())
        if not loc:  # a rule about several keys (a model validator)
            raise PipelineConfigError(f"pipeline_dag_config for {framework}: {message}") from None
        # A union's error names the member type after the key (start_date.date): the
        # user only knows the key.
        where = str(loc[0]) if loc[0] in model.model_fields else ".".join(map(str, loc))
        given = first.get("input")
        raise PipelineConfigError(
            f"pipeline_dag_config[{where!r}] for {framework}: {message} (got {given!r})"
        ) from None
