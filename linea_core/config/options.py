"""The validated configuration model, its resolution, and the public ``options`` object.

Resolution order, highest first (as in LineaPy): command-line option, environment
variable ``LINEA_<NAME>``, ``linea_config.json`` in the home directory, default.

The configuration file is looked for only in the home directory (itself taken from the
command line, ``LINEA_HOME_DIR`` or ``~/.linea``), never in the current directory: a
file in whatever folder a notebook happens to start in silently redirecting the
artifact store would be a trap. A ``home_dir`` written inside the file still moves the
derived defaults (artifact folder, database, ...) but no second file is read from the
new home.

Items derived from the home directory (``artifact_storage_dir``, ``database_url``,
``customized_annotation_folder``, ``logging_file``) follow it whenever they were not
set explicitly, including after ``options.set("home_dir", ...)``.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import warnings
from collections.abc import Mapping
from copy import deepcopy
from pathlib import Path
from typing import Any

from linea_core.config.items import (
    CONFIG_FILE_NAME,
    CONFIG_ITEMS,
    DEFAULT_HOME_DIR,
    ITEMS_BY_NAME,
    LOGGING_LEVELS,
)
from linea_core.errors import LineaError
from linea_core.support.secrets import mask_option
from linea_core.support.user_warnings import user_stacklevel

_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


class ConfigError(LineaError, ValueError):
    """A configuration value, key or file is invalid; the message says which and where."""


class ConfigWarning(UserWarning):
    """Something in the configuration was ignored (unknown key, unsupported variable)."""


def _derived_defaults(home: Path) -> dict[str, Any]:
    return {
        "artifact_storage_dir": str(home / "linea_pickles"),
        "database_url": f"sqlite:///{home / 'db.sqlite'}",
        "customized_annotation_folder": home / "customized_annotations",
        "logging_file": home / "linea.log",
    }


# Items whose default follows home_dir (and keeps following it unless set explicitly).
DERIVED_ITEMS = frozenset(_derived_defaults(Path("/")))


def _local_path(value: Any) -> Path:
    """Absolute, user-expanded path: a relative path must not change meaning with the cwd."""
    return Path(os.fspath(value)).expanduser().resolve()


def _unknown_key_message(key: str) -> str:
    valid = ", ".join(item.name for item in CONFIG_ITEMS)
    close = difflib.get_close_matches(key, list(ITEMS_BY_NAME), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return f"Unknown linea option {key!r}.{hint} Valid options: {valid}."


class _Invalid(ValueError):
    """One item's value is unusable; the message says why (without the item's name)."""


def _path_item(value: Any) -> Path:
    if isinstance(value, (str, os.PathLike)) and os.fspath(value):
        return _local_path(value)
    raise _Invalid("must be a path")


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"must be a string, not {type(value).__name__}")
    return value


def _storage_location(value: Any) -> str:
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    text = _string(value)
    if not text.strip():
        raise _Invalid("must not be empty")
    if not _URL_SCHEME.match(text):  # a local path, not an fsspec URL
        return str(_local_path(text))
    return text


def _database_url(value: Any) -> str:
    url = _string(value).strip()
    if not _URL_SCHEME.match(url):
        raise _Invalid(
            "must be a database URL such as sqlite:////path/to/db.sqlite or "
            "postgresql://user@host:5432/dbname"
        )
    return url


def _logging_level(value: Any) -> str:
    level = _string(value).strip().upper()
    if level not in LOGGING_LEVELS:
        raise _Invalid("must be one of " + ", ".join(LOGGING_LEVELS))
    return level


def _storage_options(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise _Invalid(f"must be a JSON object of fsspec options, not {type(value).__name__}")
    bad = [key for key in value if not isinstance(key, str)]
    if bad:
        raise _Invalid(f"keys must be strings (got {bad[0]!r})")
    return deepcopy(dict(value))


def _optional_uri(value: Any) -> str | None:
    if value is None:
        return None
    value = _string(value)
    return value if value.strip() else None


def _non_empty(value: Any) -> str:
    text = _string(value).strip()
    if not text:
        raise _Invalid("must not be empty")
    return text


# item -> (validator, default when not derived from home_dir and not given)
_VALIDATORS: dict[str, Any] = {
    "home_dir": _path_item,
    "artifact_storage_dir": _storage_location,
    "database_url": _database_url,
    "customized_annotation_folder": _path_item,
    "logging_level": _logging_level,
    "logging_file": _path_item,
    "storage_options": _storage_options,
    "mlflow_tracking_uri": _optional_uri,
    "mlflow_registry_uri": _optional_uri,
    "default_ml_models_storage_backend": _non_empty,
}
_DEFAULTS: dict[str, Any] = {
    "logging_level": "INFO",
    "storage_options": None,
    "mlflow_tracking_uri": None,
    "mlflow_registry_uri": None,
    "default_ml_models_storage_backend": "mlflow",
}
FIELDS: tuple[str, ...] = tuple(item.name for item in CONFIG_ITEMS)
"""The items an :class:`Options` holds, in the documented order."""


class Options:
    """One fully resolved configuration. Immutable: changing a value makes a new one.

    Immutability is what lets the context notice that the database or storage folder
    changed and reopen the store, instead of code holding a stale engine. Validation
    is plain Python: options are resolved by every ``linea`` run and every traced
    script, and a validation library would cost more to import than the run itself.
    """

    __slots__ = (*FIELDS, "_explicit", "_config_file")

    home_dir: Path
    artifact_storage_dir: str
    database_url: str
    customized_annotation_folder: Path
    logging_level: str
    logging_file: Path
    storage_options: dict[str, Any] | None
    mlflow_tracking_uri: str | None
    mlflow_registry_uri: str | None
    default_ml_models_storage_backend: str
    _explicit: frozenset[str]
    _config_file: Path | None

    def __init__(self, **values: Any) -> None:
        """Validate every item (raises :class:`ConfigError` listing every bad one)."""
        unknown = [key for key in values if key not in _VALIDATORS]
        if unknown:
            raise ConfigError(_unknown_key_message(unknown[0]))
        validated, problems = _validate(values)
        if problems:
            raise ConfigError(_describe(problems, values, {}))
        for name in FIELDS:
            object.__setattr__(self, name, validated[name])
        object.__setattr__(self, "_explicit", frozenset())
        object.__setattr__(self, "_config_file", None)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"linea Options are immutable; use options.set({name!r}, ...)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("linea Options are immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Options):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in FIELDS)

    __hash__ = None  # type: ignore[assignment]  # storage_options is a dict

    def __repr__(self) -> str:
        # Secrets masked (see linea_core.support.secrets); get() gives the real values.
        shown = (f"{n}={mask_option(getattr(self, n))!r}" for n in FIELDS)
        return "Options(" + ", ".join(shown) + ")"

    @classmethod
    def build(
        cls, values: Mapping[str, Any], *, sources: Mapping[str, str] | None = None
    ) -> Options:
        """Validate explicit ``values`` and fill every other item with its default.

        ``sources`` says where each value came from, so an error can point at the
        environment variable or file line the user has to fix.
        """
        sources = sources or {}
        for key in values:
            if key not in ITEMS_BY_NAME:
                raise ConfigError(_unknown_key_message(key) + _origin(key, sources))
        home_value = values.get("home_dir")
        if home_value is None:
            home_value = DEFAULT_HOME_DIR
        try:
            home = _local_path(home_value)
        except TypeError:
            raise ConfigError(
                f"Invalid linea option home_dir = {home_value!r}{_origin('home_dir', sources)}: "
                "must be a path"
            ) from None
        data: dict[str, Any] = {"home_dir": home}
        for key, default in _derived_defaults(home).items():
            data[key] = default
        for key, value in values.items():
            if key == "home_dir" or (key in DERIVED_ITEMS and value is None):
                continue
            data[key] = value
        validated, problems = _validate(data)
        if problems:
            raise ConfigError(_describe(problems, data, sources))
        options = cls.__new__(cls)
        for name in FIELDS:
            object.__setattr__(options, name, validated[name])
        # None for a derived item (or home_dir) means "back to the default", not a value.
        object.__setattr__(
            options,
            "_explicit",
            frozenset(
                key
                for key, value in values.items()
                if not (value is None and (key in DERIVED_ITEMS or key == "home_dir"))
            ),
        )
        object.__setattr__(options, "_config_file", None)
        return options

    def with_value(self, key: str, value: Any) -> Options:
        """A copy with ``key`` set explicitly; derived items re-follow a new home_dir."""
        if key not in ITEMS_BY_NAME:
            raise ConfigError(_unknown_key_message(key))
        explicit = {name: getattr(self, name) for name in self._explicit}
        explicit[key] = value
        options = Options.build(explicit, sources={key: "options.set"})
        object.__setattr__(options, "_config_file", self._config_file)
        return options

    def get(self, key: str) -> Any:
        if key not in ITEMS_BY_NAME:
            raise ConfigError(_unknown_key_message(key))
        return deepcopy(getattr(self, key))

    @property
    def config_file(self) -> Path:
        """The linea_config.json these options were resolved with (``linea init`` target).

        Not always ``home_dir / linea_config.json``: a ``home_dir`` written inside the
        file moves the home folder but not the file that said so.
        """
        return self._config_file or config_file_path(self.home_dir)

    @property
    def explicit(self) -> frozenset[str]:
        """Names of the items that were set explicitly rather than defaulted."""
        return self._explicit

    def to_json_dict(self) -> dict[str, Any]:
        """All items as JSON-ready values (paths as strings), in the documented order."""
        return {name: _json_ready(getattr(self, name)) for name in FIELDS}


def _origin(key: str, sources: Mapping[str, str]) -> str:
    source = sources.get(key)
    return f" (from {source})" if source else ""


def _validate(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Every item validated (defaults filled in), and what is wrong with which item."""
    validated: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name in FIELDS:
        if name in data:
            raw = data[name]
        elif name in _DEFAULTS:
            raw = _DEFAULTS[name]
        else:
            problems[name] = "is required"
            continue
        try:
            validated[name] = _VALIDATORS[name](raw)
        except _Invalid as exc:
            problems[name] = str(exc)
    return validated, problems


