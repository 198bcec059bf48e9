"""The files of an Airflow pipeline, rendered from linea's pipeline model.

The DAG file is written once for Airflow 3 and 2.10: it imports ``DAG`` and ``Param``
from ``airflow.sdk`` and falls back to their Airflow 2 homes, uses ``schedule`` (not the
removed ``schedule_interval``) and a fixed ``start_date`` (not the removed
``days_ago``). Each task is a ``PythonOperator`` whose callable receives ``params`` and
``run_id`` from Airflow's context, so parameters keep their types (a ``--conf`` value
is validated by the ``Param``'s JSON type, then converted as the traced code assigned
it) without ``render_template_as_native_obj``, whose literal evaluation would turn a
string parameter such as ``"42"`` into a number.

Values between tasks are pickled at the configured location under the run id (see
:mod:`linea_core.pipeline.handoff`); each task also keeps its artifacts' values there
(``artifact-<name>``), so every run leaves its results behind. The pipeline module is
imported inside the tasks, not when Airflow parses the DAG file, so parsing stays fast
even when the pipeline imports heavy libraries.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from linea_airflow import AIRFLOW_VERSION
from linea_core.pipeline import (
    HANDOFF_IMPORTS,
    Pipeline,
    PipelineFile,
    default_handoff,
    format_source,
    load_template,
    module_file,
    needs_literal_eval,
    requirements_file,
    setting_value,
    task_body,
)


def dag_id(pipeline: Pipeline, options: Any) -> str:
    """The DAG's id: the ``dag_id`` option or ``<name>_dag``."""
    return str(options.dag_id or f"{pipeline.name}_dag")


def data_location(pipeline: Pipeline, options: Any) -> str:
    return str(options.data_location or f"{pipeline.name}_data")


def _python_datetime(value: datetime.date | datetime.datetime) -> str:
    """Source of a UTC ``datetime.datetime`` for a date or datetime option."""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime(value.year, value.month, value.day)
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    parts = [value.year, value.month, value.day, value.hour, value.minute, value.second]
    while len(parts) > 3 and parts[-1] == 0:
        parts.pop()
    numbers = ", ".join(str(p) for p in parts)
    return f"datetime.datetime({numbers}, tzinfo=datetime.timezone.utc)"


def _param_source(pipeline: Pipeline) -> list[tuple[str, str]]:
    """(name, ``Param(...)`` source) for each pipeline parameter."""
    params = []
    for parameter in sorted(pipeline.parameters, key=lambda p: p.name):
        default = setting_value(parameter)
        json_type = parameter.type.json_type
        if json_type is None:  # a Python literal, given as its source text
            kind = '"string"'
            about = f"a Python literal, like {parameter.default_source}"
        else:
            kind = json.dumps(json_type)
            about = f"{parameter.type.value}, default {parameter.default_source}"
        params.append((parameter.name, f"Param({default!r}, type={kind}, description={about!r})"))
    return params


def render_dag(pipeline: Pipeline, options: Any) -> str:
    graph = pipeline.task_graph(options.breakdown)
    handoff = default_handoff(pipeline.name, data_location(pipeline, options))
    tasks = [
        {
            "name": task.name,
            "arguments": (["params"] if task.parameters else []) + ["run_id"],
            "doc": _task_doc(task.functions, tuple(task.artifacts)),
            "body": task_body(task, pipeline.parameters),
            "upstream": task.upstream,
        }
        for task in graph.tasks
    ]
    text = load_template("linea_airflow", "dag.py.j2").render(
        pipeline=pipeline,
        dag_id=dag_id(pipeline, options),
        options=options,
        breakdown=graph.breakdown.value,
        start_date=_python_datetime(options.start_date),
        retry_delay=int(options.retry_delay.total_seconds()),
        params=_param_source(pipeline),
        imports=_imports(pipeline),
        handoff_source=handoff.source(),
        env_var=handoff.env_var,
        tasks=tasks,
        example_conf=json.dumps(
            {p.name: setting_value(p) for p in sorted(pipeline.parameters, key=lambda p: p.name)}
        ),
    )
    return format_source(text)


def _imports(pipeline: Pipeline) -> list[str]:
    lines = {*HANDOFF_IMPORTS, "import datetime", "import importlib", "import sys"}
    if needs_literal_eval(pipeline.parameters):
        lines.add("import ast")
    return sorted(lines)


def _task_doc(functions: tuple[str, ...], artifacts: tuple[str, ...]) -> str:
    calls = ", ".join(functions)
    if artifacts:
        return f"Runs {calls}; keeps the value of {', '.join(artifacts)}."
    return f"Runs {calls} (computation shared by later tasks)."


def render_dockerfile(pipeline: Pipeline, options: Any) -> str:
    python = pipeline.python_version or "3.11"
    base_image = options.base_image or f"apache/airflow:{AIRFLOW_VERSION}-python{python}"
    return str(
        load_template("linea_airflow", "Dockerfile.j2").render(
            name=pipeline.name,
            dag_id=dag_id(pipeline, options),
            base_image=base_image,
            airflow_version=AIRFLOW_VERSION,
        )
    )


def render_files(pipeline: Pipeline, options: Any) -> list[PipelineFile]:
    handoff = default_handoff(pipeline.name, data_location(pipeline, options))
    return [
        module_file(pipeline),
        requirements_file(pipeline, extra=handoff.requirements),
        PipelineFile(f"{pipeline.name}_dag.py", render_dag(pipeline, options), "DAG file"),
        PipelineFile(
            f"{pipeline.name}_Dockerfile", render_dockerfile(pipeline, options), "Docker file"
        ),
    ]
