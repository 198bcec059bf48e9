"""Pipelines from artifacts: ``to_pipeline``, ``create_pipeline``/``get_pipeline``,
``get_function``, ``get_module``, ``get_module_definition`` (LineaPy's signatures).

Building the model is :func:`linea_core.pipeline.builder.build_pipeline`; rendering is
the writer plugin's job; this module looks the writer up, validates
``pipeline_dag_config`` against its options, adds the test scaffold, writes the files
and keeps the pipeline's definition in the store.
"""

from __future__ import annotations

import hashlib
import sys
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linea_core.context import current_context
from linea_core.pipeline.builder import (
    ArtifactSpec,
    PipelineRequest,
    build_pipeline,
    make_request,
)
from linea_core.pipeline.errors import PipelineError, PipelineNotFoundError, UnknownFrameworkError

if TYPE_CHECKING:
    from linea_core.pipeline.files import PipelineFile
    from linea_core.pipeline.model import Pipeline
    from linea_core.store.records import PipelineRecord
    from linea_core.store.repository import Store

DEFAULT_FRAMEWORK = "SCRIPT"


def to_pipeline(
    artifacts: Sequence[ArtifactSpec],
    framework: str = DEFAULT_FRAMEWORK,
    pipeline_name: str | None = None,
    dependencies: Mapping[str, Iterable[str]] | None = None,
    output_dir: str | Path = ".",
    input_parameters: Sequence[str] = (),
    reuse_pre_computed_artifacts: Sequence[ArtifactSpec] = (),
    generate_test: bool = False,
    pipeline_dag_config: Mapping[str, Any] | None = None,
    include_non_slice_as_comment: bool = False,
) -> Path:
    """Write a pipeline computing ``artifacts`` for ``framework`` into ``output_dir``.

    ``artifacts`` are names (latest version) or ``(name, version)`` pairs.
    ``dependencies`` (``{"model": {"preprocessed"}}``) orders artifacts of different
    sessions; linea finds dependencies within a session itself. ``input_parameters``
    are variables assigned a literal in the artifacts' code that become parameters
    (``--name value`` on the command line for ``SCRIPT``). ``reuse_pre_computed_artifacts``
    are loaded from the store instead of recomputed. ``generate_test`` adds
    ``test_<name>.py`` with the stored values under ``sample_output/``.
    ``pipeline_dag_config`` holds the framework's own options (see the writer's
    documentation; unknown keys are an error listing the valid ones).
    ``include_non_slice_as_comment`` shows the session's other statements as comments.
    Returns ``output_dir``. The definition is also kept in the store (``get_pipeline``).
    """
    stored, model = _define(
        artifacts,
        pipeline_name=pipeline_name,
        dependencies=dependencies,
        input_parameters=input_parameters,
        reuse_pre_computed_artifacts=reuse_pre_computed_artifacts,
        framework=framework,
        pipeline_dag_config=pipeline_dag_config,
        include_non_slice_as_comment=include_non_slice_as_comment,
    )
    write_pipeline(
        model,
        stored.framework,
        Path(output_dir).expanduser(),
        generate_test,
        stored.pipeline_dag_config,
        current_context().store,
    )
    return Path(output_dir)


def create_pipeline(
    artifacts: Sequence[ArtifactSpec],
    pipeline_name: str | None = None,
    dependencies: Mapping[str, Iterable[str]] | None = None,
    input_parameters: Sequence[str] = (),
    reuse_pre_computed_artifacts: Sequence[ArtifactSpec] = (),
    framework: str = DEFAULT_FRAMEWORK,
    pipeline_dag_config: Mapping[str, Any] | None = None,
    include_non_slice_as_comment: bool = False,
) -> LineaPipeline:
    """Check that a pipeline can be built from ``artifacts`` and keep its definition.

    The arguments mean what they mean for :func:`to_pipeline`. The definition is stored
    under ``pipeline_name`` (replacing an earlier one of that name) and written later
    with ``LineaPipeline.write`` or ``linea pipeline write NAME``. Artifacts given by
    name alone resolve to their latest version each time the pipeline is written. The
    framework must be installed and ``pipeline_dag_config`` valid for it.
    """
    stored, _ = _define(
        artifacts,
        pipeline_name=pipeline_name,
        dependencies=dependencies,
        input_parameters=input_parameters,
        reuse_pre_computed_artifacts=reuse_pre_computed_artifacts,
        framework=framework,
        pipeline_dag_config=pipeline_dag_config,
        include_non_slice_as_comment=include_non_slice_as_comment,
    )
    return stored