def _json_ready(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return deepcopy(value)
    return value


def _describe(
    problems: Mapping[str, str], data: Mapping[str, Any], sources: Mapping[str, str]
) -> str:
    lines = ["Invalid linea configuration:"]
    for key, message in problems.items():
        shown = mask_option(data.get(key))
        lines.append(f"  {key} = {shown!r}{_origin(key, sources)}: {message}")
    return "\n".join(lines)


def load_config_file(path: Path) -> dict[str, Any]:
    """Read ``linea_config.json``; unknown keys are warned about and dropped.

    Dropping (not failing on) unknown keys keeps a file written by a newer linea, or
    one carrying LineaPy's ``do_not_track``, usable; the warning makes it visible.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"Cannot read linea configuration file {path}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"Linea configuration file {path} is not UTF-8 text (byte "
            f"{exc.object[exc.start]:#04x} at position {exc.start}). Save it as UTF-8, or "
            "delete it and run `linea init`."
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"Linea configuration file {path} is not valid JSON: {exc.msg} at line "
            f"{exc.lineno} column {exc.colno}. Fix it, or delete it and run `linea init`."
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(
            f"Linea configuration file {path} must hold a JSON object "
            f'({{"name": value, ...}}), not {type(data).__name__}.'
        )
    values = {}
    for key, value in data.items():
        if key in ITEMS_BY_NAME:
            values[key] = value
        else:
            warnings.warn(
                f"{path}: ignoring unknown configuration item {key!r}. "
                + _unknown_key_message(key).split(". ", 1)[1],
                ConfigWarning,
                stacklevel=user_stacklevel(),
            )
    return values


def config_file_path(home_dir: str | os.PathLike[str]) -> Path:
    return _local_path(home_dir) / CONFIG_FILE_NAME


def resolve_options(
    cli: Mapping[str, Any] | None = None, *, environ: Mapping[str, str] | None = None
) -> Options:
    """Resolve every item: CLI option > ``LINEA_<NAME>`` > linea_config.json > default.

    ``cli`` maps item names to values; ``None`` values mean "not given" (what click
    passes for an option the user left out). An empty environment variable counts as
    unset, so ``LINEA_X=`` can switch a variable off without ``unset``.
    """
    environ = os.environ if environ is None else environ
    given = {key: value for key, value in (cli or {}).items() if value is not None}
    for key in given:
        if key not in ITEMS_BY_NAME or not ITEMS_BY_NAME[key].from_env_and_cli:
            raise ConfigError(_unknown_key_message(key) + " (given as a command-line option)")

    env_values: dict[str, Any] = {}
    for item in CONFIG_ITEMS:
        if item.env_var is not None and environ.get(item.env_var, "") != "":
            env_values[item.name] = environ[item.env_var]
    if environ.get("LINEA_STORAGE_OPTIONS"):
        warnings.warn(
            "LINEA_STORAGE_OPTIONS is ignored: set storage_options in linea_config.json "
            "or with linea_core.options.set('storage_options', {...}).",
            ConfigWarning,
            stacklevel=user_stacklevel(),
        )

    home = given.get("home_dir") or env_values.get("home_dir") or DEFAULT_HOME_DIR
    file_path = config_file_path(home)
    file_values = load_config_file(file_path) if file_path.is_file() else {}

    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key, value in file_values.items():
        merged[key], sources[key] = value, f"configuration file {file_path}"
    for key, value in env_values.items():
        merged[key], sources[key] = value, f"environment variable {ITEMS_BY_NAME[key].env_var}"
    for key, value in given.items():
        merged[key], sources[key] = value, f"command-line option {ITEMS_BY_NAME[key].cli_flag}"
    options = Options.build(merged, sources=sources)
    object.__setattr__(options, "_config_file", file_path)
    return options
