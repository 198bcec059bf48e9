"""A save killed with SIGKILL leaves a consistent store.

Two moments are covered: between the value write and the database commit (through
the documented ``LINEA_TEST_PAUSE_BEFORE_COMMIT`` seam), and in the middle of writing
a large value file.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from store_helpers import linea_env, spawn, stored_files, temporary_files

from linea_core.plugins.host import PluginHost
from linea_core.store.repository import Store
from linea_core.store.test_seams import PAUSE_BEFORE_COMMIT_ENV

PAUSED_SAVE = r"""
import os, sys
import linea_core as linea

linea.save("committed value", "a")
os.environ[sys.argv[1]] = sys.argv[2]
linea.save("never committed", "a")
raise SystemExit("the save should have paused before committing")
"""

LARGE_SAVE = r"""
import sys
import linea_core as linea

linea.save("small and complete", "small")
print("ready", flush=True)
linea.save(bytes(int(sys.argv[1])), "large")
"""


def _wait_for(condition: Callable[[], bool], child: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        if child.poll() is not None:
            _, err = child.communicate()
            pytest.fail(f"child exited before {what}: {err}")
        if time.monotonic() > deadline:
            child.kill()
            child.communicate()
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.0005)


def _assert_consistent(store: Store, storage: Path) -> None:
    """Every row's value loads (size and hash checked); every file under a final name is
    a complete pickle."""
    for record in store.list_artifacts():
        store.load_value(record)
    for path in stored_files(storage):
        pickle.loads(path.read_bytes())  # a partial pickle raises


def _open(url: str, storage: Path, plugins: PluginHost) -> Store:
    return Store.open(
        url,
        artifact_storage_dir=str(storage),
        serializers=plugins.serializers(),
        backends=plugins.storage_backends(),
    )


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_kill_between_value_write_and_commit(
    database: str, tmp_path: Path, request: pytest.FixtureRequest, plugins: PluginHost
) -> None:
    home = tmp_path / "home"
    url = (
        f"sqlite:///{home / 'db.sqlite'}"
        if database == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    marker = tmp_path / "paused"
    child = spawn(PAUSED_SAVE, linea_env(home, url), PAUSE_BEFORE_COMMIT_ENV, str(marker))
    _wait_for(marker.exists, child, "the save paused before its commit")
    os.kill(child.pid, signal.SIGKILL)
    child.communicate()  # reaps the child and closes its pipes

    storage = home / "linea_pickles"
    store = _open(url, storage, plugins)
    try:
        records = store.list_artifacts()
        assert [(r.name, r.version) for r in records] == [("a", 0)]
        assert store.load_value(records[0]) == "committed value"
        # The killed save's value file was written but is referenced by no row.
        assert len(stored_files(storage)) == 2
        _assert_consistent(store, storage)
        # Its version number was never committed, so it is not skipped either,
        # and the killed writer's lock did not outlive it.
        assert store.save_artifact("a", "after the crash").version == 1
        assert store.load_value(store.get_artifact("a")) == "after the crash"
    finally:
        store.close()


@pytest.mark.slow
def test_kill_while_writing_a_large_value(tmp_path: Path, plugins: PluginHost) -> None:
    home = tmp_path / "home"
    url = f"sqlite:///{home / 'db.sqlite'}"
    storage = home / "linea_pickles"
    child = spawn(LARGE_SAVE, linea_env(home, url), str(256 * 2**20))
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    _wait_for(lambda: bool(temporary_files(storage)), child, "the value write started")
    os.kill(child.pid, signal.SIGKILL)
    child.communicate()  # reaps the child and closes its pipes

    store = _open(url, storage, plugins)
    try:
        assert [r.name for r in store.list_artifacts()] == ["small"]
        _assert_consistent(store, storage)
        # Whatever was half written sits under a hidden temporary name only.
        assert all(p.name.startswith(".tmp-") for p in temporary_files(storage))
        assert store.save_artifact("large", b"retry").version == 0
    finally:
        store.close()
