"""Which serializer a value gets, and that its artifact loads in another process."""

from __future__ import annotations

import datetime
import fractions
import subprocess
import sys
import types
from pathlib import Path

import pytest

from linea_core.plugins.host import PluginHost
from linea_core.store.repository import Store

SCRIPT_CODE = """
class Account:
    def __init__(self, owner, balance):
        self.owner = owner
        self.balance = balance

def interest(account):
    return account.balance * 0.05

alice = Account("alice", 100)
"""

LOAD_ELSEWHERE = r"""
import sys
from linea_core.builtins import serializers, storage
from linea_core.plugins.host import PluginHost
from linea_core.store.repository import Store

host = PluginHost.from_modules(serializers, storage)
store = Store.open(sys.argv[1], artifact_storage_dir=sys.argv[2],
                   serializers=host.serializers(), backends=host.storage_backends())
account = store.load_value(store.get_artifact("alice"))
rate = store.load_value(store.get_artifact("interest"))
print(account.owner, account.balance, rate(account))
"""


def _script_namespace(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Run code the way a traced script runs: as the module ``__main__``."""
    module = types.ModuleType("__main__")
    monkeypatch.setitem(sys.modules, "__main__", module)
    exec(compile(SCRIPT_CODE, "script.py", "exec"), module.__dict__)
    return module.__dict__


def test_script_defined_classes_and_functions_load_in_another_process(
    monkeypatch: pytest.MonkeyPatch,
    plugins: PluginHost,
    sqlite_url: str,
    storage_dir: Path,
) -> None:
    namespace = _script_namespace(monkeypatch)
    store = Store.open(
        sqlite_url,
        artifact_storage_dir=str(storage_dir),
        serializers=plugins.serializers(),
        backends=plugins.storage_backends(),
    )
    try:
        # Plain pickle would succeed here (the class is on __main__ right now) and
        # store a reference no other process can resolve.
        account = store.save_artifact("alice", namespace["alice"])
        function = store.save_artifact("interest", namespace["interest"])
    finally:
        store.close()
    assert account.value is not None and account.value.serializer == "cloudpickle"
    assert function.value is not None and function.value.serializer == "cloudpickle"
    monkeypatch.undo()
    out = subprocess.run(
        [sys.executable, "-c", LOAD_ELSEWHERE, sqlite_url, str(storage_dir)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split() == ["alice", "100", "5.0"]


@pytest.mark.parametrize(
    "value",
    [
        {"rows": [1, 2.5, "x", None, (True, b"\x00")]},
        fractions.Fraction(3, 7),
        datetime.date(2024, 2, 29),
        Path("/data/file.csv"),
    ],
    ids=["builtins", "fraction", "date", "path"],
)
def test_importable_values_keep_plain_pickle(store: Store, value: object) -> None:
    record = store.save_artifact("plain", value)
    assert record.value is not None and record.value.serializer == "pickle"
    assert store.load_value(record) == value
