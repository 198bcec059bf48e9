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
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from linea_core.pipeline.errors import PipelineConfigError


class WriterOptions(BaseModel):
    """Base of every writer's options: immutable, unknown keys forbidden.

    Document each field with ``Field(description=...)``: ``linea pipeline write --help``
    and error messages list the fields.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)


def validate_options(
    model: type[BaseModel], config: Mapping[str, Any] | None, framework: str
) -> BaseModel:
    """``config`` as an instance of ``model``; :class:`PipelineConfigError` otherwise."""
    values = dict(config or {})
    valid = sorted(model.model_fields)
    unknown = sorted(key for key in values if key not in model.model_fields)
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
        where = ".".join(str(part) for part in first.get("loc", ())) or "(options)"
        given = first.get("input")
        raise PipelineConfigError(
            f"pipeline_dag_config[{where!r}] for {framework}: {first.get('msg')} (got {given!r})"
        ) from None
