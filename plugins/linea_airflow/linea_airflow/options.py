"""``pipeline_dag_config`` for ``framework="AIRFLOW"``: Airflow's own DAG settings plus
how linea splits the pipeline into tasks and where tasks hand values to each other.

LineaPy's keys are accepted too, so a ported notebook keeps working:
``schedule_interval`` (Airflow 2's name of ``schedule``) and ``dag_flavor``
(``PythonOperatorPerArtifact`` / ``PythonOperatorPerSession``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping

from pydantic import AliasChoices, Field, field_validator, model_validator

from linea_core.pipeline import TaskBreakdown
from linea_core.pipeline.options import TaskedWriterOptions

DEFAULT_START_DATE = datetime.date(2024, 1, 1)

# LineaPy's dag_flavor values.
_FLAVORS: Mapping[str, TaskBreakdown] = {
    "pythonoperatorperartifact": TaskBreakdown.ARTIFACT,
    "pythonoperatorpersession": TaskBreakdown.SESSION,
    "pythonoperatorperpipeline": TaskBreakdown.PIPELINE,
}
_PRESETS = ("@once", "@continuous", "@hourly", "@daily", "@weekly", "@monthly", "@quarterly", "@yearly", "@annually")  # fmt: skip
_CRON_FIELD = re.compile(r"^[0-9A-Za-z*?,/#LW-]+$")
_DAG_ID = re.compile(r"^[A-Za-z0-9_.-]{1,250}$")


class AirflowOptions(TaskedWriterOptions):
    """The keys ``pipeline_dag_config`` accepts for ``framework="AIRFLOW"``."""

    lineapy_flavors = _FLAVORS

    data_location: str | None = Field(
        default=None,
        description=(
            "Where tasks hand values to each other, under a folder per run id: a folder "
            "(relative: next to the DAG file; default <pipeline name>_data) or an fsspec URL "
            "such as s3://bucket/prefix when workers run on different machines. Overridable "
            "when the DAG runs with the environment variable <PIPELINE NAME>_DATA_LOCATION."
        ),
    )
    dag_id: str | None = Field(
        default=None, description="The DAG's id; default <pipeline name>_dag."
    )
    owner: str = Field(default="airflow", description="Owner of the DAG's tasks.")
    retries: int = Field(default=2, ge=0, description="How often a failed task is retried.")
    retry_delay: datetime.timedelta = Field(
        default=datetime.timedelta(minutes=5),
        description="Wait between retries: seconds, or an ISO 8601 duration such as 'PT5M'.",
    )
    schedule: str | None = Field(
        default=None,
        validation_alias=AliasChoices("schedule", "schedule_interval"),
        description=(
            "When the DAG runs: a cron expression ('*/15 * * * *') or a preset ('@daily'); "
            "None (the default) runs it only when triggered."
        ),
    )
    start_date: datetime.date | datetime.datetime = Field(
        default=DEFAULT_START_DATE,
        description="First date the schedule counts from (UTC); default 2024-01-01.",
    )
    catchup: bool = Field(
        default=False, description="Run the intervals missed since start_date (needs start_date)."
    )
    max_active_runs: int = Field(default=1, ge=1, description="Runs of the DAG at the same time.")
    tags: tuple[str, ...] = Field(default=("linea",), description="Tags shown in Airflow's UI.")
    base_image: str | None = Field(
        default=None,
        description=(
            "Base image of the Dockerfile; default apache/airflow:<version>-python<X.Y> for the "
            "Python the artifacts were traced with."
        ),
    )

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str | None) -> str | None:
        if value is None or value in _PRESETS:
            return value
        fields = value.split()
        if len(fields) == 5 and all(_CRON_FIELD.match(field) for field in fields):
            return value
        raise ValueError(
            "expected a cron expression of 5 fields such as '0 3 * * *', or one of "
            + ", ".join(_PRESETS)
        )

    @field_validator("dag_id")
    @classmethod
    def _dag_id(cls, value: str | None) -> str | None:
        if value is not None and not _DAG_ID.match(value):
            raise ValueError("a DAG id may hold letters, digits, '_', '.' and '-' only")
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for tag in value:
            if not tag or len(tag) > 100:
                raise ValueError("each tag must be 1 to 100 characters long")
        return value

    @model_validator(mode="after")
    def _catchup_needs_start(self) -> AirflowOptions:
        if self.catchup and "start_date" not in self.model_fields_set:
            raise ValueError(
                "catchup runs every interval since start_date: set start_date too "
                "(e.g. '2025-01-01')"
            )
        return self
