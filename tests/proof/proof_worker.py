"""A fork server: runs programs, traced runs and slices, each in its own new process.

The soundness proof runs thousands of tiny programs. Starting an interpreter (and
importing numpy, linea, scikit-learn) for each would take hours, and running them one
after another in one interpreter would let global state leak from one into the next
(the random generators, ``decimal``'s context, attributes of imported modules: exactly
the state the proof is about). So this process imports the heavy libraries once, then
``fork``s a child per job: the child starts from the server's pristine state, runs the
job, sends the result back through a pipe and exits, taking every change with it.

The random generators are reseeded from the OS in every child, so a child is no more
predictable than a fresh interpreter: a slice that forgot ``np.random.seed`` fails.

Modes (``argv[1]``):

- ``run``: plain Python; ``import linea_core`` gets a stand-in that records each
  ``lineapy.save`` (value pickled at the moment of the save, in order) and answers
  ``lineapy.get`` from them. Preloads numpy only, so a slice that lost an ``import`` of
  a submodule fails as it would in a fresh interpreter (``heavy`` below is the exception).
- ``heavy``: as ``run`` but also preloads pandas, matplotlib (Agg) and scikit-learn,
  for the real-world corpus, where importing scikit-learn per job would cost a second.
- ``trace``: runs code under ``linea_core.trace`` in a fresh linea home and returns every
  saved version's ``get_code()`` and stored value, and the final variables.

Protocol: 4-byte big-endian length + pickle, on the server's own copies of stdin and
stdout; fds 0 and 1 are pointed at /dev/null (a job may get its own stdin text) so
nothing a program prints can corrupt it.
"""

from __future__ import annotations

import atexit
import builtins
import importlib.util
import os
import pickle
import random
import select
import shutil
import signal
import struct
import sys
import tempfile
import traceback
import types
from pathlib import Path
from typing import Any, BinaryIO

HERE = Path(__file__).resolve().parent
# A linea home made (store created, migrations run) once by the trace server; each
# traced child starts from a copy, which costs milliseconds instead of a second.
TEMPLATE_HOME = Path(tempfile.gettempdir()) / f"proof-template-home-{os.getpid()}"
RUNNER_PATH = HERE.parent / "engine" / "corpus_runner.py"


