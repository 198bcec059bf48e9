"""The README's configuration table, tour and plugin example match what linea does."""

from __future__ import annotations

import io
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from linea_core.config.items import ConfigItem
from linea_core.config.options import ITEMS, resolve_options
from linea_core.context import LineaContext, use_context
from linea_core.plugins.host import PluginHost

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


def table_rows() -> dict[str, list[str]]:
    rows = {}
    for line in README.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = cells
    return rows


def expected_row(item: ConfigItem[Any]) -> str:
    """The README's row for ``item``, every column from the table in config/options.py."""
    cells = [
        f"`{item.name}`",
        f"`{item.env_var}`" if item.env_var else "–",
        f"`{item.cli_flag}`" if item.cli_flag else "–",
        f"`{item.documented_default}`" if item.default is not None else "none",
        item.help,
    ]
    return "| " + " | ".join(cells) + " |"


def test_configuration_table_is_the_items_table() -> None:
    assert list(table_rows()) == [item.name for item in ITEMS]
    lines = README.splitlines()
    stale = [expected_row(item) for item in ITEMS if expected_row(item) not in lines]
    assert not stale, "README's configuration table is out of date; its rows are:\n" + "\n".join(
        expected_row(item) for item in ITEMS
    )


def test_documented_defaults_are_the_real_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    options = resolve_options(environ={}).to_json_dict()
    home = str(tmp_path / ".linea")
    for name, cells in table_rows().items():
        documented = cells[3].strip("`").replace("~/.linea", home).replace("<home_dir>", home)
        assert str(options[name] if options[name] is not None else "none") == documented, name


def test_tour_runs_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    from linea_core.builtins import serializers, storage

    # The tour's first block; later sections show saves that need S3 or MLflow.
    [tour] = [block for block in python_blocks() if 'lineapy.save({"threshold"' in block]
    context = LineaContext(resolve_options(), plugins=PluginHost.from_modules(serializers, storage))
    before_delete, delete_line = tour.split("lineapy.delete(")
    namespace: dict[str, object] = {}
    with use_context(context):
        exec(compile(before_delete, "README.md", "exec"), namespace)
        assert repr(namespace["artifact"]) == "LineaArtifact(name='settings', _version=0)"
        assert namespace["settings"].get_value() == {  # type: ignore[attr-defined]
            "threshold": 0.7,
            "features": ["petal_length"],
        }
        exec(compile("lineapy.delete(" + delete_line, "README.md", "exec"), namespace)
        import linea_core as lineapy

        assert len(lineapy.artifact_store()) == 0
    context.close()
    out = capsys.readouterr().out
    assert "settings:0 created on " in out
    assert "Deleted Artifact: settings version: 0" in out


def test_plugin_example_works() -> None:
    [source] = [block for block in python_blocks() if "@hookimpl" in block]
    module = ModuleType("linea_text.plugin")
    exec(compile(source, "README.md", "exec"), module.__dict__)
    [serializer] = PluginHost.from_modules(module).serializers()
    assert serializer.priority < 100  # "tried before pickle"
    stream = io.BytesIO()
    serializer.dump("héllo", stream)
    stream.seek(0)
    assert serializer.load(stream) == "héllo"
    assert not serializer.can_serialize(b"bytes")
