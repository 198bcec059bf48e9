"""Throwaway virtual environments for tests that run real tools (Airflow, DVC, kfp, Ray...).

Built with ``uv`` (seconds instead of pip's minutes) and cached between test runs under
``${LINEA_TEST_ENV_CACHE:-~/.cache/linea-test-envs}/<name>-<key>``, the key hashing the
requirements, the Python version and the ``pyproject.toml`` of each local project
installed into it. Building is atomic: the environment is created (relocatable) in a
temporary folder next to its final place and renamed into place when complete, under
a file lock, so concurrent test processes (pytest-xdist) never see half an environment
and build each one once. An empty cache only costs time.

No Python is downloaded: the interpreter is this one, or another installed CPython
(``python_version="3.12"`` looks in pyenv's versions and on ``PATH``).
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

CACHE_ENV = "LINEA_TEST_ENV_CACHE"
DEFAULT_CACHE = "~/.cache/linea-test-envs"
_COMPLETE = ".linea-env-complete"


class EnvironmentBuildError(RuntimeError):
    """The environment could not be built; the message holds uv's output."""


def cache_root() -> Path:
    """Where environments are cached (``LINEA_TEST_ENV_CACHE`` or ``~/.cache/linea-test-envs``)."""
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE).expanduser()


@dataclass(frozen=True)
class TestEnv:
    """A built environment: its folder, interpreter and scripts."""

    __test__ = False  # not a pytest test class despite the name

    path: Path

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"

    def bin(self, name: str) -> Path:
        """A console script installed into the environment (``env.bin("airflow")``)."""
        return self.path / "bin" / name

    def environ(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """``os.environ`` with this environment's ``bin`` first on ``PATH`` (and
        ``VIRTUAL_ENV`` set), plus ``extra``."""
        env = dict(os.environ)
        env["PATH"] = f"{self.path / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.path)
        env.pop("PYTHONHOME", None)
        env.update(extra or {})
        return env

    def run(
        self,
        args: Sequence[str | os.PathLike[str]],
        *,
        cwd: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = 1800,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        """Run a command with this environment first on ``PATH``; on failure (``check``)
        raise an AssertionError carrying the command's output."""
        from linea_core.testing.runs import run_command

        return run_command(args, cwd=cwd, env=self.environ(env), timeout=timeout, check=check)


def uv_binary() -> str:
    """The ``uv`` executable (the ``uv`` package in this environment, or on ``PATH``)."""
    try:
        from uv import find_uv_bin

        return str(find_uv_bin())
    except Exception:
        found = shutil.which("uv")
        if found:
            return found
    raise EnvironmentBuildError(
        "uv is needed to build test environments; install it with `pip install uv`"
    )


def find_python(version: str | None = None) -> str:
    """An interpreter for ``version`` ("3.12"); this one when None or when it matches."""
    current = f"{sys.version_info.major}.{sys.version_info.minor}"
    if version is None or version == current:
        return sys.executable
    root = Path(os.environ.get("PYENV_ROOT", "~/.pyenv")).expanduser()
    candidates = sorted(
        glob.glob(str(root / "versions" / f"{version}.*" / "bin" / "python3")),
        key=lambda p: [int(x) for x in Path(p).parents[1].name.split(".") if x.isdigit()],
    )
    if candidates:
        return candidates[-1]
    found = shutil.which(f"python{version}")
    if found:
        return found
    raise EnvironmentBuildError(
        f"no Python {version} found (looked in {root / 'versions'} and on PATH)"
    )


def _python_version(python: str) -> str:
    done = subprocess.run(
        [python, "-c", "import sys; print(sys.version)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def environment_key(
    name: str,
    requirements: Sequence[str],
    python_version: str,
    editable: Sequence[Path] = (),
) -> str:
    """The cache key: what the environment is made of, hashed."""
    local = []
    for project in editable:
        pyproject = Path(project) / "pyproject.toml"
        content = pyproject.read_bytes() if pyproject.is_file() else b""
        local.append([str(Path(project).resolve()), hashlib.sha256(content).hexdigest()])
    material = {
        "name": name,
        "requirements": sorted(requirements),
        "python": python_version,
        "editable": sorted(local),
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()[:16]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cached_env(
    name: str,
    requirements: Sequence[str],
    *,
    python_version: str | None = None,
    editable: Sequence[str | os.PathLike[str]] = (),
    timeout: float = 1800,
) -> TestEnv:
    """A virtual environment with ``requirements`` (pip requirement strings) installed,
    plus ``editable`` local projects (``pip install -e``), built once and cached.

    ``name`` only labels the folder (``airflow3``); the key is the content.
    """
    if not name or "/" in name:
        raise ValueError(f"environment name must be a plain label, not {name!r}")
    python = find_python(python_version)
    editable_paths = [Path(p).resolve() for p in editable]
    key = environment_key(name, list(requirements), _python_version(python), editable_paths)
    root = cache_root()
    final = root / f"{name}-{key}"
    if (final / _COMPLETE).exists():
        return TestEnv(final)
    root.mkdir(parents=True, exist_ok=True)
    with _locked(root / f".{name}-{key}.lock"):
        if (final / _COMPLETE).exists():
            return TestEnv(final)
        if final.exists():  # an interrupted build of an older linea: start again
            shutil.rmtree(final)
        building = Path(tempfile.mkdtemp(dir=root, prefix=f".building-{name}-"))
        target = building / "venv"
        try:
            _build(target, python, list(requirements), editable_paths, timeout)
            (target / _COMPLETE).write_text(
                json.dumps({"requirements": list(requirements), "python": python}) + "\n"
            )
            os.replace(target, final)
        finally:
            shutil.rmtree(building, ignore_errors=True)
    return TestEnv(final)


def _build(
    target: Path,
    python: str,
    requirements: list[str],
    editable: list[Path],
    timeout: float,
) -> None:
    uv = uv_binary()
    env = dict(os.environ)
    env.setdefault("UV_PYTHON_DOWNLOADS", "never")
    _uv([uv, "venv", "--quiet", "--relocatable", "--python", python, str(target)], env, timeout)
    install = [uv, "pip", "install", "--quiet", "--python", str(target / "bin" / "python")]
    for project in editable:
        install += ["-e", str(project)]
    install += requirements
    if requirements or editable:
        _uv(install, env, timeout)


def _uv(args: list[str], env: Mapping[str, str], timeout: float) -> None:
    try:
        done = subprocess.run(
            args, env=dict(env), capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise EnvironmentBuildError(f"{' '.join(args)} took longer than {timeout:.0f}s") from exc
    if done.returncode != 0:
        raise EnvironmentBuildError(
            f"{' '.join(args)} failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}"
        )
