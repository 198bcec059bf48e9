"""The test scaffold ``test_<name>.py`` and its ``sample_output/`` (``generate_test=True``).

Unlike LineaPy's scaffold (``assertEqual`` wrapped so failures only warn), these tests
compare properly (:mod:`linea_core.pipeline.value_compare`: DataFrames, arrays within
tolerances, fitted estimators by parameters, fitted attributes and predictions) and
fail for real, so a faithful pipeline passes out of the box and a broken one does not.
"""

from __future__ import annotations

import inspect
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass

from linea_core.pipeline import value_compare
from linea_core.pipeline.files import PipelineFile
from linea_core.pipeline.model import FunctionKind, ModuleFunction, Pipeline
from linea_core.pipeline.naming import identifier
from linea_core.pipeline.templates import load_template

_SAFE_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def sample_file_name(artifact: str) -> str:
    """The file under ``sample_output/`` holding ``artifact``'s stored value."""
    base = artifact if _SAFE_FILE.match(artifact) else identifier(artifact)
    return f"{base}.pkl"


@dataclass(frozen=True)
class _TestedFunction:
    name: str
    call_arguments: str
    outputs: tuple[str, ...]
    comparisons: tuple[tuple[int, str, str], ...]  # (output position, artifact, file)


def _compare_source() -> str:
    source = inspect.getsource(value_compare)
    # Drop the module docstring and the __future__ import: the test file has its own.
    body = source.split('"""', 2)[2]
    return body.replace("from __future__ import annotations\n", "").strip("\n")


def _argument_sources(pipeline: Pipeline) -> dict[tuple[str, str], str]:
    """(function, argument) -> expression giving the argument in the test file."""
    stored = {a.name for a in pipeline.value_artifacts}
    found: dict[tuple[str, str], str] = {}
    for session in pipeline.sessions:
        functions = {f.name: f for f in session.functions}
        inputs = {i.name: i.artifact for i in session.inputs}
        made_by: dict[str, tuple[ModuleFunction, int]] = {}  # local -> (function, output)
        for step in session.steps:
            function = functions[step.call.function]
            artifact_of_output = {
                output: artifact
                for artifact, output in _artifact_outputs(pipeline, function).items()
            }
            for argument, local in step.call.arguments:
                if argument in {p.name for p in pipeline.parameters}:
                    found[(function.name, argument)] = pipeline.parameter(argument).default_source
                elif local in made_by:
                    provider, position = made_by[local]
                    output = provider.outputs[position]
                    artifact = _artifact_outputs(pipeline, provider)
                    holder = next((a for a, o in artifact.items() if o == output), None)
                    if holder is not None and holder in stored:
                        found[(function.name, argument)] = f"stored({sample_file_name(holder)!r})"
                    else:
                        found[(function.name, argument)] = (
                            f"self.output({provider.name!r}, {position})"
                        )
                elif argument in inputs:
                    found[(function.name, argument)] = (
                        f"stored({sample_file_name(inputs[argument])!r})"
                    )
            for position, local in enumerate(step.call.results):
                made_by[local] = (function, position)
            del artifact_of_output
    return found


def _artifact_outputs(pipeline: Pipeline, function: ModuleFunction) -> dict[str, str]:
    return {
        a.name: a.variable
        for a in pipeline.artifacts
        if a.function == function.name and a.variable is not None
    }


def test_file(pipeline: Pipeline) -> PipelineFile:
    """``test_<name>.py`` for ``pipeline``."""
    arguments = _argument_sources(pipeline)
    tested = []
    for function in pipeline.functions:
        call = ", ".join(
            f"{argument}={arguments.get((function.name, argument), 'None')}"
            for argument in function.arguments
        )
        comparisons = tuple(
            (function.outputs.index(variable), artifact, sample_file_name(artifact))
            for artifact, variable in _artifact_outputs(pipeline, function).items()
            if function.kind is not FunctionKind.COMMON
        )
        tested.append(_TestedFunction(function.name, call, function.outputs, comparisons))
    text = load_template("linea_core.pipeline", "test_pipeline.py.j2").render(
        name=pipeline.name,
        module_name=pipeline.module_name,
        test_file=f"test_{pipeline.name}.py",
        test_module=f"test_{pipeline.name}",
        class_name="Test" + "".join(part.title() for part in pipeline.name.split("_")),
        compare_source=_compare_source(),
        functions=tested,
    )
    from linea_core.pipeline.module_code import format_source

    return PipelineFile(f"test_{pipeline.name}.py", format_source(text), "test file")


def sample_outputs(pipeline: Pipeline, load: Callable[[str, int], object]) -> list[PipelineFile]:
    """``sample_output/<artifact>.pkl`` for each artifact with a value (``load(name,
    version)`` reads it from the store), pickled so the tests need nothing but Python."""
    files = []
    for artifact in pipeline.value_artifacts:
        value = load(artifact.name, artifact.version)
        try:
            data = pickle.dumps(value)
        except Exception:
            import cloudpickle

            data = cloudpickle.dumps(value)
        files.append(
            PipelineFile(f"sample_output/{sample_file_name(artifact.name)}", data, "sample output")
        )
    return files
