"""What a configuration item is: the columns of the table in :class:`~.options.Options`.

An item is declared once, as an attribute of ``Options``; its name is the attribute's.
From that one declaration come the ``LINEA_<NAME>`` environment variable, the ``linea
--<name>`` option and its help, the default (fixed, or following ``home_dir``), the
check a value passes, whether ``linea init`` writes it, how it is shown (masked when it
may hold credentials), and the README's configuration table (a test compares them).

Nothing here imports more than the standard library: ``linea --help`` builds its global
options from this table.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar, overload

from linea_core.support.secrets import mask_option

T = TypeVar("T")

CONFIG_FILE_NAME = "linea_config.json"
ENV_PREFIX = "LINEA_"
DEFAULT_HOME_DIR = "~/.linea"
LOGGING_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG", "NOTSET")

_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


class _HoldsValues(Protocol):
    """What an item reads its value from: the ``Options`` instance."""

    @property
    def _values(self) -> Mapping[str, Any]: ...


class InvalidValue(ValueError):
    """One item's value is unusable; the message says why (without the item's name)."""


@dataclass(frozen=True)
class Kind(Generic[T]):
    """A kind of value: how raw text or JSON becomes a checked value, and its metavar."""

    metavar: str
    parse: Callable[[object], T]


@dataclass(frozen=True)
class FromHome:
    """A default that follows ``home_dir``: ``prefix`` + ``<home_dir>/<relative>``."""

    relative: str
    prefix: str = ""

    def value(self, home: Path) -> str:
        return f"{self.prefix}{home / self.relative}"

    def __str__(self) -> str:
        return f"{self.prefix}<home_dir>/{self.relative}"


class ConfigItem(Generic[T]):
    """One configuration item: one row of the table, declared as an ``Options`` attribute.

    ``default`` is a raw value checked like any other (``None`` means "no value"), or a
    :class:`FromHome`. ``from_env_and_cli`` is False for items whose value is a mapping:
    a dict through an environment variable or a flag is awkward and error prone, so
    (as in LineaPy) such items are set only in the file or with ``options.set``.
    ``secret`` items may hold credentials and are shown masked. Changing a
    ``reopens_store`` item makes the next store access open the store again.
    """

    name: str

    def __init__(
        self,
        kind: Kind[T],
        *,
        default: object,
        help: str,
        from_env_and_cli: bool = True,
        secret: bool = False,
        reopens_store: bool = False,
    ) -> None:
        self.kind = kind
        self.default = default
        self.help = help
        self.from_env_and_cli = from_env_and_cli
        self.secret = secret
        self.reopens_store = reopens_store

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type) -> ConfigItem[T]: ...

    @overload
    def __get__(self, instance: _HoldsValues, owner: type) -> T: ...

    def __get__(self, instance: _HoldsValues | None, owner: type) -> ConfigItem[T] | T:
        if instance is None:
            return self
        value: T = instance._values[self.name]
        return value

    def __repr__(self) -> str:
        return f"ConfigItem({self.name!r})"

    @property
    def env_var(self) -> str | None:
        return ENV_PREFIX + self.name.upper() if self.from_env_and_cli else None

    @property
    def cli_flag(self) -> str | None:
        return "--" + self.name.replace("_", "-") if self.from_env_and_cli else None

    @property
    def follows_home(self) -> bool:
        """The default is under ``home_dir`` and moves with it unless set explicitly."""
        return isinstance(self.default, FromHome)

    @property
    def documented_default(self) -> str:
        """The default as the README and ``--help`` show it."""
        return "none" if self.default is None else str(self.default)

    @property
    def plain_help(self) -> str:
        """``help`` without Markdown code marks, for the terminal."""
        return self.help.replace("`", "")

    def raw_default(self, home: Path) -> object:
        return self.default.value(home) if isinstance(self.default, FromHome) else self.default

    def parse(self, raw: object) -> T:
        return self.kind.parse(raw)

    def shown(self, value: object) -> object:
        """``value`` as it may be printed: credentials masked for a ``secret`` item
        (:func:`~linea_core.support.secrets.mask_option`); ``get()`` gives the real one."""
        return mask_option(value) if self.secret else value


# ----------------------------------------------------------------- kinds of values
def local_path(value: str | os.PathLike[str]) -> Path:
    """Absolute, user-expanded path: a relative path must not change meaning with the cwd."""
    return Path(os.fspath(value)).expanduser().resolve()


def _path(value: object) -> Path:
    if isinstance(value, (str, os.PathLike)) and os.fspath(value):
        return local_path(value)
    raise InvalidValue("must be a path")


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidValue(f"must be a string, not {type(value).__name__}")
    return value


def _location(value: object) -> str:
    text = _string(os.fspath(value) if isinstance(value, os.PathLike) else value)
    if not text.strip():
        raise InvalidValue("must not be empty")
    if not _URL_SCHEME.match(text):  # a local path, not an fsspec URL
        return str(local_path(text))
    return text


def _database_url(value: object) -> str:
    url = _string(value).strip()
    if not _URL_SCHEME.match(url):
        raise InvalidValue(
            "must be a database URL such as sqlite:////path/to/db.sqlite or "
            "postgresql://user@host:5432/dbname"
        )
    return url


def _logging_level(value: object) -> str:
    level = _string(value).strip().upper()
    if level not in LOGGING_LEVELS:
        raise InvalidValue("must be one of " + ", ".join(LOGGING_LEVELS))
    return level


def _mapping(value: object) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InvalidValue(f"must be a JSON object of fsspec options, not {type(value).__name__}")
    bad = [key for key in value if not isinstance(key, str)]
    if bad:
        raise InvalidValue(f"keys must be strings (got {bad[0]!r})")
    return deepcopy(dict(value))


def _optional_uri(value: object) -> str | None:
    if value is None:
        return None
    text = _string(value)
    return text if text.strip() else None


def _name(value: object) -> str:
    text = _string(value).strip()
    if not text:
        raise InvalidValue("must not be empty")
    return text


PATH = Kind("PATH", _path)
LOCATION = Kind("PATH|URL", _location)
DATABASE_URL = Kind("URL", _database_url)
LOGGING_LEVEL = Kind("LEVEL", _logging_level)
MAPPING = Kind("JSON", _mapping)
OPTIONAL_URI = Kind("URI", _optional_uri)
NAME = Kind("NAME", _name)