def load_values_module() -> Any:
    """``corpus_runner`` (portable/difference): the value rules shared with the corpus tests."""
    if "corpus_runner" in sys.modules:
        return sys.modules["corpus_runner"]
    spec = importlib.util.spec_from_file_location("corpus_runner", RUNNER_PATH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_runner"] = module
    spec.loader.exec_module(module)
    return module


def read_message(stream: BinaryIO) -> Any:
    header = stream.read(4)
    if len(header) < 4:
        raise EOFError
    (size,) = struct.unpack(">I", header)
    return pickle.loads(stream.read(size))


def write_message(stream: BinaryIO, payload: bytes) -> None:
    stream.write(struct.pack(">I", len(payload)) + payload)
    stream.flush()


# --- the jobs, run in the forked child ----------------------------------------------------


class _Reference:
    """Stand-in for ``lineapy.file_system`` / ``lineapy.db`` in plain runs."""

    def __init__(self, name: str) -> None:
        self.name = name


class _Saved:
    def __init__(self, name: str, payload: bytes) -> None:
        self.name = name
        self._payload = payload

    def get_value(self) -> Any:
        import cloudpickle

        return cloudpickle.loads(self._payload)


def recording_linea(saves: list[tuple[str, bytes]]) -> types.ModuleType:
    """A ``linea_core`` for plain runs: ``save`` pickles the value at once (a later
    mutation must not change what was saved), ``get`` returns the latest save."""
    import cloudpickle

    shim = types.ModuleType("linea_core")

    def save(value: Any, name: str) -> None:
        if isinstance(value, _Reference):
            value = f"<{value.name}>"
        saves.append((name, cloudpickle.dumps(value)))

    def get(name: str, version: int | None = None) -> _Saved:
        found = [p for n, p in saves if n == name]
        if not found:
            raise KeyError(f"no artifact {name!r} saved earlier in this run")
        return _Saved(name, found[-1] if version is None else found[version])

    shim.save = save  # type: ignore[attr-defined]
    shim.get = get  # type: ignore[attr-defined]
    shim.file_system = _Reference("file_system")  # type: ignore[attr-defined]
    shim.db = _Reference("db")  # type: ignore[attr-defined]
    return shim


def _prepare(job: dict[str, Any]) -> None:
    cwd = job.get("cwd") or tempfile.mkdtemp(prefix="proof-")
    os.chdir(cwd)
    sys.path.insert(0, cwd)
    for name, text in job.get("files", {}).items():
        Path(cwd, name).write_text(text)
    if job.get("stdin") is not None:
        path = Path(cwd, ".stdin")
        path.write_text(job["stdin"])
        fd = os.open(path, os.O_RDONLY)
        os.dup2(fd, 0)
        sys.stdin = open(0, closefd=False)  # noqa: SIM115 - lives as long as the child
    sys.argv = [job.get("path") or "-c", *job.get("argv", [])]


def run_plain(job: dict[str, Any]) -> dict[str, Any]:
    """Run ``code`` (or the script at ``path``) as ``__main__`` with the recording linea."""
    import cloudpickle

    values = load_values_module()
    saves: list[tuple[str, bytes]] = []
    sys.modules["linea_core"] = recording_linea(saves)
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    result: dict[str, Any] = {"error": None, "values": {}, "final": {}}
    try:
        if job.get("path"):
            namespace["__file__"] = str(Path(job["path"]).resolve())
            source = Path(job["path"]).read_text()
            code = compile(source, namespace["__file__"], "exec")
        else:
            code = compile(job["code"], "<program>", "exec")
        exec(code, namespace)
    except BaseException:  # noqa: BLE001 - reported, the test decides
        result["error"] = traceback.format_exc(limit=-8)
    for key, expr in job.get("exprs", {}).items():
        try:
            result["values"][key] = values.portable(eval(expr, namespace))
        except BaseException as exc:  # noqa: BLE001
            result["values"][key] = values.Ref("unbound", f"{type(exc).__name__}: {exc}")
    if job.get("final"):
        result["final"] = _final(namespace, values)
    result["saves"] = [(n, values.portable(cloudpickle.loads(p))) for n, p in saves]
    return result


def _final(namespace: dict[str, Any], values: Any) -> dict[str, Any]:
    return {
        k: deep_portable(v, values)
        for k, v in namespace.items()
        if not k.startswith("__") and k != "lineapy"
    }


def deep_portable(value: Any, values: Any) -> Any:
    """``portable`` applied inside plain lists, tuples and dicts too: a dict of bound
    methods compares by the methods' names, not by the identity of their objects."""
    kind = type(value)
    if kind in (list, tuple):
        return kind(deep_portable(v, values) for v in value)
    if kind is dict:
        return {k: deep_portable(v, values) for k, v in value.items()}
    return values.portable(value)


def run_traced(job: dict[str, Any]) -> dict[str, Any]:
    """Trace ``code`` (or ``path``) in a fresh linea home: every version's code and value."""
    home = Path(tempfile.mkdtemp(prefix="proof-home-")) / "home"
    shutil.copytree(TEMPLATE_HOME, home)
    os.environ["LINEA_HOME_DIR"] = str(home)
    os.environ["LINEA_LOAD_PLUGINS"] = ""
    import linea_core
    from linea_core.api.artifact import LineaArtifact

    values = load_values_module()
    result: dict[str, Any] = {"error": None, "versions": [], "final": {}}
    try:
        traced = linea_core.trace(job.get("path") or job["code"], argv=job.get("argv"))
    except BaseException:  # noqa: BLE001
        result["error"] = traceback.format_exc(limit=-8)
        return result
    result["final"] = _final(traced.values, values)
    session = traced.session
    store = session.store
    records = [r for r in store.list_artifacts() if r.session_id == session.session_id]
    records.sort(key=lambda r: (r.name, r.version))
    counts: dict[str, int] = {}
    for record in records:
        index = counts[record.name] = counts.get(record.name, -1) + 1
        artifact = LineaArtifact(record, store, graph=session.graph)
        entry: dict[str, Any] = {"name": record.name, "index": index, "code": None}
        try:
            entry["code"] = artifact.get_code()
        except BaseException:  # noqa: BLE001
            entry["code_error"] = traceback.format_exc(limit=-4)
        try:
            entry["value"] = values.portable(artifact.get_value())
        except BaseException as exc:  # noqa: BLE001
            entry["value"] = values.Ref("unloadable", f"{type(exc).__name__}: {exc}")
        result["versions"].append(entry)
    return result


def run_stored(job: dict[str, Any]) -> dict[str, Any]:
    """The latest stored value of each of ``names`` in the linea home ``home``."""
    os.environ["LINEA_HOME_DIR"] = job["home"]
    os.environ["LINEA_LOAD_PLUGINS"] = ""
    import linea_core

    values = load_values_module()
    result: dict[str, Any] = {"error": None, "values": {}}
    for name in job["names"]:
        try:
            result["values"][name] = values.portable(linea_core.get(name).get_value())
        except BaseException as exc:  # noqa: BLE001
            result["values"][name] = values.Ref("unloadable", f"{type(exc).__name__}: {exc}")
    return result


JOBS = {"run": run_plain, "trace": run_traced, "stored": run_stored}


def _child(job: dict[str, Any], out_fd: int) -> None:
    import cloudpickle

    try:
        random.seed()
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
        _prepare(job)
        result = JOBS[job["kind"]](job)
        payload = cloudpickle.dumps(result)
    except BaseException:  # noqa: BLE001
        payload = cloudpickle.dumps({"error": "worker: " + traceback.format_exc()})
    with os.fdopen(out_fd, "wb") as out:
        out.write(payload)


def run_forked(job: dict[str, Any], timeout: float) -> bytes:
    """Run ``job`` in a forked child; its pickled result, or an error after ``timeout``."""
    import cloudpickle

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_fd)
        try:
            _child(job, write_fd)
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks: list[bytes] = []
    timed_out = False
    while True:
        ready, _, _ = select.select([read_fd], [], [], timeout)
        if not ready:
            timed_out = True
            os.kill(pid, signal.SIGKILL)
            break
        chunk = os.read(read_fd, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    if timed_out:
        return cloudpickle.dumps({"error": f"timed out after {timeout} s"})
    if not chunks:
        return cloudpickle.dumps({"error": f"the child died (wait status {status})"})
    return b"".join(chunks)


def preload(mode: str) -> None:
    import cloudpickle  # noqa: F401
    import numpy  # noqa: F401

    load_values_module()
    if mode == "heavy":
        os.environ.setdefault("MPLBACKEND", "Agg")
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot  # noqa: F401
        import pandas  # noqa: F401
        import sklearn  # noqa: F401
    if mode == "trace":
        warm_up_tracing()


def warm_up_tracing() -> None:
    """Import what tracing imports lazily and create the template home, by tracing once
    in a context that is discarded afterwards (children create their own)."""
    import linea_core
    import linea_core.api.artifact  # noqa: F401
    from linea_core.context import fresh_context_scope

    shutil.rmtree(TEMPLATE_HOME, ignore_errors=True)
    os.environ["LINEA_HOME_DIR"] = str(TEMPLATE_HOME)
    os.environ["LINEA_LOAD_PLUGINS"] = ""
    with fresh_context_scope():
        result = linea_core.trace('import linea_core as lineapy\nlineapy.save([1], "warm")\n')
        result.artifacts["warm"].get_code()
    atexit.register(shutil.rmtree, TEMPLATE_HOME, True)


def main(argv: list[str]) -> int:
    mode = argv[1]
    preload(mode)
    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
    write_message(replies, pickle.dumps({"ready": sorted(sys.modules)}))
    while True:
        try:
            request = read_message(requests)
        except EOFError:
            return 0
        timeout = float(request.get("timeout", 60))
        batch = [run_forked(job, timeout) for job in request["jobs"]]
        write_message(replies, pickle.dumps(batch))


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.exit(main(sys.argv))
