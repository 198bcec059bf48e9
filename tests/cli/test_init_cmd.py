"""``linea init`` writes the resolved configuration so later runs use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from linea_core.cli.main import make_cli
from linea_core.config.options import resolve_options
from linea_core.plugins.host import PluginHost


def init(args: list[str], env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(make_cli(PluginHost()), [*args, "init"], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_init_writes_resolved_values_from_options_and_environment(tmp_path: Path) -> None:
    home = tmp_path / "home"
    output = init(
        ["--home-dir", str(home), "--logging-level", "debug"],
        env={"LINEA_MLFLOW_TRACKING_URI": "http://mlflow:5000"},
    )
    path = home / "linea_config.json"
    assert output == f"Wrote linea configuration to {path}\n"
    assert json.loads(path.read_text()) == {
        "home_dir": str(home),
        "logging_level": "DEBUG",
        "mlflow_tracking_uri": "http://mlflow:5000",
        "default_ml_models_storage_backend": "mlflow",
    }


def test_init_writes_derived_items_only_when_set_explicitly(tmp_path: Path) -> None:
    home = tmp_path / "home"
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    init(["--home-dir", str(home), "--database-url", url])
    written = json.loads((home / "linea_config.json").read_text())
    assert written["database_url"] == url
    assert "artifact_storage_dir" not in written and "logging_file" not in written


def test_written_file_is_what_later_runs_resolve(
    linea_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init(["--logging-level", "error", "--mlflow-registry-uri", "http://registry"])
    options = resolve_options()
    assert options.home_dir == linea_home
    assert options.logging_level == "ERROR"
    assert options.mlflow_registry_uri == "http://registry"
    # Derived items were not frozen into the file: they still follow home_dir.
    assert options.artifact_storage_dir == str(linea_home / "linea_pickles")


def test_init_replaces_an_existing_file_keeping_its_values(linea_home: Path) -> None:
    linea_home.mkdir(parents=True)
    (linea_home / "linea_config.json").write_text(
        json.dumps({"storage_options": {"anon": True}, "logging_level": "ERROR"})
    )
    init(["--logging-level", "info"])
    written = json.loads((linea_home / "linea_config.json").read_text())
    assert written["logging_level"] == "INFO"
    assert written["storage_options"] == {"anon": True}
    assert [p.name for p in linea_home.iterdir()] == ["linea_config.json"]  # no temp files


def test_init_rewrites_the_file_it_read_even_when_that_file_moves_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LINEA_HOME_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    default_home = tmp_path / ".linea"
    default_home.mkdir()
    elsewhere = tmp_path / "elsewhere"
    (default_home / "linea_config.json").write_text(json.dumps({"home_dir": str(elsewhere)}))
    init(["--logging-level", "debug"])
    written = json.loads((default_home / "linea_config.json").read_text())
    assert written["home_dir"] == str(elsewhere) and written["logging_level"] == "DEBUG"
    assert not elsewhere.exists()
