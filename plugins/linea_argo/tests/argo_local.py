"""A local stand-in for Argo, for tests: validates a Workflow manifest strictly and runs
its DAG step by step on this machine.

No Kubernetes is available to the tests, so this does what Argo's controller and
executor would do with the parts of the spec linea generates, and refuses the rest:

* :func:`validate` checks the manifest the way ``argo lint`` would: every key is known to
  Argo's API (the manifest is read through hera's models of it, generated from Argo's
  OpenAPI spec, and must come back unchanged: a misspelt key is dropped by the models and
  so detected), names follow Argo's rules, the entrypoint, every task's template and
  ``depends`` exist and form no cycle, each DAG task passes exactly the parameters and
  artifacts its template declares, an artifact comes ``from`` an upstream task that
  declares it as an output, and every ``{{variable}}`` refers to something in scope.
* :func:`run_workflow` runs the entrypoint DAG in dependency order. For each task it
  resolves the arguments (workflow parameters, possibly overridden as with
  ``argo submit -p``), lays out a private file system for the "container" with the
  input artifacts at their declared paths, substitutes the template's variables (its
  parameters, and the paths of its artifacts mapped into that file system), runs the
  script with this machine's Python in the working directory the image would have, and
  collects the output artifacts from their declared paths. A missing output, a failed
  script or an unresolved variable fails the run.
"""

from __future__ import annotations

import graphlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

VARIABLE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
FIELD_NAME = re.compile(r"^[a-zA-Z0-9][-a-zA-Z0-9]*$")  # templates, DAG tasks
IO_NAME = re.compile(r"^[-a-zA-Z0-9_]+$")  # parameters, artifacts
GENERATE_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?-?$")
LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
FROM_ARTIFACT = re.compile(r"^\{\{tasks\.([^.{}]+)\.outputs\.artifacts\.([^.{}]+)\}\}$")
LEAF_KINDS = ("script", "container")
KINDS = ("dag", *LEAF_KINDS, "steps", "resource", "suspend", "data", "http", "containerSet")


class InvalidWorkflow(AssertionError):
    """The manifest would be refused by Argo (or uses what this runner does not run)."""


# ---------------------------------------------------------------- validation