def _define(
    artifacts: Sequence[ArtifactSpec],
    *,
    pipeline_name: str | None,
    dependencies: Mapping[str, Iterable[str]] | None,
    input_parameters: Sequence[str],
    reuse_pre_computed_artifacts: Sequence[ArtifactSpec],
    framework: str,
    pipeline_dag_config: Mapping[str, Any] | None,
    include_non_slice_as_comment: bool,
) -> tuple[LineaPipeline, Pipeline]:
    """Check everything, store the definition; the definition and the model built."""
    request = make_request(
        artifacts,
        pipeline_name_=pipeline_name,
        dependencies=dependencies,
        input_parameters=input_parameters,
        reuse_pre_computed_artifacts=reuse_pre_computed_artifacts,
        include_non_slice_as_comment=include_non_slice_as_comment,
    )
    context = current_context()
    store = context.store
    framework_name = _framework_name(framework)
    from linea_core.pipeline.options import validate_options

    writer = writer_for(framework_name)
    validate_options(writer.options_model(), pipeline_dag_config, writer.framework)
    # Building checks everything about the artifacts before anything is stored.
    model = build_pipeline(store, request)
    options = {
        "input_parameters": list(request.input_parameters),
        "reuse_pre_computed_artifacts": [list(a) for a in request.reuse_pre_computed_artifacts],
        "pipeline_dag_config": dict(pipeline_dag_config or {}),
        "include_non_slice_as_comment": request.include_non_slice_as_comment,
    }
    record = store.save_pipeline(
        request.name,
        framework=framework_name,
        artifacts=request.artifacts,
        dependencies=request.dependencies,
        options=options,
    )
    return LineaPipeline(record, store), model


def get_pipeline(pipeline_name: str) -> LineaPipeline:
    """The pipeline definition stored as ``pipeline_name`` (by ``create_pipeline`` or
    ``to_pipeline``)."""
    store = current_context().store
    record = store.get_pipeline(pipeline_name)
    if record is None:
        names = [r.name for r in store.list_pipelines()]
        known = f"stored pipelines: {', '.join(names)}" if names else "no pipeline is stored"
        raise PipelineNotFoundError(
            f"No pipeline named {pipeline_name!r} ({known}); create one with "
            "create_pipeline(...) or `linea pipeline create`."
        )
    return LineaPipeline(record, store)


def get_function(
    artifacts: Sequence[ArtifactSpec],
    input_parameters: Sequence[str] = (),
    reuse_pre_computed_artifacts: Sequence[ArtifactSpec] = (),
) -> Callable[..., dict[str, Any]]:
    """A function recomputing ``artifacts``: keyword arguments are the input parameters
    (defaulting to the literals in the code); it returns ``{artifact name: value}``."""
    module = get_module(artifacts, input_parameters, reuse_pre_computed_artifacts)
    function: Callable[..., dict[str, Any]] = module.run_all_sessions
    return function


def get_module(
    artifacts: Sequence[ArtifactSpec],
    input_parameters: Sequence[str] = (),
    reuse_pre_computed_artifacts: Sequence[ArtifactSpec] = (),
) -> types.ModuleType:
    """The module :func:`get_module_definition` defines, imported (not run as a script)."""
    source = get_module_definition(artifacts, input_parameters, reuse_pre_computed_artifacts)
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]
    module = types.ModuleType(f"linea_pipeline_{digest}")
    module.__file__ = f"<linea pipeline module {digest}>"
    import linecache

    linecache.cache[module.__file__] = (len(source), None, source.splitlines(True), module.__file__)
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def get_module_definition(
    artifacts: Sequence[ArtifactSpec],
    input_parameters: Sequence[str] = (),
    reuse_pre_computed_artifacts: Sequence[ArtifactSpec] = (),
) -> str:
    """Python source of a module computing ``artifacts`` (the ``SCRIPT`` pipeline's
    module): a function per artifact and ``run_all_sessions``, which :func:`get_function`
    returns."""
    from linea_core.pipeline.module_code import module_source

    request = make_request(
        artifacts,
        input_parameters=input_parameters,
        reuse_pre_computed_artifacts=reuse_pre_computed_artifacts,
    )
    return module_source(build_pipeline(current_context().store, request))


