"""Handing values between tasks that run in different processes, as pickles.

Orchestrators that run each task in its own process (Airflow, DVC, Argo) pass values
through storage: a task pickles each output to
``<location>/<run id>/<task>/<name>.pickle`` and downstream tasks load them. Keying by
run id keeps concurrent runs apart; ``location`` is a local directory (a relative one
is taken next to the generated file, never a fixed ``/tmp`` path) or any fsspec URL
(``s3://bucket/prefix``) so workers on different machines share it. The location is
fixed when the pipeline is generated and can be overridden when it runs through an
environment variable.

:func:`handoff_source` renders the helper functions a writer puts into its generated
file; the generated code imports ``fsspec`` only for URLs, so local runs need nothing
beyond the standard library. Orchestrators with their own value passing (Ray's object
store, kfp artifacts) do not need this module.
"""

from __future__ import annotations

from dataclasses import dataclass

_SOURCE = '''
def _is_url(path):
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", path) is not None


# Where values between tasks are kept: a folder (relative: next to this file) or a URL.
DATA_LOCATION = os.environ.get({env_var!r}) or {location!r}
if not _is_url(DATA_LOCATION) and not os.path.isabs(DATA_LOCATION):
    DATA_LOCATION = os.path.join(os.path.dirname(os.path.abspath(__file__)), DATA_LOCATION)


def _value_path(run_id, task, name):
    """Where the value ``name`` of ``task`` in run ``run_id`` is kept."""
    safe_run = re.sub(r"[^A-Za-z0-9._-]+", "_", str(run_id))
    return "/".join([DATA_LOCATION.rstrip("/"), safe_run, task, name + ".pickle"])


def dump_value(value, run_id, task, name):
    """Pickle ``value``; a reader never sees a partially written file."""
    path = _value_path(run_id, task, name)
    data = pickle.dumps(value)
    if _is_url(path):
        import fsspec

        with fsspec.open(path, "wb") as stream:
            stream.write(data)
        return
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=folder, prefix=".partial-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(partial, path)
    except BaseException:
        os.unlink(partial)
        raise


def load_value(run_id, task, name):
    """The value ``task`` handed on as ``name`` in run ``run_id``."""
    path = _value_path(run_id, task, name)
    if _is_url(path):
        import fsspec

        with fsspec.open(path, "rb") as stream:
            return pickle.loads(stream.read())
    with open(path, "rb") as stream:
        return pickle.loads(stream.read())


def clear_values(run_id):
    """Remove every value of run ``run_id`` (call it when the run has finished)."""
    folder = _value_path(run_id, "x", "x").rsplit("/", 2)[0]
    if _is_url(folder):
        import fsspec

        filesystem, root = fsspec.core.url_to_fs(folder)
        if filesystem.exists(root):
            filesystem.rm(root, recursive=True)
        return
    shutil.rmtree(folder, ignore_errors=True)
'''

HANDOFF_IMPORTS: tuple[str, ...] = (
    "import os",
    "import pickle",
    "import re",
    "import shutil",
    "import tempfile",
)


# fsspec protocols whose implementation is a package of its own.
_FILESYSTEM_PACKAGES = {
    "s3": "s3fs",
    "s3a": "s3fs",
    "gs": "gcsfs",
    "gcs": "gcsfs",
    "abfs": "adlfs",
    "az": "adlfs",
    "hdfs": "pyarrow",
    "sftp": "paramiko",
}


@dataclass(frozen=True)
class HandOff:
    """Where pickled values between tasks live: ``location``, overridable by ``env_var``."""

    location: str
    env_var: str

    @property
    def needs_fsspec(self) -> bool:
        """Whether the default location is a URL (the generated code then needs fsspec)."""
        return "://" in self.location

    @property
    def requirements(self) -> tuple[str, ...]:
        """Distributions the generated code needs for the location: none for a folder,
        ``fsspec`` plus the file system's own package for a URL (``s3://`` -> ``s3fs``)."""
        if not self.needs_fsspec:
            return ()
        protocol = self.location.split("://", 1)[0].lower()
        extra = _FILESYSTEM_PACKAGES.get(protocol)
        return ("fsspec", extra) if extra else ("fsspec",)

    def source(self) -> str:
        """The helper functions (``dump_value``, ``load_value``, ``clear_values``).

        They need :data:`HANDOFF_IMPORTS` at the top of the file, and ``__file__`` (a
        relative location is resolved next to the generated file).
        """
        return _SOURCE.format(env_var=self.env_var, location=self.location).strip("\n") + "\n"


def default_handoff(pipeline_name: str, location: str) -> HandOff:
    """A hand-off at ``location`` overridable with ``<NAME>_DATA_LOCATION``."""
    return HandOff(location=location, env_var=f"{pipeline_name.upper()}_DATA_LOCATION")