def _first_difference(given: Any, kept: Any, where: str) -> str | None:
    if isinstance(given, dict) and isinstance(kept, dict):
        for key, value in given.items():
            if key not in kept:
                return f"{where}.{key}"
            found = _first_difference(value, kept[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(given, list) and isinstance(kept, list) and len(given) == len(kept):
        for index, (a, b) in enumerate(zip(given, kept, strict=True)):
            found = _first_difference(a, b, f"{where}[{index}]")
            if found:
                return found
        return None
    return None if given == kept else where


def check_api_keys(manifest: Mapping[str, Any]) -> None:
    """Every key and value type is Argo's: the manifest survives hera's models unchanged."""
    from hera.workflows.models import Workflow
    from pydantic import ValidationError

    try:
        model = Workflow.model_validate(dict(manifest))
    except ValidationError as exc:
        raise InvalidWorkflow(f"not an Argo Workflow: {exc}") from None
    kept = model.model_dump(by_alias=True, exclude_none=True, mode="json")
    where = _first_difference(dict(manifest), kept, "workflow")
    if where is not None:
        raise InvalidWorkflow(f"{where}: not a field of Argo's Workflow (or not its type)")


def _names(items: list[dict[str, Any]] | None, what: str, pattern: re.Pattern[str]) -> list[str]:
    names = [str(item.get("name")) for item in items or []]
    for name in names:
        if not pattern.match(name) or len(name) > 128:
            raise InvalidWorkflow(f"{what} name {name!r} is not allowed by Argo")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise InvalidWorkflow(f"{what} names repeated: {duplicates}")
    return names


def _variables(value: Any) -> list[str]:
    """Every ``{{variable}}`` in the strings of ``value``."""
    if isinstance(value, str):
        return VARIABLE.findall(value)
    if isinstance(value, dict):
        return [v for item in value.values() for v in _variables(item)]
    if isinstance(value, list):
        return [v for item in value for v in _variables(item)]
    return []


def dependencies(task: Mapping[str, Any]) -> list[str]:
    """The tasks a DAG task waits for (``depends: a && b`` or ``dependencies: [a, b]``)."""
    if "depends" in task:
        parts = [part.strip() for part in str(task["depends"]).split("&&")]
        for part in parts:
            if not FIELD_NAME.match(part):
                raise InvalidWorkflow(
                    f"task {task['name']}: depends {task['depends']!r} is more than 'a && b' "
                    "(this runner handles plain conjunctions of task names)"
                )
        return parts
    return [str(name) for name in task.get("dependencies", [])]


def _kind(template: Mapping[str, Any]) -> str:
    kinds = [kind for kind in KINDS if kind in template]
    if len(kinds) != 1:
        raise InvalidWorkflow(f"template {template['name']}: expected one of {KINDS}, got {kinds}")
    return kinds[0]


def validate(manifest: Mapping[str, Any]) -> None:
    """Raise :class:`InvalidWorkflow` naming the first problem Argo would refuse."""
    if manifest.get("apiVersion") != "argoproj.io/v1alpha1" or manifest.get("kind") != "Workflow":
        raise InvalidWorkflow("apiVersion must be argoproj.io/v1alpha1 and kind Workflow")
    check_api_keys(manifest)
    metadata = manifest.get("metadata", {})
    generate = metadata.get("generateName") or metadata.get("name")
    if not generate or not GENERATE_NAME.match(generate) or len(generate) > 58:
        raise InvalidWorkflow(f"workflow name {generate!r} is not a Kubernetes name")
    if "namespace" in metadata and not LABEL.match(metadata["namespace"]):
        raise InvalidWorkflow(f"namespace {metadata['namespace']!r} is not a Kubernetes name")
    spec = manifest["spec"]
    templates = spec.get("templates", [])
    names = _names(templates, "template", FIELD_NAME)
    by_name = {t["name"]: t for t in templates}
    workflow_parameters = spec.get("arguments", {}).get("parameters", [])
    declared = set(_names(workflow_parameters, "workflow parameter", IO_NAME))
    for parameter in workflow_parameters:
        if "value" not in parameter and "valueFrom" not in parameter:
            raise InvalidWorkflow(f"workflow parameter {parameter['name']} has no value")
    entry = spec.get("entrypoint")
    if entry not in names:
        raise InvalidWorkflow(f"entrypoint {entry!r} is not a template (templates: {names})")
    for template in templates:
        kind = _kind(template)
        if kind == "dag":
            _validate_dag(template, by_name, declared)
        elif kind in LEAF_KINDS:
            _validate_leaf(template, declared)
        else:
            raise InvalidWorkflow(f"template {template['name']}: this runner does not run {kind}")
    if _kind(by_name[entry]) != "dag":
        raise InvalidWorkflow(f"entrypoint {entry!r} is not a DAG")


def _inputs(template: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    return list(template.get("inputs", {}).get(kind, []))


def _outputs(template: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    return list(template.get("outputs", {}).get(kind, []))


def _validate_dag(
    template: Mapping[str, Any], templates: Mapping[str, Any], declared: set[str]
) -> None:
    where = f"DAG {template['name']}"
    tasks = template["dag"]["tasks"]
    task_names = _names(tasks, f"{where}: task", FIELD_NAME)
    by_name = {task["name"]: task for task in tasks}
    graph = {}
    for task in tasks:
        here = f"{where}, task {task['name']}"
        target = task.get("template")
        if target not in templates:
            raise InvalidWorkflow(f"{here}: template {target!r} does not exist")
        if target == template["name"]:
            raise InvalidWorkflow(f"{here}: calls its own DAG")
        upstream = dependencies(task)
        for name in upstream:
            if name not in by_name or name == task["name"]:
                raise InvalidWorkflow(f"{here}: depends on {name!r}, not a task of the DAG")
        graph[task["name"]] = set(upstream)
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        raise InvalidWorkflow(f"{where}: dependency cycle {exc.args[1]}") from None
    ancestors: dict[str, set[str]] = {}
    for name in order:
        ancestors[name] = set().union(*({u} | ancestors[u] for u in graph[name]))
    for name in task_names:
        task = by_name[name]
        called = templates[task["template"]]
        _validate_arguments(f"{where}, task {name}", task, called, declared)
        for artifact in task.get("arguments", {}).get("artifacts", []):
            match = FROM_ARTIFACT.match(str(artifact.get("from", "")))
            if not match:
                raise InvalidWorkflow(
                    f"{where}, task {name}: artifact {artifact['name']} has no "
                    "from: {{tasks.<task>.outputs.artifacts.<name>}}"
                )
            source, output = match.groups()
            if source not in ancestors[name]:
                raise InvalidWorkflow(
                    f"{where}, task {name}: artifact {artifact['name']} comes from {source!r}, "
                    "which is not upstream of it (Argo resolves only upstream outputs)"
                )
            outputs = [
                o["name"] for o in _outputs(templates[by_name[source]["template"]], "artifacts")
            ]
            if output not in outputs:
                raise InvalidWorkflow(
                    f"{where}, task {name}: {source} declares no output artifact {output!r} "
                    f"(it declares {outputs})"
                )


def _validate_arguments(
    where: str, task: Mapping[str, Any], called: Mapping[str, Any], declared: set[str]
) -> None:
    arguments = task.get("arguments", {})
    for kind in ("parameters", "artifacts"):
        given = _names(arguments.get(kind), f"{where}: argument", IO_NAME)
        inputs = _inputs(called, kind)
        wanted = {i["name"] for i in inputs}
        required = {
            i["name"]
            for i in inputs
            if "value" not in i and "default" not in i and not i.get("optional")
        }
        unknown = sorted(set(given) - wanted)
        missing = sorted(required - set(given))
        if unknown:
            raise InvalidWorkflow(f"{where}: {called['name']} has no input {kind} {unknown}")
        if missing:
            raise InvalidWorkflow(f"{where}: input {kind} {missing} of {called['name']} not given")
    for parameter in arguments.get("parameters", []):
        for variable in _variables(parameter.get("value", "")):
            name = variable.removeprefix("workflow.parameters.")
            if name == variable or name not in declared:
                raise InvalidWorkflow(
                    f"{where}: parameter {parameter['name']} refers to {{{{{variable}}}}}, "
                    "not a workflow parameter"
                )


def _validate_leaf(template: Mapping[str, Any], declared: set[str]) -> None:
    where = f"template {template['name']}"
    scope = {f"workflow.parameters.{name}" for name in declared} | {"workflow.name", "pod.name"}
    for kind in ("parameters", "artifacts"):
        for name in _names(_inputs(template, kind), f"{where}: input", IO_NAME):
            scope.add(f"inputs.{kind}.{name}" + (".path" if kind == "artifacts" else ""))
    for name in _names(_outputs(template, "artifacts"), f"{where}: output", IO_NAME):
        scope.add(f"outputs.artifacts.{name}.path")
    paths = [a["path"] for a in _inputs(template, "artifacts") + _outputs(template, "artifacts")]
    for path in paths:
        if not str(path).startswith("/"):
            raise InvalidWorkflow(f"{where}: artifact path {path!r} is not absolute")
    if len(set(paths)) != len(paths):
        raise InvalidWorkflow(f"{where}: two artifacts share a path")
    body = {k: v for k, v in template.items() if k not in ("name", "inputs", "outputs")}
    for variable in _variables(body):
        if variable not in scope:
            raise InvalidWorkflow(f"{where}: {{{{{variable}}}}} refers to nothing in scope")


# ---------------------------------------------------------------- running


def substitute(text: str, values: Mapping[str, str], where: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise InvalidWorkflow(f"{where}: {{{{{name}}}}} is not resolved")
        return values[name]

    return VARIABLE.sub(replace, text)


def _container_path(root: Path, path: str) -> Path:
    """Where the container's absolute ``path`` lives in this step's private file system."""
    return root.joinpath(*Path(path).parts[1:])


def run_workflow(
    manifest: Mapping[str, Any],
    *,
    workdir: Path,
    scratch: Path,
    parameters: Mapping[str, str] | None = None,
    python: str | os.PathLike[str] = sys.executable,
    timeout: float = 600,
) -> dict[str, dict[str, Path]]:
    """Run the entrypoint DAG; return task -> output artifact -> file holding it.

    ``workdir`` is the image's working directory (the pipeline's folder: its module and
    data files; each step runs in a copy of it, as each pod has its own), ``scratch`` an empty folder for the steps' file systems, ``parameters``
    overrides workflow parameters as ``argo submit -p name=value`` does.
    """
    validate(manifest)
    spec = manifest["spec"]
    defaults = {p["name"]: str(p["value"]) for p in spec.get("arguments", {}).get("parameters", [])}
    unknown = sorted(set(parameters or {}) - set(defaults))
    if unknown:
        raise InvalidWorkflow(f"parameters {unknown} are not workflow parameters")
    workflow_values = {
        f"workflow.parameters.{k}": v for k, v in {**defaults, **(parameters or {})}.items()
    }
    workflow_values["workflow.name"] = str(manifest["metadata"].get("generateName", "wf")) + "local"
    templates = {t["name"]: t for t in spec["templates"]}
    dag = templates[spec["entrypoint"]]["dag"]["tasks"]
    tasks = {task["name"]: task for task in dag}
    order = graphlib.TopologicalSorter({n: set(dependencies(t)) for n, t in tasks.items()})
    results: dict[str, dict[str, Path]] = {}
    for name in order.static_order():
        task = tasks[name]
        results[name] = _run_task(
            task,
            templates[task["template"]],
            workflow_values,
            results,
            workdir,
            scratch / name,
            python,
            timeout,
        )
    return results


def _run_task(
    task: Mapping[str, Any],
    template: Mapping[str, Any],
    workflow_values: Mapping[str, str],
    results: Mapping[str, Mapping[str, Path]],
    workdir: Path,
    folder: Path,
    python: str | os.PathLike[str],
    timeout: float,
) -> dict[str, Path]:
    where = f"task {task['name']}"
    root = folder / "container"
    root.mkdir(parents=True)
    values = dict(workflow_values)
    values["pod.name"] = task["name"]
    arguments = task.get("arguments", {})
    given = {
        p["name"]: substitute(str(p["value"]), workflow_values, where)
        for p in arguments.get("parameters", [])
    }
    for parameter in _inputs(template, "parameters"):
        value = given.get(parameter["name"], parameter.get("value", parameter.get("default")))
        values[f"inputs.parameters.{parameter['name']}"] = str(value)
    sources = {a["name"]: a["from"] for a in arguments.get("artifacts", [])}
    for artifact in _inputs(template, "artifacts"):
        match = FROM_ARTIFACT.match(sources[artifact["name"]])
        assert match is not None
        upstream, output = match.groups()
        target = _container_path(root, artifact["path"])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(results[upstream][output], target)
        values[f"inputs.artifacts.{artifact['name']}.path"] = str(target)
    outputs = {}
    for artifact in _outputs(template, "artifacts"):
        outputs[artifact["name"]] = _container_path(root, artifact["path"])
        values[f"outputs.artifacts.{artifact['name']}.path"] = str(outputs[artifact["name"]])
    kind = "script" if "script" in template else "container"
    container = template[kind]
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    for item in container.get("env", []):
        env[item["name"]] = substitute(str(item["value"]), values, where)
    command = [substitute(str(part), values, where) for part in container.get("command", [])]
    command += [substitute(str(part), values, where) for part in container.get("args", [])]
    if not command or command[0] != "python":
        raise InvalidWorkflow(f"{where}: this runner runs `python` commands, not {command[:1]}")
    command[0] = str(python)
    if kind == "script":  # Argo writes the source to a file and appends its path
        script = folder / "script"
        script.write_text(substitute(container["source"], values, where))
        command.append(str(script))
    # Each pod starts from its own copy of the image: what one step writes beside the
    # module, the next does not see (only artifacts travel).
    image = folder / "workdir"
    shutil.copytree(workdir, image)
    done = subprocess.run(
        command, cwd=image, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise AssertionError(
            f"{where} failed (exit {done.returncode})\n--- stdout ---\n{done.stdout}\n"
            f"--- stderr ---\n{done.stderr}"
        )
    for name, path in outputs.items():
        if not path.is_file():
            raise AssertionError(f"{where}: output artifact {name} was not written")
    return outputs
