"""The test kit's cached ``uv`` environments: built once, atomically, keyed by content."""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from pathlib import Path

import pytest

from linea_core.testing import cache_root, cached_env, find_python
from linea_core.testing.envs import CACHE_ENV, EnvironmentBuildError, environment_key

LOCAL_PROJECT = """
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "linea-envtest-local"
version = "0.1"

[tool.setuptools]
py-modules = ["envtest_local"]
"""


def _build_in_child(cache: str, project: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    os.environ[CACHE_ENV] = cache
    queue.put(str(cached_env("racing", [], editable=[project]).path))


@pytest.mark.slow
def test_environment_is_built_once_cached_and_relocated_atomically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    assert cache_root() == tmp_path / "cache"
    project = tmp_path / "local"
    project.mkdir()
    (project / "pyproject.toml").write_text(LOCAL_PROJECT)
    (project / "envtest_local.py").write_text("ANSWER = 42\n")

    env = cached_env("envtest", [], editable=[project])
    assert env.path.parent == tmp_path / "cache" and env.path.name.startswith("envtest-")
    # Renamed into place after being built elsewhere: scripts and imports still work.
    done = env.run(
        [env.python, "-c", "import envtest_local, sys; print(envtest_local.ANSWER, sys.prefix)"]
    )
    answer, prefix = done.stdout.split()
    assert answer == "42" and Path(prefix) == env.path
    assert (env.path / ".linea-env-complete").exists()
    assert json.loads((env.path / ".linea-env-complete").read_text())["requirements"] == []
    leftovers = [p.name for p in (tmp_path / "cache").iterdir() if p.name.startswith(".building")]
    assert leftovers == []

    # A second request is the cached environment, not a new build.
    marker = env.path / "marker"
    marker.write_text("x")
    assert cached_env("envtest", [], editable=[project]).path == env.path
    assert marker.exists()

    # Changing what it is made of (the local project's pyproject) is another environment.
    (project / "pyproject.toml").write_text(LOCAL_PROJECT.replace("0.1", "0.2"))
    other = cached_env("envtest", [], editable=[project])
    assert other.path != env.path


@pytest.mark.slow
def test_concurrent_requests_build_one_environment(tmp_path: Path) -> None:
    project = tmp_path / "local"
    project.mkdir()
    (project / "pyproject.toml").write_text(LOCAL_PROJECT)
    (project / "envtest_local.py").write_text("ANSWER = 1\n")
    cache = str(tmp_path / "cache")
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [
        context.Process(target=_build_in_child, args=(cache, str(project), queue)) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    paths = {queue.get(timeout=600) for _ in workers}
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert len(paths) == 1
    built = [p for p in Path(cache).iterdir() if p.name.startswith("racing-")]
    assert len(built) == 1


def test_the_key_is_the_content() -> None:
    base = environment_key("airflow", ["b==1", "a==2"], "3.11.7")
    assert base == environment_key("airflow", ["a==2", "b==1"], "3.11.7")
    assert base != environment_key("airflow", ["a==2", "b==2"], "3.11.7")
    assert base != environment_key("airflow", ["a==2", "b==1"], "3.12.1")


def test_interpreters_are_found_not_downloaded() -> None:
    assert find_python(None) == sys.executable
    assert find_python(f"{sys.version_info.major}.{sys.version_info.minor}") == sys.executable
    with pytest.raises(EnvironmentBuildError, match="no Python 2.1 found"):
        find_python("2.1")


def test_a_failing_build_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "pyproject.toml").write_text("[project\nname = ")  # not TOML
    with pytest.raises(EnvironmentBuildError, match="failed"):
        cached_env("broken", [], editable=[broken])
    assert [p.name for p in (tmp_path / "cache").iterdir() if not p.name.endswith(".lock")] == []
