"""``linea pipeline``: define, list, show and write pipelines from a shell.

Goes through the public API (``linea_core.api.pipelines``): the same checks, errors and
stored definitions as ``create_pipeline`` / ``to_pipeline`` in a notebook.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from linea_core.cli.user_errors import user_errors


def _artifact(text: str) -> str | tuple[str, int]:
    """``name`` or ``name@version``."""
    name, at, version = text.rpartition("@")
    if at and name and version.isdigit():
        return (name, int(version))
    return text


def _dependencies(items: tuple[str, ...]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for item in items:
        artifact, colon, needs = item.partition(":")
        if not colon or not artifact.strip() or not needs.strip():
            raise click.BadParameter(
                f"{item!r}: write ARTIFACT:NEEDED[,NEEDED...], e.g. model:preprocessed",
                param_hint="--dependency",
            )
        found.setdefault(artifact.strip(), set()).update(
            n.strip() for n in needs.split(",") if n.strip()
        )
    return found


def _config(items: tuple[str, ...], as_json: str | None) -> dict[str, Any]:
    config: dict[str, Any] = {}
    if as_json:
        try:
            loaded = json.loads(as_json)
        except json.JSONDecodeError as exc:
            raise click.BadParameter(f"not JSON: {exc}", param_hint="--config-json") from None
        if not isinstance(loaded, dict):
            raise click.BadParameter("must be a JSON object", param_hint="--config-json")
        config.update(loaded)
    for item in items:
        key, equals, value = item.partition("=")
        if not equals or not key.strip():
            raise click.BadParameter(f"{item!r}: write KEY=VALUE", param_hint="--config")
        try:
            config[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            config[key.strip()] = value  # plain text
    return config


@click.group()
def pipeline() -> None:
    """Define, list, show and write pipelines built from artifacts."""


@pipeline.command("create")
@click.argument("name")
@click.argument("artifacts", nargs=-1, required=True)
@click.option(
    "--dependency",
    "-d",
    "dependency",
    multiple=True,
    metavar="ARTIFACT:NEEDED[,NEEDED]",
    help="ARTIFACT needs NEEDED (artifacts of other sessions). Repeatable.",
)
@click.option(
    "--input-parameter", "-p", multiple=True, help="A variable to make a parameter. Repeatable."
)
@click.option("--reuse", multiple=True, help="An artifact to load from the store, not recompute.")
@click.option("--framework", "-f", default="SCRIPT", show_default=True)
@click.option("--config", "config_items", multiple=True, metavar="KEY=VALUE",
              help="A pipeline_dag_config entry (VALUE parsed as JSON when it is JSON).")  # fmt: skip
@click.option("--config-json", metavar="JSON", help="pipeline_dag_config as a JSON object.")
@click.option("--include-non-slice-as-comment", is_flag=True)
def create(
    name: str,
    artifacts: tuple[str, ...],
    dependency: tuple[str, ...],
    input_parameter: tuple[str, ...],
    reuse: tuple[str, ...],
    framework: str,
    config_items: tuple[str, ...],
    config_json: str | None,
    include_non_slice_as_comment: bool,
) -> None:
    """Check and store pipeline NAME computing ARTIFACTS (``name`` or ``name@version``)."""
    from linea_core.api.pipelines import create_pipeline

    with user_errors():
        created = create_pipeline(
            [_artifact(a) for a in artifacts],
            pipeline_name=name,
            dependencies=_dependencies(dependency),
            input_parameters=list(input_parameter),
            reuse_pre_computed_artifacts=[_artifact(a) for a in reuse],
            framework=framework,
            pipeline_dag_config=_config(config_items, config_json),
            include_non_slice_as_comment=include_non_slice_as_comment,
        )
    click.echo(f"Created pipeline {created.name} ({created.framework}).")


@pipeline.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list for machines.")
def list_pipelines(as_json: bool) -> None:
    """List stored pipeline definitions."""
    from linea_core.context import current_context

    with user_errors():
        records = current_context().store.list_pipelines()
    if as_json:
        click.echo(json.dumps([_describe(r) for r in records], indent=2))
        return
    if not records:
        click.echo("No pipelines stored yet.")
        return
    for record in records:
        names = ", ".join(_label(a, v) for a, v in record.artifacts)
        click.echo(f"{record.name}  ({record.framework}): {names}")


def _label(name: str, version: int | None) -> str:
    return name if version is None else f"{name}@{version}"


def _describe(record: Any) -> dict[str, Any]:
    return {
        "name": record.name,
        "framework": record.framework,
        "artifacts": [_label(a, v) for a, v in record.artifacts],
        "dependencies": {k: list(v) for k, v in record.dependencies.items()},
        "options": dict(record.options),
        "created_at": record.created_at.isoformat(),
    }


@pipeline.command("show")
@click.argument("name")
@click.option("--code", is_flag=True, help="Print the generated module's source.")
@click.option(
    "--tasks",
    type=click.Choice(["artifact", "session", "pipeline"]),
    default="artifact",
    show_default=True,
    help="Task breakdown to show.",
)
def show(name: str, code: bool, tasks: str) -> None:
    """Show pipeline NAME: its definition, functions, tasks and requirements."""
    from linea_core.api.pipelines import get_pipeline

    with user_errors():
        stored = get_pipeline(name)
        if code:
            click.echo(stored.get_module_definition(), nl=False)
            return
        model = stored.build()
        graph = model.task_graph(tasks)
    click.echo(f"pipeline {model.name}  (framework {stored.framework})")
    for session in model.sessions:
        label = session.name or session.id
        click.echo(f"session {label}:")
        for function in session.functions:
            arguments = ", ".join(function.arguments)
            outputs = ", ".join(function.outputs) or "-"
            what = ", ".join(function.artifacts) or function.kind.value
            click.echo(f"  {function.name}({arguments}) -> {outputs}   [{what}]")
    if model.parameters:
        click.echo("parameters:")
        for parameter in model.parameters:
            click.echo(f"  {parameter.name}: {parameter.type.value} = {parameter.default_source}")
    click.echo(f"tasks ({graph.breakdown.value}):")
    for task in graph.tasks:
        after = f"  after {', '.join(task.upstream)}" if task.upstream else ""
        click.echo(f"  {task.name}{after}")
    click.echo("requirements:")
    for requirement in model.requirements:
        click.echo(f"  {requirement.pin}")
    if stored.pipeline_dag_config:
        click.echo(f"pipeline_dag_config: {json.dumps(stored.pipeline_dag_config)}")


@pipeline.command("write")
@click.argument("name")
@click.option("--output-dir", "-o", default=".", show_default=True, type=click.Path(path_type=Path))
@click.option("--framework", "-f", help="Override the stored framework.")
@click.option("--generate-test", is_flag=True, help="Add test_<name>.py and sample_output/.")
@click.option("--config", "config_items", multiple=True, metavar="KEY=VALUE",
              help="Override pipeline_dag_config entries.")  # fmt: skip
@click.option("--config-json", metavar="JSON", help="Override pipeline_dag_config (JSON).")
def write(
    name: str,
    output_dir: Path,
    framework: str | None,
    generate_test: bool,
    config_items: tuple[str, ...],
    config_json: str | None,
) -> None:
    """Write pipeline NAME's files into OUTPUT_DIR."""
    from linea_core.api.pipelines import get_pipeline

    with user_errors():
        stored = get_pipeline(name)
        config = None
        if config_items or config_json:
            config = {**stored.pipeline_dag_config, **_config(config_items, config_json)}
        stored.write(
            output_dir, framework=framework, generate_test=generate_test, pipeline_dag_config=config
        )
