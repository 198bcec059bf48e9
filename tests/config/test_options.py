"""Configuration: precedence, derived defaults, validation, and the public ``options`` object."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

import linea_core
from linea_core.config.items import (
    DATABASE_URL,
    LOCATION,
    LOGGING_LEVEL,
    NAME,
    OPTIONAL_URI,
    PATH,
    ConfigItem,
    Kind,
)
from linea_core.config.options import (
    ITEMS,
    ITEMS_BY_NAME,
    ConfigError,
    ConfigWarning,
    Options,
    resolve_options,
)
from linea_core.context import LineaContext, current_context, use_context

# Three valid values (file, environment, command line) per kind of value, distinct so the
# winner is visible; paths are made absolute relative to the test's tmp dir. Keyed by
# kind, not by item: a new item of a known kind is tested without touching this file.
SAMPLES: dict[Kind[Any], tuple[str, str, str]] = {
    PATH: ("p_file", "p_env", "p_cli"),
    LOCATION: ("l_file", "l_env", "l_cli"),
    DATABASE_URL: ("sqlite:////f/db", "sqlite:////e/db", "postgresql://u@h/cli"),
    LOGGING_LEVEL: ("ERROR", "WARNING", "DEBUG"),
    OPTIONAL_URI: ("http://file", "http://env", "http://cli"),
    NAME: ("b_file", "b_env", "b_cli"),
}
SETTABLE = [item.name for item in ITEMS if item.from_env_and_cli]
FOLLOWING_HOME = [item.name for item in ITEMS if item.follows_home]


def _expected(item: ConfigItem[Any], raw: str, base: Path) -> object:
    if item.kind is PATH:
        return (base / raw).resolve()
    if item.kind is LOCATION:
        return str((base / raw).resolve())
    return raw


def test_every_kind_settable_from_env_and_cli_has_samples() -> None:
    assert {ITEMS_BY_NAME[name].kind for name in SETTABLE} <= set(SAMPLES)


def test_the_table_is_the_options_class_body() -> None:
    assert [item.name for item in ITEMS] == list(ITEMS_BY_NAME)
    assert all(getattr(Options, item.name) is item for item in ITEMS)
    assert ITEMS[0] is Options.home_dir  # first: the others' defaults may follow it
    for item in ITEMS:
        assert item.help.endswith(".") and item.kind.metavar
        assert item.env_var == (f"LINEA_{item.name.upper()}" if item.from_env_and_cli else None)


def test_options_are_immutable_and_compare_by_value(tmp_path: Path) -> None:
    options = resolve_options({"home_dir": str(tmp_path)}, environ={})
    with pytest.raises(AttributeError, match="immutable"):
        options.logging_level = "DEBUG"  # type: ignore[misc]
    assert options == resolve_options({"home_dir": str(tmp_path)}, environ={})
    assert options != options.with_value("logging_level", "DEBUG")
    assert "logging_level='INFO'" in repr(options)


@pytest.mark.parametrize(
    ("values", "needle"),
    [
        ({"database_url": 5}, "database_url = 5: must be a string, not int"),
        ({"logging_level": ["INFO"]}, "logging_level = ['INFO']: must be a string"),
        ({"home_dir": 3}, "home_dir = 3: must be a path"),
        ({"artifact_storage_dir": " "}, "artifact_storage_dir = ' ': must not be empty"),
        ({"storage_options": {1: "x"}}, "keys must be strings"),
        ({"mlflow_tracking_uri": 1.5}, "mlflow_tracking_uri = 1.5: must be a string"),
    ],
)
def test_wrong_types_are_named(tmp_path: Path, values: dict, needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        Options.build({"home_dir": str(tmp_path), **values})
    assert needle in str(info.value)


def test_every_bad_item_is_reported_at_once(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        Options.build({"logging_level": "LOUD", "database_url": "nope"})
    assert "logging_level = 'LOUD'" in str(info.value)
    assert "database_url = 'nope'" in str(info.value)


def test_to_json_dict_is_json_ready_and_detached(tmp_path: Path) -> None:
    options = Options.build({"home_dir": str(tmp_path), "storage_options": {"a": {"b": 1}}})
    dumped = options.to_json_dict()
    assert json.loads(json.dumps(dumped)) == dumped
    dumped["storage_options"]["a"]["b"] = 2
    assert options.storage_options == {"a": {"b": 1}}


@pytest.mark.parametrize("key", SETTABLE)
def test_precedence_cli_over_env_over_file_over_default(
    key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # relative sample paths resolve here
    home = tmp_path / "home"
    home.mkdir()
    item = ITEMS_BY_NAME[key]
    file_value, env_value, cli_value = SAMPLES[item.kind]
    env = {"LINEA_HOME_DIR": str(home)}
    if key != "home_dir":  # home_dir in the file is covered by its own test below
        (home / "linea_config.json").write_text(json.dumps({key: file_value}))
    env_with = {**env, ITEMS_BY_NAME[key].env_var: env_value} if key != "home_dir" else env

    if key == "home_dir":
        env_with = {"LINEA_HOME_DIR": env_value}
        assert (
            resolve_options({key: cli_value}, environ=env_with).home_dir
            == (tmp_path / cli_value).resolve()
        )
        assert resolve_options({}, environ=env_with).home_dir == (tmp_path / env_value).resolve()
        return

    cli = {key: cli_value}
    assert getattr(resolve_options(cli, environ=env_with), key) == _expected(
        item, cli_value, tmp_path
    )
    assert getattr(resolve_options({}, environ=env_with), key) == _expected(
        item, env_value, tmp_path
    )
    assert getattr(resolve_options({}, environ=env), key) == _expected(item, file_value, tmp_path)
    (home / "linea_config.json").unlink()
    default = getattr(resolve_options({}, environ=env), key)
    assert default not in {_expected(item, v, tmp_path) for v in SAMPLES[item.kind]}


def test_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    options = resolve_options(environ={})
    home = tmp_path / ".linea"
    assert options.home_dir == home
    assert options.artifact_storage_dir == str(home / "linea_pickles")
    assert options.database_url == f"sqlite:///{home}/db.sqlite"
    assert options.customized_annotation_folder == home / "customized_annotations"
    assert options.logging_level == "INFO"
    assert options.logging_file == home / "linea.log"
    assert options.storage_options is None
    assert options.mlflow_tracking_uri is None
    assert options.mlflow_registry_uri is None
    assert options.default_ml_models_storage_backend == "mlflow"
    assert options.explicit == frozenset()


def test_no_telemetry_option() -> None:
    assert "do_not_track" not in ITEMS_BY_NAME
    assert not any(word in name for name in ITEMS_BY_NAME for word in ("telemetry", "analytics"))


def test_derived_defaults_follow_home_from_cli(tmp_path: Path) -> None:
    options = resolve_options({"home_dir": str(tmp_path / "h")}, environ={})
    for key in FOLLOWING_HOME:
        assert str(tmp_path / "h") in str(getattr(options, key)), key


def test_home_dir_in_file_moves_derived_defaults_but_explicit_values_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    default_home = tmp_path / ".linea"
    default_home.mkdir()
    elsewhere = tmp_path / "elsewhere"
    (default_home / "linea_config.json").write_text(
        json.dumps({"home_dir": str(elsewhere), "logging_file": str(tmp_path / "x.log")})
    )
    options = resolve_options(environ={})
    assert options.home_dir == elsewhere
    assert options.artifact_storage_dir == str(elsewhere / "linea_pickles")
    assert options.database_url == f"sqlite:///{elsewhere}/db.sqlite"
    assert options.logging_file == tmp_path / "x.log"


def test_file_is_not_read_from_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "linea_config.json").write_text(json.dumps({"logging_level": "ERROR"}))
    options = resolve_options(environ={"LINEA_HOME_DIR": str(tmp_path / "home")})
    assert options.logging_level == "INFO"


def test_relative_paths_become_absolute_and_urls_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    options = resolve_options(
        {"home_dir": "rel", "artifact_storage_dir": "s3://bucket/linea"}, environ={}
    )
    assert options.home_dir == tmp_path / "rel"
    assert options.artifact_storage_dir == "s3://bucket/linea"
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_options({"home_dir": "~/lh"}, environ={}).home_dir == tmp_path / "lh"


def test_empty_environment_variable_counts_as_unset(tmp_path: Path) -> None:
    options = resolve_options(environ={"LINEA_HOME_DIR": str(tmp_path), "LINEA_LOGGING_LEVEL": ""})
    assert options.logging_level == "INFO"


def test_logging_level_is_case_insensitive() -> None:
    assert resolve_options({"logging_level": "debug"}).logging_level == "DEBUG"


@pytest.mark.parametrize(
    ("cli", "needle"),
    [
        (
            {"logging_level": "LOUD"},
            "logging_level = 'LOUD' (from command-line option --logging-level)",
        ),
        ({"database_url": "not a url"}, "database_url = 'not a url'"),
        ({"default_ml_models_storage_backend": "  "}, "must not be empty"),
    ],
)
def test_invalid_values_name_the_item_and_its_source(cli: dict, needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        resolve_options(cli)
    assert needle in str(info.value)


def test_invalid_env_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="environment variable LINEA_LOGGING_LEVEL"):
        resolve_options(environ={"LINEA_HOME_DIR": str(tmp_path), "LINEA_LOGGING_LEVEL": "x"})


def test_invalid_file_value_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "linea_config.json").write_text(json.dumps({"storage_options": [1, 2]}))
    with pytest.raises(ConfigError) as info:
        resolve_options(environ={"LINEA_HOME_DIR": str(tmp_path)})
    assert "storage_options" in str(info.value)
    assert str(tmp_path / "linea_config.json") in str(info.value)


def test_broken_json_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "linea_config.json").write_text('{"logging_level": "INFO",\n"x" 1}')
    with pytest.raises(ConfigError) as info:
        resolve_options(environ={"LINEA_HOME_DIR": str(tmp_path)})
    message = str(info.value)
    assert "not valid JSON" in message and "line 2" in message and "linea init" in message


def test_file_must_hold_an_object(tmp_path: Path) -> None:
    (tmp_path / "linea_config.json").write_text("[1]")
    with pytest.raises(ConfigError, match="must hold a JSON object"):
        resolve_options(environ={"LINEA_HOME_DIR": str(tmp_path)})


def test_unknown_file_keys_warn_and_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "linea_config.json").write_text(
        json.dumps({"do_not_track": True, "logging_level": "ERROR"})
    )
    with pytest.warns(ConfigWarning, match="ignoring unknown configuration item 'do_not_track'"):
        options = resolve_options(environ={"LINEA_HOME_DIR": str(tmp_path)})
    assert options.logging_level == "ERROR"


def test_storage_options_come_from_file_only(tmp_path: Path) -> None:
    (tmp_path / "linea_config.json").write_text(json.dumps({"storage_options": {"anon": True}}))
    env = {"LINEA_HOME_DIR": str(tmp_path), "LINEA_STORAGE_OPTIONS": '{"anon": false}'}
    with pytest.warns(ConfigWarning, match="LINEA_STORAGE_OPTIONS is ignored"):
        options = resolve_options(environ=env)
    assert options.storage_options == {"anon": True}
    with pytest.raises(ConfigError, match="command-line option"):
        resolve_options({"storage_options": {"anon": False}})


def test_unknown_cli_key_is_rejected() -> None:
    with pytest.raises(ConfigError, match="Unknown linea option 'home'"):
        resolve_options({"home": "/x"})


# -- the public options object ------------------------------------------------------


def test_options_get_reads_the_current_context(linea_home: Path) -> None:
    assert linea_core.options.get("home_dir") == linea_home
    assert linea_core.options.home_dir == linea_home
    assert linea_core.options.as_dict()["logging_level"] == "INFO"


def test_options_set_validates_key_and_value() -> None:
    with pytest.raises(ConfigError) as info:
        linea_core.options.set("databse_url", "sqlite:////tmp/x")
    message = str(info.value)
    assert "Did you mean 'database_url'" in message
    for item in ITEMS:
        assert item.name in message
    with pytest.raises(ConfigError, match="logging_level"):
        linea_core.options.set("logging_level", "chatty")
    assert linea_core.options.get("logging_level") == "INFO"  # unchanged after a failure
    with pytest.raises(ConfigError, match="Unknown linea option"):
        linea_core.options.get("nope")


def test_options_set_home_dir_moves_only_non_explicit_derived_items(tmp_path: Path) -> None:
    linea_core.options.set("logging_file", str(tmp_path / "mine.log"))
    linea_core.options.set("home_dir", str(tmp_path / "new"))
    assert linea_core.options.artifact_storage_dir == str(tmp_path / "new" / "linea_pickles")
    assert linea_core.options.database_url == f"sqlite:///{tmp_path}/new/db.sqlite"
    assert linea_core.options.logging_file == tmp_path / "mine.log"
    linea_core.options.set("logging_file", None)  # back to following home_dir
    assert linea_core.options.logging_file == tmp_path / "new" / "linea.log"


def test_options_set_none_restores_any_items_default() -> None:
    linea_core.options.set("logging_level", "DEBUG")
    linea_core.options.set("logging_level", None)
    assert linea_core.options.logging_level == "INFO"
    assert "logging_level" not in current_context().options.explicit
    linea_core.options.set("mlflow_tracking_uri", "http://x")
    linea_core.options.set("mlflow_tracking_uri", None)  # its default is None: no value
    assert linea_core.options.mlflow_tracking_uri is None


def test_secret_items_are_masked_when_shown(tmp_path: Path) -> None:
    url = "postgresql://me:hunter2@db.example/linea"
    options = Options.build(
        {"home_dir": str(tmp_path), "database_url": url, "storage_options": {"key": "k1"}}
    )
    assert options.database_url == url  # the value itself is intact
    shown = options.shown()
    assert "hunter2" not in repr(options) and "hunter2" not in str(shown)
    assert "k1" not in repr(options) and shown["storage_options"] == {"key": "***"}
    assert shown["home_dir"] == str(tmp_path)  # not secret: shown as is


def test_options_set_storage_options_accepts_a_mapping_only() -> None:
    linea_core.options.set("storage_options", {"key": "k", "secret": "s"})
    value = linea_core.options.get("storage_options")
    value["key"] = "changed"  # get returns a copy: the context's options stay intact
    assert linea_core.options.get("storage_options") == {"key": "k", "secret": "s"}
    with pytest.raises(ConfigError, match="storage_options"):
        linea_core.options.set("storage_options", "anon=true")


def test_options_repr_lists_every_item(linea_home: Path) -> None:
    text = repr(linea_core.options)
    for item in ITEMS:
        assert item.name in text
    assert str(linea_home) in text
    assert "home_dir" in dir(linea_core.options)


def test_options_have_no_module_level_state(tmp_path: Path) -> None:
    first = LineaContext(resolve_options({"home_dir": str(tmp_path / "a")}))
    second = LineaContext(resolve_options({"home_dir": str(tmp_path / "b")}))
    with use_context(first):
        linea_core.options.set("logging_level", "DEBUG")
        with use_context(second):
            assert linea_core.options.logging_level == "INFO"
            assert linea_core.options.home_dir == tmp_path / "b"
        assert linea_core.options.logging_level == "DEBUG"
    assert second.options.logging_level == "INFO"


def test_current_context_is_created_once_per_context_and_per_thread() -> None:
    main = current_context()
    assert current_context() is main
    seen: list[LineaContext] = []
    thread = threading.Thread(target=lambda: seen.append(current_context()))
    thread.start()
    thread.join()
    assert seen and seen[0] is not main
