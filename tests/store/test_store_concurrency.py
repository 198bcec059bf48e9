"""Many processes saving to one name get distinct, consecutive versions (SQLite and PostgreSQL).

The processes start together on a database that does not exist yet, so the same run
also proves that concurrent first opens (schema creation) serialize correctly.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from store_helpers import linea_env, spawn, temporary_files

from linea_core.plugins.host import PluginHost
from linea_core.store.repository import Store

PROCESSES = 8
SAVES_EACH = 50

SAVER = r"""
import json, os, sys, time
import linea_core as linea

proc, count, go = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
from linea_core.context import current_context
current_context().plugins.serializers()  # load plugins before the start signal
while not os.path.exists(go):
    time.sleep(0.002)
saved = []
for i in range(count):
    # Every tenth save writes the same bytes from every process: concurrent dedup.
    value = "shared" if i % 10 == 0 else {"proc": proc, "i": i}
    artifact = linea.save(value, "contended")
    saved.append([artifact.version, value])
print(json.dumps(saved))
"""


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_concurrent_saves_get_consecutive_distinct_versions(
    database: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    plugins: PluginHost,
) -> None:
    home = tmp_path / "shared_home"
    if database == "sqlite":
        url = f"sqlite:///{home / 'db.sqlite'}"
        assert not (home / "db.sqlite").exists()
    else:
        url = request.getfixturevalue("pg_url")
    go = tmp_path / "go"
    children = [
        spawn(SAVER, linea_env(home, url), str(k), str(SAVES_EACH), str(go))
        for k in range(PROCESSES)
    ]
    go.touch()
    expected: dict[int, object] = {}
    seen: Counter[int] = Counter()
    for child in children:
        out, err = child.communicate(timeout=240)
        assert child.returncode == 0, err
        for version, value in json.loads(out):
            seen[version] += 1
            expected[version] = value
    assert sorted(seen) == list(range(PROCESSES * SAVES_EACH))
    assert set(seen.values()) == {1}, "a version was handed out twice"

    storage = home / "linea_pickles"
    store = Store.open(
        url,
        artifact_storage_dir=str(storage),
        serializers=plugins.serializers(),
        backends=plugins.storage_backends(),
    )
    try:
        records = store.list_artifacts("contended")
        assert [r.version for r in records] == list(range(PROCESSES * SAVES_EACH))
        for record in records:
            assert store.load_value(record) == expected[record.version]
        shared = {r.value.id for r in records if expected[r.version] == "shared"}  # type: ignore[union-attr]
        assert len(shared) == 1, "identical bytes were stored more than once"
    finally:
        store.close()
    assert temporary_files(storage) == []


UPGRADER = r"""
import os, sys, time
from linea_core.store import migrate
from linea_core.store.database import Database, parse_database_url

database = Database(parse_database_url(sys.argv[1]))
while not os.path.exists(sys.argv[2]):
    time.sleep(0.002)
migrate._upgrade(database)  # the alembic path an older database takes
with database.read() as connection:
    print(migrate.current_revision(connection))
"""


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_concurrent_alembic_upgrades_serialize(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from linea_core.store.migrate import HEAD_REVISION

    if database == "sqlite":
        url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    else:
        url = request.getfixturevalue("pg_url")
    go = tmp_path / "go"
    children = [spawn(UPGRADER, linea_env(tmp_path, url), url, str(go)) for _ in range(4)]
    go.touch()
    for child in children:
        out, err = child.communicate(timeout=240)
        assert child.returncode == 0, err
        assert out.strip() == HEAD_REVISION
