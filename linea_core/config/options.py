"""The configuration table (:class:`Options`' body), resolved and checked values.

Resolution order, highest first (as in LineaPy): command-line option, environment
variable ``LINEA_<NAME>``, ``linea_config.json`` in the home directory, default.

The configuration file is looked for only in the home directory (itself taken from the
command line, ``LINEA_HOME_DIR`` or ``~/.linea``), never in the current directory: a
file in whatever folder a notebook happens to start in silently redirecting the
artifact store would be a trap. A ``home_dir`` written inside the file still moves the
derived defaults (artifact folder, database, ...) but no second file is read from the
new home.

Items whose default follows ``home_dir`` (:class:`~.items.FromHome`) keep following it
whenever they were not set explicitly, including after ``options.set("home_dir", ...)``.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Mapping
from copy import deepcopy
from pathlib import Path
from types import MappingProxyType
from typing import Any

from linea_core.config.items import (
    CONFIG_FILE_NAME,
    DATABASE_URL,
    DEFAULT_HOME_DIR,
    ENV_PREFIX,
    LOCATION,
    LOGGING_LEVEL,
    LOGGING_LEVELS,
    MAPPING,
    NAME,
    OPTIONAL_URI,
    PATH,
    ConfigItem,
    FromHome,
    InvalidValue,
    local_path,
)
from linea_core.errors import LineaError, LineaWarning
from linea_core.support.user_warnings import user_stacklevel


class ConfigError(LineaError, ValueError):
    """A configuration value, key or file is invalid; the message says which and where."""


class ConfigWarning(LineaWarning):
    """Something in the configuration was ignored (unknown key, unsupported variable)."""


class Options:
    """One fully resolved configuration. Immutable: changing a value makes a new one.

    The class body is THE table of configuration items: adding an item is adding one
    line here (and a row to the README's table, which a test compares with this one).
    Immutability is what lets the context notice that the database or storage folder
    changed and reopen the store, instead of code holding a stale engine. Validation
    is plain Python: options are resolved by every ``linea`` run and every traced
    script, and a validation library would cost more to import than the run itself.
    """

    __slots__ = ("_values", "_explicit", "_config_file")

    home_dir = ConfigItem(PATH, default=DEFAULT_HOME_DIR, help="Linea's base folder.")
    artifact_storage_dir = ConfigItem(
        LOCATION,
        default=FromHome("linea_pickles"),
        help="Where values are written: a local path or an fsspec URL (`s3://bucket/dir`).",
        secret=True,
        reopens_store=True,
    )
    database_url = ConfigItem(
        DATABASE_URL,
        default=FromHome("db.sqlite", prefix="sqlite:///"),
        help="The artifact database: `sqlite:///...` or `postgresql://user@host:5432/db` "
        "(`postgres://` works too).",
        secret=True,
        reopens_store=True,
    )
    customized_annotation_folder = ConfigItem(
        PATH,
        default=FromHome("customized_annotations"),
        help="Your own annotation packs (`linea annotate add`).",
    )
    logging_level = ConfigItem(
        LOGGING_LEVEL,
        default="INFO",
        help=", ".join(f"`{level}`" for level in LOGGING_LEVELS[:-1])
        + f" or `{LOGGING_LEVELS[-1]}`.",
    )
    logging_file = ConfigItem(
        PATH,
        default=FromHome("linea.log"),
        help="Where the `linea` command logs (created only when something is logged).",
    )
    storage_options = ConfigItem(
        MAPPING,
        default=None,
        help="fsspec options for `artifact_storage_dir` (a JSON object, e.g. credentials or "
        '`{"anon": true}`); file or `options.set` only.',
        from_env_and_cli=False,
        secret=True,
        reopens_store=True,
    )
    mlflow_tracking_uri = ConfigItem(
        OPTIONAL_URI,
        default=None,
        help="MLflow tracking URI, for MLflow plugins.",
        secret=True,
    )
    mlflow_registry_uri = ConfigItem(
        OPTIONAL_URI, default=None, help="MLflow model registry URI.", secret=True
    )
    default_ml_models_storage_backend = ConfigItem(
        NAME,
        default="mlflow",
        help="Storage backend for ML models when MLflow is configured.",
    )

    _values: dict[str, Any]
    _explicit: frozenset[str]
    _config_file: Path | None

    def __init__(
        self,
        values: Mapping[str, Any],
        explicit: frozenset[str] = frozenset(),
        config_file: Path | None = None,
    ) -> None:
        """Checked ``values`` for every item; use :meth:`build` to check raw ones."""
        object.__setattr__(self, "_values", dict(values))
        object.__setattr__(self, "_explicit", explicit)
        object.__setattr__(self, "_config_file", config_file)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"linea Options are immutable; use options.set({name!r}, ...)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("linea Options are immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Options):
            return NotImplemented
        return self._values == other._values

    __hash__ = None  # type: ignore[assignment]  # storage_options is a dict

    def __repr__(self) -> str:
        # Secrets masked (see ConfigItem.shown); get() gives the real values.
        shown = ", ".join(f"{item.name}={item.shown(self._values[item.name])!r}" for item in ITEMS)
        return f"Options({shown})"

    @classmethod
    def build(
        cls,
        values: Mapping[str, Any],
        *,
        sources: Mapping[str, str] | None = None,
        config_file: Path | None = None,
    ) -> Options:
        """Check explicit ``values`` and fill every other item with its default.

        ``None`` for an item that has a default means "back to the default".
        ``sources`` says where each value came from, so an error can point at the
        environment variable or file line the user has to fix.
        """
        sources = sources or {}
        for key in values:
            if key not in ITEMS_BY_NAME:
                raise ConfigError(unknown_key_message(key) + _origin(key, sources))
        given = {
            key: value
            for key, value in values.items()
            if not (value is None and ITEMS_BY_NAME[key].default is not None)
        }
        home_raw = given.get("home_dir", DEFAULT_HOME_DIR)
        try:
            home = local_path(home_raw)
        except TypeError:
            raise ConfigError(
                f"Invalid linea option home_dir = {home_raw!r}{_origin('home_dir', sources)}: "
                "must be a path"
            ) from None
        raw = {item.name: given.get(item.name, item.raw_default(home)) for item in ITEMS}
        checked: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for item in ITEMS:
            try:
                checked[item.name] = item.parse(raw[item.name])
            except InvalidValue as exc:
                problems[item.name] = str(exc)
        if problems:
            raise ConfigError(_describe(problems, raw, sources))
        return cls(checked, frozenset(given), config_file)

    def with_value(self, key: str, value: Any) -> Options:
        """A copy with ``key`` set explicitly; items following home_dir re-follow a new one."""
        if key not in ITEMS_BY_NAME:
            raise ConfigError(unknown_key_message(key))
        explicit = {name: self._values[name] for name in self._explicit}
        explicit[key] = value
        return Options.build(explicit, sources={key: "options.set"}, config_file=self._config_file)

    def get(self, key: str) -> Any:
        """Item ``key``'s value (a copy: changing it changes nothing here)."""
        if key not in ITEMS_BY_NAME:
            raise ConfigError(unknown_key_message(key))
        return deepcopy(self._values[key])

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
        """All items as JSON-ready values (paths as strings), in the table's order."""
        return {item.name: _json_ready(self._values[item.name]) for item in ITEMS}

    def shown(self) -> dict[str, Any]:
        """:meth:`to_json_dict` with credentials masked: what may be printed or logged."""
        return {item.name: item.shown(_json_ready(self._values[item.name])) for item in ITEMS}

    def for_config_file(self) -> dict[str, Any]:
        """What ``linea init`` writes: every item with a value, except defaults that
        follow ``home_dir`` (written only when set explicitly, so that editing home_dir
        in the file later still moves them)."""
        return {
            item.name: _json_ready(self._values[item.name])
            for item in ITEMS
            if self._values[item.name] is not None
            and (not item.follows_home or item.name in self._explicit)
        }

    def store_location(self) -> tuple[Any, ...]:
        """The values of the items that, when changed, make the store reopen."""
        return tuple(self._values[item.name] for item in ITEMS if item.reopens_store)


ITEMS: tuple[ConfigItem[Any], ...] = tuple(
    value for value in vars(Options).values() if isinstance(value, ConfigItem)
)
"""Every configuration item, in the documented order."""

ITEMS_BY_NAME: Mapping[str, ConfigItem[Any]] = MappingProxyType({i.name: i for i in ITEMS})


def unknown_key_message(key: str) -> str:
    import difflib  # only when a key is wrong

    valid = ", ".join(ITEMS_BY_NAME)
    close = difflib.get_close_matches(key, list(ITEMS_BY_NAME), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return f"Unknown linea option {key!r}.{hint} Valid options: {valid}."


def _origin(key: str, sources: Mapping[str, str]) -> str:
    source = sources.get(key)
    return f" (from {source})" if source else ""


def _json_ready(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return deepcopy(value)
    return value


def _describe(
    problems: Mapping[str, str], raw: Mapping[str, Any], sources: Mapping[str, str]
) -> str:
    lines = ["Invalid linea configuration:"]
    for key, message in problems.items():
        shown = ITEMS_BY_NAME[key].shown(raw.get(key))
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
                + unknown_key_message(key).split(". ", 1)[1],
                ConfigWarning,
                stacklevel=user_stacklevel(),
            )
    return values


def config_file_path(home_dir: str | os.PathLike[str]) -> Path:
    return local_path(home_dir) / CONFIG_FILE_NAME


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
            raise ConfigError(unknown_key_message(key) + " (given as a command-line option)")

    env_values: dict[str, Any] = {}
    for item in ITEMS:
        variable = ENV_PREFIX + item.name.upper()
        if environ.get(variable, "") == "":
            continue
        if item.from_env_and_cli:
            env_values[item.name] = environ[variable]
        else:
            warnings.warn(
                f"{variable} is ignored: set {item.name} in linea_config.json "
                f"or with linea_core.options.set({item.name!r}, ...).",
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
    return Options.build(merged, sources=sources, config_file=file_path)
