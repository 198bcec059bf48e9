"""The session context: one configuration, its plugin host and its (lazily opened) store.

Everything a running linea needs hangs off a :class:`LineaContext` instead of module
globals, and the context in use lives in a :class:`~contextvars.ContextVar`. Two
sessions in one process (or two threads) therefore never share options or a database
connection by accident, and tests can run side by side with ``use_context``.

A thread, or an asyncio task created before a context was set, starts without one and
gets its own on first use (resolved from the command line/environment/file again);
pass a context along explicitly with :func:`use_context` to share it on purpose.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from linea_core.config.options import Options
    from linea_core.plugins.host import PluginHost

# None: no context yet here; the first current_context() creates one.
_CURRENT: ContextVar[LineaContext | None] = ContextVar("linea_context", default=None)


class LineaContext:
    """Options + plugin host + store for one session.

    The store is opened on first access and reopened when an item saying where it is
    (``reopens_store`` in the configuration table: the database, the storage folder and
    its options) changes via :meth:`set_option` (``linea_core.options.set``); the old
    store is closed. Artifacts already saved stay
    in the old location: the new store simply does not see them.
    """

    def __init__(self, options: Options | None = None, *, plugins: PluginHost | None = None):
        if options is None:
            from linea_core.config.options import resolve_options

            options = resolve_options()
        self._options = options
        self._plugins = plugins
        self._plugins_given = plugins is not None
        self._store: Any = None
        self._store_key: tuple[Any, ...] | None = None
        self._store_options: Options | None = None  # the options the store's config is from
        self._lock = threading.RLock()

    @property
    def options(self) -> Options:
        return self._options

    def set_option(self, key: str, value: Any) -> None:
        """Replace one option (validated); see the class docstring for store reopening."""
        with self._lock:
            self._options = self._options.with_value(key, value)

    @property
    def plugins(self) -> PluginHost:
        """The plugin host (core's built-ins, then the installed plugins) on first use."""
        with self._lock:
            if self._plugins is None:
                from linea_core.plugins.host import PluginHost

                self._plugins = PluginHost.installed()
            return self._plugins

    @property
    def store(self) -> Any:
        """The artifact store for the current options (``linea_core.store.open_store``)."""
        with self._lock:
            key = self._current_store_key()
            if self._store is not None and key != self._store_key:
                self._close_store()
            if self._store is None:
                from linea_core.store import open_store

                self._store = open_store(self._options, self.plugins)
                self._store_key = key
                self._store_options = self._options
            elif self._store_options is not self._options:
                # Another item changed (mlflow_tracking_uri, ...): value backends read
                # the configuration at each save and load, so hand the store the new one.
                self._store.set_config(self._options.to_json_dict())
                self._store_options = self._options
            return self._store

    def reload(self) -> None:
        """Forget the plugins found through entry points and the open store.

        The next use discovers plugins again (a plugin installed since, a new annotation
        pack) and reopens the store with them. A plugin host given to the constructor is
        kept: whoever built it decides what it holds.
        """
        with self._lock:
            self._close_store()
            if not self._plugins_given:
                self._plugins = None

    def close(self) -> None:
        """Close the store if one is open; the context stays usable (it reopens on use)."""
        with self._lock:
            self._close_store()

    def _current_store_key(self) -> tuple[Any, ...]:
        # Compared on every store access (each save/get): plain values, no serialization.
        return self._options.store_location()

    def _close_store(self) -> None:
        store, self._store, self._store_key = self._store, None, None
        close = getattr(store, "close", None)
        if callable(close):
            close()

    def __repr__(self) -> str:
        return f"LineaContext(home_dir={str(self._options.home_dir)!r})"


def current_context() -> LineaContext:
    """The context in use here, created from the resolved configuration on first use."""
    context = _CURRENT.get()
    if context is None:
        context = LineaContext()
        _CURRENT.set(context)
    return context


@contextmanager
def use_context(context: LineaContext) -> Iterator[LineaContext]:
    """Make ``context`` current inside the ``with`` block, restoring the previous one after."""
    token = _CURRENT.set(context)
    try:
        yield context
    finally:
        _CURRENT.reset(token)


@contextmanager
def fresh_context_scope() -> Iterator[None]:
    """Run the block as if no context existed yet, then close whatever it created.

    The first :func:`current_context` inside resolves the configuration in force at
    that moment (environment variables set by the block included). Test suites wrap
    each test in one so no context, options change or open database leaks from one
    test into the next.
    """
    token = _CURRENT.set(None)
    try:
        yield
    finally:
        created = _CURRENT.get()
        _CURRENT.reset(token)
        if created is not None:
            created.close()
