"""A fresh linea for one test: its own home (SQLite store, value folder), the plugin
host of your choice, and a working folder where traced code and generated pipelines
run (so relative paths such as ``"iris.csv"`` resolve the same way in both)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linea_core.context import LineaContext, use_context

if TYPE_CHECKING:
    from linea_core.api.tracing import TraceResult
    from linea_core.pipeline import Pipeline, PipelineFile
    from linea_core.plugins.host import PluginHost


class LineaSandbox:
    """One isolated linea: ``home`` (store and values), ``work`` (the current folder of
    traced code and generated runs) and ``context`` (current while the sandbox is open).

    Environment variables ``LINEA_*`` of the surrounding shell do not leak in: the
    configuration is resolved from ``home`` alone.
    """

    def __init__(self, root: Path, plugins: PluginHost | None = None) -> None:
        from linea_core.config.options import resolve_options

        self.root = root
        self.home = root / "linea_home"
        self.work = root / "work"
        self.work.mkdir(parents=True, exist_ok=True)
        options = resolve_options({"home_dir": str(self.home)}, environ={})
        self.context = LineaContext(options, plugins=plugins)

    @property
    def store(self) -> Any:
        return self.context.store

    def write_files(self, files: Mapping[str, str | bytes]) -> None:
        """Put files (data the traced code reads) into the working folder."""
        for name, content in files.items():
            path = self.work / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content)

    @contextmanager
    def in_work(self) -> Iterator[Path]:
        previous = os.getcwd()
        os.chdir(self.work)
        try:
            yield self.work
        finally:
            os.chdir(previous)

    def trace(self, code: str, *, name: str | None = None) -> TraceResult:
        """Run ``code`` under linea in the working folder, as ``linea python`` would."""
        from linea_core.api.tracing import trace

        with use_context(self.context), self.in_work():
            return trace(code, name=name)

    def pipeline(self, artifacts: Sequence[Any], **arguments: Any) -> Pipeline:
        """The pipeline model for ``artifacts`` (arguments as for ``to_pipeline``:
        ``pipeline_name``, ``dependencies``, ``input_parameters``,
        ``reuse_pre_computed_artifacts``, ``include_non_slice_as_comment``)."""
        from linea_core.pipeline.builder import build_pipeline, make_request

        if "pipeline_name" in arguments:
            arguments["pipeline_name_"] = arguments.pop("pipeline_name")
        with use_context(self.context):
            return build_pipeline(self.store, make_request(artifacts, **arguments))

    def render(
        self,
        pipeline: Pipeline,
        framework: str,
        config: Mapping[str, Any] | None = None,
        *,
        generate_test: bool = False,
    ) -> dict[str, PipelineFile]:
        """What ``framework``'s writer renders (config validated as for users), by path."""
        from linea_core.api.pipelines import render_pipeline

        with use_context(self.context):
            files = render_pipeline(
                pipeline, framework, config, generate_test=generate_test, store=self.store
            )
        return {f.path: f for f in files}

    def to_pipeline(self, artifacts: Sequence[Any], **arguments: Any) -> Path:
        """``linea_core.to_pipeline`` in this sandbox; ``output_dir`` defaults to
        ``work/<pipeline_name>`` and relative ones are taken inside ``work``."""
        from linea_core.api.pipelines import to_pipeline

        name = arguments.get("pipeline_name") or "pipeline"
        output = Path(arguments.pop("output_dir", name))
        output = output if output.is_absolute() else self.work / output
        with use_context(self.context), self.in_work():
            to_pipeline(artifacts, output_dir=output, **arguments)
        return output

    def stored_values(
        self, names: Iterable[str] | Pipeline, folder: Path | None = None
    ) -> dict[str, Path]:
        """The stored values of artifacts (names, or a pipeline's value artifacts at the
        versions it uses) pickled under ``folder``: the ``expected`` of the run helpers."""
        from linea_core.pipeline import Pipeline
        from linea_core.testing.runs import export_values

        wanted: list[tuple[str, int | None]]
        if isinstance(names, Pipeline):
            wanted = [(a.name, a.version) for a in names.value_artifacts]
        else:
            wanted = [(name, None) for name in names]
        store = self.store
        values = {
            name: store.load_value(store.get_artifact(name, version)) for name, version in wanted
        }
        return export_values(values, folder or self.root / "expected")

    def close(self) -> None:
        self.context.close()


@contextmanager
def linea_sandbox(root: Path, plugins: PluginHost | None = None) -> Iterator[LineaSandbox]:
    """A :class:`LineaSandbox` under ``root``, current for the ``with`` block."""
    sandbox = LineaSandbox(root, plugins)
    try:
        with use_context(sandbox.context):
            yield sandbox
    finally:
        sandbox.close()
