"""Files a writer produces, and the ones every writer ships.

A writer returns :class:`PipelineFile` objects; core writes them into the output
directory (:func:`write_files`), so writers never touch the file system and can be
tested on the returned text alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from linea_core.pipeline.errors import PipelineError
from linea_core.pipeline.model import Pipeline
from linea_core.support.atomic_files import write_bytes_atomically


@dataclass(frozen=True)
class PipelineFile:
    """One generated file: ``path`` relative to the output directory (``/``-separated).

    ``description`` is what linea prints (``Generated module file: ...``); ``executable``
    sets the executable bits (an entry script).
    """

    path: str
    content: str | bytes
    description: str = "file"
    executable: bool = False

    def __post_init__(self) -> None:
        parts = PurePosixPath(self.path).parts
        if not parts or PurePosixPath(self.path).is_absolute() or ".." in parts:
            raise PipelineError(
                f"a pipeline writer produced the file path {self.path!r}; paths must be "
                "relative to the output directory, without '..'"
            )


def module_file(pipeline: Pipeline) -> PipelineFile:
    """``<name>_module.py``: the functions every writer's files call."""
    from linea_core.pipeline.module_code import module_source

    return PipelineFile(f"{pipeline.module_name}.py", module_source(pipeline), "module file")


def requirements_file(pipeline: Pipeline, extra: Sequence[str] = ()) -> PipelineFile:
    """``<name>_requirements.txt``: the pinned requirements, then ``extra`` lines (a
    writer's own, such as fsspec for a URL hand-off), without duplicates."""
    lines: list[str] = [r.pin for r in pipeline.requirements]
    names = {r.distribution.lower() for r in pipeline.requirements}
    for line in extra:
        name = line.split("=")[0].split("<")[0].split(">")[0].split("[")[0].strip().lower()
        if name not in names and line not in lines:
            lines.append(line)
    text = "\n".join(lines) + "\n" if lines else ""
    return PipelineFile(f"{pipeline.name}_requirements.txt", text, "requirements file")


def write_files(files: Iterable[PipelineFile], output_dir: Path) -> list[Path]:
    """Write ``files`` under ``output_dir`` (created if missing); return their paths.

    Each file is written to a temporary name and renamed, so a reader (an orchestrator
    watching the folder) never sees half a file.
    """
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for item in files:
        target = output_dir.joinpath(*PurePosixPath(item.path).parts)
        data = item.content.encode("utf-8") if isinstance(item.content, str) else item.content
        write_bytes_atomically(target, data, prefix=".partial-", executable=item.executable)
        written.append(target)
    return written
