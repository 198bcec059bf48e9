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
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError, field_validator

from linea_core.config.items import (
    CONFIG_FILE_NAME,
    CONFIG_ITEMS,
    DEFAULT_HOME_DIR,
    ITEMS_BY_NAME,
    LOGGING_LEVELS,
)
from linea_core.errors import LineaError

if TYPE_CHECKING:
    from linea_core.context import LineaContext

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


class Options(BaseModel):
    """One fully resolved configuration. Immutable: changing a value makes a new one.

    Immutability is what lets the context notice that the database or storage folder
    changed and reopen the store, instead of code holding a stale engine.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    home_dir: Path
    artifact_storage_dir: str
    database_url: str
    customized_annotation_folder: Path
    logging_level: str = "INFO"
    logging_file: Path
    storage_options: dict[str, Any] | None = None
    mlflow_tracking_uri: str | None = None
    mlflow_registry_uri: str | None = None
    default_ml_models_storage_backend: str = "mlflow"

    # Names of the items given explicitly (not derived or defaulted): a new home_dir
    # moves only the others.
    _explicit: frozenset[str] = PrivateAttr(default=frozenset())
    # The configuration file resolution looked at (whether or not it existed).
    _config_file: Path | None = PrivateAttr(default=None)

    @field_validator("home_dir", "customized_annotation_folder", "logging_file", mode="before")
    @classmethod
    def _absolute_path(cls, value: Any) -> Any:
        if isinstance(value, (str, os.PathLike)) and os.fspath(value):
            return _local_path(value)
        return value

    @field_validator("artifact_storage_dir", mode="before")
    @classmethod
    def _storage_location(cls, value: Any) -> Any:
        if isinstance(value, os.PathLike):
            value = os.fspath(value)
        if isinstance(value, str):
            if not value.strip():
                raise ValueError("must not be empty")
            if not _URL_SCHEME.match(value):  # a local path, not an fsspec URL
                return str(_local_path(value))
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        value = value.strip()
        if not _URL_SCHEME.match(value):
            raise ValueError(
                "must be a database URL such as sqlite:////path/to/db.sqlite or "
                "postgresql://user@host:5432/dbname"
            )
        return value

    @field_validator("logging_level", mode="before")
    @classmethod
    def _logging_level(cls, value: Any) -> Any:
        if isinstance(value, str):
            level = value.strip().upper()
            if level not in LOGGING_LEVELS:
                raise ValueError("must be one of " + ", ".join(LOGGING_LEVELS))
            return level
        return value

    @field_validator("mlflow_tracking_uri", "mlflow_registry_uri", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("default_ml_models_storage_backend")
    @classmethod
    def _non_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

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
        try:
            options = cls.model_validate(data)
        except ValidationError as exc:
            raise ConfigError(_describe(exc, data, sources)) from None
        # None for a derived item (or home_dir) means "back to the default", not a value.
        options._explicit = frozenset(
            key
            for key, value in values.items()
            if not (value is None and (key in DERIVED_ITEMS or key == "home_dir"))
        )
        return options

    def with_value(self, key: str, value: Any) -> Options:
        """A copy with ``key`` set explicitly; derived items re-follow a new home_dir."""
        if key not in ITEMS_BY_NAME:
            raise ConfigError(_unknown_key_message(key))
        explicit = {name: getattr(self, name) for name in self._explicit}
        explicit[key] = value
        options = Options.build(explicit, sources={key: "options.set"})
        options._config_file = self._config_file
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
        dumped = self.model_dump(mode="json")
        return {item.name: dumped[item.name] for item in CONFIG_ITEMS}


def _origin(key: str, sources: Mapping[str, str]) -> str:
    source = sources.get(key)
    return f" (from {source})" if source else ""


def _describe(exc: ValidationError, data: Mapping[str, Any], sources: Mapping[str, str]) -> str:
    lines = ["Invalid linea configuration:"]
    for error in exc.errors():
        key = str(error["loc"][0]) if error["loc"] else "?"
        message = error["msg"].removeprefix("Value error, ")
        shown = data.get(key, error.get("input"))
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
                stacklevel=2,
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
            stacklevel=2,
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
    options._config_file = file_path
    return options


def _current() -> LineaContext:
    # Imported here: the context layer sits above config and imports this module.
    from linea_core.context import current_context

    return current_context()


class LineaOptions:
    """The public ``linea_core.options``: a view of the *current context's* options.

    It holds no state of its own, so two contexts (two sessions, two threads) each see
    and change only their own configuration.
    """

    __slots__ = ()

    def get(self, key: str) -> Any:
        """The current value of configuration item ``key``."""
        return _current().options.get(key)

    def set(self, key: str, value: Any) -> None:
        """Change ``key`` for the current context (not saved; ``linea init`` saves).

        Changing ``database_url``, ``artifact_storage_dir`` or ``storage_options``
        makes the next store access reopen the store at the new location; artifacts
        saved before stay where they were written.
        """
        _current().set_option(key, value)

    def as_dict(self) -> dict[str, Any]:
        return _current().options.to_json_dict()

    def __getattr__(self, name: str) -> Any:
        if name in ITEMS_BY_NAME:
            return self.get(name)
        raise AttributeError(name)

    def __dir__(self) -> list[str]:
        return sorted({*object.__dir__(self), *ITEMS_BY_NAME})

    def __repr__(self) -> str:
        values = _current().options.to_json_dict()
        width = max(map(len, values))
        lines = [f"  {key:<{width}} = {value!r}" for key, value in values.items()]
        return "linea options (current context):\n" + "\n".join(lines)


options = LineaOptions()