class LineaPipeline:
    """A stored pipeline definition: its artifacts, dependencies, parameters, framework."""

    def __init__(self, record: PipelineRecord, store: Store) -> None:
        self._record = record
        self._store = store

    @property
    def name(self) -> str:
        return self._record.name

    @property
    def framework(self) -> str:
        return self._record.framework

    @property
    def artifacts(self) -> list[str | tuple[str, int]]:
        return [
            name if version is None else (name, version) for name, version in self._record.artifacts
        ]

    @property
    def dependencies(self) -> dict[str, set[str]]:
        return {key: set(value) for key, value in self._record.dependencies.items()}

    @property
    def input_parameters(self) -> list[str]:
        return list(self._record.options.get("input_parameters", []))

    @property
    def reuse_pre_computed_artifacts(self) -> list[str | tuple[str, int]]:
        return [
            name if version is None else (name, version)
            for name, version in self._record.options.get("reuse_pre_computed_artifacts", [])
        ]

    @property
    def pipeline_dag_config(self) -> dict[str, Any]:
        return dict(self._record.options.get("pipeline_dag_config", {}))

    def request(self) -> PipelineRequest:
        return make_request(
            self.artifacts,
            pipeline_name_=self.name,
            dependencies=self.dependencies,
            input_parameters=self.input_parameters,
            reuse_pre_computed_artifacts=self.reuse_pre_computed_artifacts,
            include_non_slice_as_comment=bool(
                self._record.options.get("include_non_slice_as_comment", False)
            ),
        )

    def build(self) -> Pipeline:
        """The pipeline model, from the artifacts as they are in the store now."""
        return build_pipeline(self._store, self.request())

    def write(
        self,
        output_dir: str | Path = ".",
        *,
        framework: str | None = None,
        generate_test: bool = False,
        pipeline_dag_config: Mapping[str, Any] | None = None,
    ) -> Path:
        """Write the pipeline's files; ``framework``/``pipeline_dag_config`` override the
        stored ones. Returns ``output_dir``."""
        name = _framework_name(framework or self.framework)
        config = self.pipeline_dag_config if pipeline_dag_config is None else pipeline_dag_config
        write_pipeline(
            self.build(), name, Path(output_dir).expanduser(), generate_test, config, self._store
        )
        return Path(output_dir)

    def get_module_definition(self) -> str:
        from linea_core.pipeline.module_code import module_source

        return module_source(self.build())

    def __repr__(self) -> str:
        return f"LineaPipeline(name={self.name!r}, framework={self.framework!r})"


def _framework_name(framework: str) -> str:
    if not isinstance(framework, str) or not framework.strip():
        raise PipelineError(f"framework must be a name such as 'SCRIPT', not {framework!r}")
    return framework.strip().upper()


def writer_for(framework: str) -> Any:
    """The installed writer for ``framework``; a one-line error listing the installed ones."""
    writers = current_context().plugins.pipeline_writers()
    name = _framework_name(framework)
    try:
        return writers[name]
    except KeyError:
        installed = ", ".join(sorted(writers)) or "none"
        raise UnknownFrameworkError(
            f"No pipeline writer for framework {framework!r}; installed frameworks: "
            f"{installed}. Install the plugin providing it (e.g. pip install "
            f"linea-{name.lower()}) and check `linea plugins list`."
        ) from None


def render_pipeline(
    pipeline: Pipeline,
    framework: str,
    pipeline_dag_config: Mapping[str, Any] | None = None,
    *,
    generate_test: bool = False,
    store: Store | None = None,
) -> list[PipelineFile]:
    """The files ``framework``'s writer renders, plus the test scaffold if asked."""
    from linea_core.pipeline.files import PipelineFile
    from linea_core.pipeline.options import validate_options

    writer = writer_for(framework)
    options = validate_options(writer.options_model(), pipeline_dag_config, writer.framework)
    files = list(writer.render(pipeline, options))
    for item in files:
        if not isinstance(item, PipelineFile):
            raise PipelineError(
                f"the {writer.framework} writer returned {item!r}, not a PipelineFile; "
                "report this to the plugin's authors"
            )
    if generate_test:
        from linea_core.pipeline.test_file import sample_outputs, test_file

        used = store if store is not None else current_context().store
        files.append(test_file(pipeline))
        files.extend(
            sample_outputs(
                pipeline, lambda name, version: used.load_value(used.get_artifact(name, version))
            )
        )
    return files


def write_pipeline(
    pipeline: Pipeline,
    framework: str,
    output_dir: Path,
    generate_test: bool,
    pipeline_dag_config: Mapping[str, Any] | None,
    store: Store,
) -> list[Path]:
    """Render and write the files; print what was generated, as LineaPy did."""
    from linea_core.pipeline.files import write_files

    files = render_pipeline(
        pipeline, framework, pipeline_dag_config, generate_test=generate_test, store=store
    )
    written = write_files(files, output_dir)
    samples = False
    for item, path in zip(files, written, strict=True):
        if item.description == "sample output":
            samples = True
            continue
        print(f"Generated {item.description}: {_shown(path)}", file=sys.stdout)
    if samples:
        print(f"Generated sample outputs: {_shown(output_dir / 'sample_output')}")
    return written


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
