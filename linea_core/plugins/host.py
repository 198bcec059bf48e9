"""The plugin host: the only place linea talks to pluggy.

Core code asks typed questions (``storage_backends()``, ``serializers()``, ...) and
never calls ``pm.hook.*`` itself (the tox 4 arrangement). That gives one place to
enforce the two promises of the plugin system:

* a broken plugin (it fails to import, implements a hook that does not exist, raises
  inside a hook, or registers something that is not what the hook asks for) is
  reported with a :class:`LineaPluginWarning` naming the plugin, its distribution and
  the error, and then left out, never taking linea down with it;
* every registered object is attributed to its plugin (each hookimpl is called on its
  own with a ``register`` callback), so two plugins claiming one name is a
  :class:`PluginConflictError` naming both, not a silent override.
"""

from __future__ import annotations

import difflib
import importlib
import os
import threading
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

import pluggy

from linea_core.errors import LineaError, LineaWarning
from linea_core.plugins import hookspecs
from linea_core.plugins.contracts import (
    AnnotationPack,
    AnyStorageBackend,
    PipelineWriter,
    Serializer,
    StorageBackend,
    ValueBackend,
)
from linea_core.support.user_warnings import user_stacklevel

if TYPE_CHECKING:
    import click
    from importlib_metadata import EntryPoint


HOOK_NAMES: tuple[str, ...] = tuple(
    sorted(name for name in vars(hookspecs) if name.startswith("linea_"))
)

#: Core's own plugins, registered before any installed plugin, by module name (as
#: llm, datasette and pytest register theirs). Named as strings and imported by
#: importlib when a host loads them, so this layer never imports the layers above it.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "linea_core.builtins.storage",
    "linea_core.builtins.serializers",
    "linea_core.builtins.annotation_packs",
    "linea_core.writers.script",
)
CORE_DISTRIBUTION = "linea-core"

#: Comma-separated plugin names (entry-point or distribution names): load only these
#: installed plugins. Set but empty: load none (core's built-ins only).
LOAD_PLUGINS_ENV = "LINEA_LOAD_PLUGINS"
#: Comma-separated plugin names never to load; ``*`` disables every installed plugin.
DISABLE_PLUGINS_ENV = "LINEA_DISABLE_PLUGINS"


def _normalized(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(".", "_")


@dataclass(frozen=True)
class PluginSelection:
    """Which installed plugins a host loads (core's built-ins are always loaded).

    ``only``: None loads every installed plugin, else just these names. ``disabled``:
    names never loaded; ``"*"`` among them disables them all. Names match an entry
    point's name or its distribution's name, case-insensitively, ``-``/``_`` alike.
    """

    only: frozenset[str] | None = None
    disabled: frozenset[str] = frozenset()

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> PluginSelection:
        """From ``LINEA_LOAD_PLUGINS`` and ``LINEA_DISABLE_PLUGINS``."""
        env = os.environ if environ is None else environ

        def names(value: str) -> frozenset[str]:
            return frozenset(_normalized(n) for n in value.split(",") if n.strip())

        only = env.get(LOAD_PLUGINS_ENV)
        return cls(
            only=names(only) if only is not None else None,
            disabled=names(env.get(DISABLE_PLUGINS_ENV, "")),
        )

    @property
    def everything(self) -> bool:
        return self.only is None and not self.disabled

    def allows(self, name: str, distribution: Callable[[], str | None]) -> bool:
        """Whether the plugin ``name`` is loaded; ``distribution()`` is asked only if needed."""
        if self.everything:
            return True
        if "*" in self.disabled:
            return False
        keys = {_normalized(name)}
        looked_up = False

        def add_distribution() -> None:
            nonlocal looked_up
            if not looked_up:
                looked_up = True
                found = distribution()
                if found:
                    keys.add(_normalized(found))

        if self.only is not None and keys.isdisjoint(self.only):
            add_distribution()
            if keys.isdisjoint(self.only):
                return False
        if self.disabled:
            add_distribution()
            if not keys.isdisjoint(self.disabled):
                return False
        return True


class LineaPluginWarning(LineaWarning):
    """A plugin was left out (or part of it ignored); the message says which and why."""


class PluginConflictError(LineaError):
    """Two plugins (or one plugin twice) registered the same name for the same kind."""

    def __init__(self, message: str, *, kind: str, name: str, plugins: tuple[str, ...]):
        super().__init__(message)
        self.kind = kind
        self.name = name
        self.plugins = plugins


@dataclass(frozen=True)
class PluginInfo:
    """What ``linea plugins list`` shows for one plugin."""

    name: str
    module: str | None
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]
    provides: Mapping[str, tuple[str, ...]]
    error: str | None = None
    conflicts: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "module": self.module,
            "distribution": self.distribution,
            "version": self.version,
            "hooks": list(self.hooks),
            "provides": {kind: list(names) for kind, names in self.provides.items()},
            "error": self.error,
            "conflicts": list(self.conflicts),
        }


class _Distribution(Protocol):
    """What linea reads of a plugin's distribution: its name and version, for labels."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...


@dataclass(frozen=True)
class _Kind:
    """One kind of registered object: the hook that provides it and how to check it."""

    hook: str
    key: str  # key in PluginInfo.provides
    label: str  # for messages
    check: Callable[[object], str | None]  # None if fine, else what is wrong
    name_of: Callable[[Any], str]


def _check_backend(obj: object) -> str | None:
    if not isinstance(obj, (StorageBackend, ValueBackend)):
        return (
            "is neither a StorageBackend (needs name, root, write, open, delete) nor a "
            "ValueBackend (needs name, accepts, is_default_for, save, load, delete)"
        )
    return None if isinstance(obj.name, str) and obj.name else "has no name"


def _check_serializer(obj: object) -> str | None:
    if not isinstance(obj, Serializer):
        return "is not a Serializer (needs name, priority, can_serialize, dump, load)"
    if not (isinstance(obj.name, str) and obj.name):
        return "has no name"
    if not isinstance(obj.priority, int) or isinstance(obj.priority, bool):
        return f"has a non-integer priority {obj.priority!r}"
    return None


def _check_pack(obj: object) -> str | None:
    if not isinstance(obj, AnnotationPack):
        return "is not a linea_core.plugins.AnnotationPack"
    if not obj.name:
        return "has no name"
    if (obj.path is None) == (obj.text is None):
        return "must give exactly one of path= or text="
    return None


def _check_writer(obj: object) -> str | None:
    if not isinstance(obj, PipelineWriter):
        return "is not a PipelineWriter (needs framework, options_model, render)"
    return None if isinstance(obj.framework, str) and obj.framework else "has no framework name"


_KINDS: tuple[_Kind, ...] = (
    _Kind(
        "linea_register_storage_backends",
        "storage_backends",
        "storage backend",
        _check_backend,
        lambda obj: obj.name,
    ),
    _Kind(
        "linea_register_serializers",
        "serializers",
        "serializer",
        _check_serializer,
        lambda obj: obj.name,
    ),
    _Kind(
        "linea_register_annotation_packs",
        "annotation_packs",
        "annotation pack",
        _check_pack,
        lambda obj: obj.name,
    ),
    _Kind(
        "linea_register_pipeline_writers",
        "pipeline_writers",
        "pipeline writer framework",
        _check_writer,
        lambda obj: obj.framework.upper(),
    ),
)
_KIND_BY_KEY = {kind.key: kind for kind in _KINDS}


@dataclass
class _Record:
    """Bookkeeping for one plugin, healthy or not."""

    name: str
    module: str | None
    distribution: str | None
    version: str | None
    plugin: object | None = None
    hooks: tuple[str, ...] = ()
    errors: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    # Gives the entry point's distribution; called only when a message or `plugins
    # list` needs its name and version, because reading them parses its METADATA.
    dist: Callable[[], _Distribution | None] | None = None

    def resolve_distribution(self) -> None:
        source, self.dist = self.dist, None
        if source is None:
            return
        try:
            dist = source()
            if dist is not None:
                self.distribution, self.version = dist.name, dist.version
        except Exception:  # a broken METADATA file only costs the label
            pass

    @property
    def label(self) -> str:
        self.resolve_distribution()
        if not self.distribution:
            return repr(self.name)
        version = f" {self.version}" if self.version else ""
        return f"{self.name!r} (distribution {self.distribution}{version})"


def _describe_exception(exc: BaseException) -> str:
    text = " ".join(str(exc).split())  # one line: it goes into warnings and JSON
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class PluginHost:
    """Loads plugins and answers typed questions about what they provide.

    Build one with :meth:`from_entry_points` (what linea does) or :meth:`from_modules`
    (tests, embedding). Registration hooks run once, on first use, and their results
    are cached.
    """

    def __init__(self) -> None:
        self._pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self._pm.add_hookspecs(hookspecs)
        self._records: dict[str, _Record] = {}
        # kind key -> [(record, object, registered name)], filled by _collect()
        self._collected: dict[str, list[tuple[_Record, Any, str]]] | None = None
        self._command_owner: dict[str, str] = {}
        self._command_conflicts: list[tuple[_Record, str]] = []
        self._lock = threading.RLock()

    # -- construction -------------------------------------------------------------

    @classmethod
    def installed(
        cls,
        *,
        group: str = hookspecs.ENTRY_POINT_GROUP,
        selection: PluginSelection | None = None,
    ) -> PluginHost:
        """What linea runs with: core's built-ins, then the installed plugins of ``group``
        that ``selection`` allows (default: ``LINEA_LOAD_PLUGINS`` / ``LINEA_DISABLE_PLUGINS``)."""
        host = cls()
        host.load_builtins()
        host.load_entry_points(
            group, selection if selection is not None else PluginSelection.from_environment()
        )
        return host

    @classmethod
    def with_builtins(cls, *plugins: object | tuple[str, object]) -> PluginHost:
        """Core's built-ins plus exactly ``plugins`` (modules, or ``(name, module)``):
        a plugin's tests use it to run the plugin without installing it."""
        host = cls()
        host.load_builtins()
        host._register_each(plugins)
        return host

    @classmethod
    def from_entry_points(
        cls,
        group: str = hookspecs.ENTRY_POINT_GROUP,
        selection: PluginSelection | None = None,
    ) -> PluginHost:
        """A host with the plugins installed in ``group`` only (no built-ins): tests."""
        host = cls()
        host.load_entry_points(group, selection)
        return host

    def load_builtins(self, modules: Iterable[str] = BUILTIN_PLUGINS) -> None:
        """Import and register core's built-in plugin modules, named by module."""

        def dist() -> _Distribution | None:
            from importlib_metadata import PackageNotFoundError, distribution

            try:
                return distribution(CORE_DISTRIBUTION)
            except PackageNotFoundError:
                return None

        for module_name in modules:
            try:
                module = importlib.import_module(module_name)
            except Exception as exc:
                record = _Record(module_name, module_name, CORE_DISTRIBUTION, None, dist=dist)
                self._add_record(record)
                self._fail(record, f"could not be imported: {_describe_exception(exc)}")
                continue
            self._register(module, name=module_name, distribution=None, version=None, dist=dist)

    @classmethod
    def from_modules(cls, *plugins: object | tuple[str, object]) -> PluginHost:
        """A host with exactly these plugins (modules or objects with hookimpls).

        Pass ``(name, plugin)`` to choose the name; otherwise the module's ``__name__``.
        """
        host = cls()
        host._register_each(plugins)
        return host

    def load_entry_points(
        self,
        group: str = hookspecs.ENTRY_POINT_GROUP,
        selection: PluginSelection | None = None,
    ) -> None:
        """Import and register each entry point of ``group`` that ``selection`` allows
        (default: all); failures are reported.

        Runs once per context (``LineaContext.plugins``). Entry points come from
        ``importlib_metadata`` (the maintained backport, same API on 3.10-3.13);
        distribution names and versions are read only when shown or when a selection
        names distributions. A plugin the selection leaves out is not even imported.
        """
        from importlib_metadata import entry_points

        chosen = selection or PluginSelection()
        for ep in sorted(entry_points(group=group), key=lambda ep: ep.name):

            def dist(ep: EntryPoint = ep) -> _Distribution | None:
                return ep.dist

            def dist_name(dist: Callable[[], _Distribution | None] = dist) -> str | None:
                found = dist()
                return found.name if found is not None else None

            if not chosen.allows(ep.name, dist_name):
                continue

            try:
                plugin = ep.load()
            except Exception as exc:
                record = _Record(ep.name, ep.value, None, None, dist=dist)
                self._add_record(record)
                self._fail(
                    record, f"could not be imported ({ep.value}): {_describe_exception(exc)}"
                )
                continue
            self._register(plugin, name=ep.name, distribution=None, version=None, dist=dist)

    def _register_each(self, plugins: Iterable[object | tuple[str, object]]) -> None:
        for plugin in plugins:
            if isinstance(plugin, tuple):
                name, obj = plugin
                self.register(obj, name=name)
            else:
                self.register(plugin)

    def register(
        self,
        plugin: object,
        *,
        name: str | None = None,
        distribution: str | None = None,
        version: str | None = None,
    ) -> bool:
        """Register one plugin object; returns False (after warning) if it was left out."""
        return self._register(plugin, name=name, distribution=distribution, version=version)

    def _register(
        self,
        plugin: object,
        *,
        name: str | None,
        distribution: str | None,
        version: str | None,
        dist: Callable[[], _Distribution | None] | None = None,
    ) -> bool:
        with self._lock:
            if self._collected is not None:
                raise RuntimeError("plugins must be registered before the host is first used")
            name = name or getattr(plugin, "__name__", None) or type(plugin).__name__
            module = plugin.__name__ if isinstance(plugin, ModuleType) else type(plugin).__module__
            record = _Record(name, module, distribution, version, plugin=plugin, dist=dist)
            if name in self._records:
                other = self._records[name]
                record.resolve_distribution()
                record.name = f"{name} [{record.distribution or module}]"
                self._add_record(record)
                self._fail(record, f"uses the plugin name {name!r} already taken by {other.label}")
                return False
            self._add_record(record)
            try:
                self._pm.register(plugin, name=name)
            except Exception as exc:  # pluggy.PluginValidationError, ValueError (twice)
                self._fail(record, f"could not be registered: {_describe_exception(exc)}")
                return False
            callers = self._pm.get_hookcallers(plugin) or []
            unknown = sorted(caller.name for caller in callers if caller.spec is None)
            if unknown:
                self._pm.unregister(plugin)
                hints = []
                for hook in unknown:
                    close = difflib.get_close_matches(hook, HOOK_NAMES, n=1)
                    hints.append(f"{hook!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
                self._fail(
                    record,
                    "implements unknown hook(s) "
                    + ", ".join(hints)
                    + "; known hooks: "
                    + ", ".join(HOOK_NAMES),
                )
                return False
            record.hooks = tuple(sorted(caller.name for caller in callers))
            forgotten = [
                hook
                for hook in HOOK_NAMES
                if hook not in record.hooks and callable(getattr(plugin, hook, None))
            ]
            if forgotten:
                warnings.warn(
                    f"linea plugin {record.label} defines {', '.join(forgotten)} without "
                    "@hookimpl (from linea_core.plugins import hookimpl); linea ignores it.",
                    LineaPluginWarning,
                    stacklevel=user_stacklevel(),
                )
            return True

    # -- typed questions ----------------------------------------------------------

    def storage_backends(self) -> dict[str, AnyStorageBackend]:
        """Backends by name. Raises PluginConflictError if two plugins share a name."""
        return dict(self._unique("storage_backends"))

    def serializers(self) -> list[Serializer]:
        """Serializers in the order linea tries them: ascending priority, then name."""
        found = self._unique("serializers")
        return sorted(found.values(), key=lambda s: (s.priority, s.name))

    def annotation_packs(self) -> list[AnnotationPack]:
        """Packs in plugin order (core first). Raises PluginConflictError on a shared name."""
        return list(self._unique("annotation_packs").values())

    def pipeline_writers(self) -> dict[str, PipelineWriter]:
        """Writers by upper-cased framework name (``"AIRFLOW"``)."""
        return dict(self._unique("pipeline_writers"))

    def add_commands(self, cli: click.Group) -> None:
        """Let each healthy plugin add subcommands to ``cli``.

        A plugin that raises has the commands it added removed; a plugin replacing an
        existing command (linea's own or another plugin's) is reported and the
        existing command kept, so one plugin can never make the CLI unusable.
        """
        with self._lock:
            self._collect()
            reserved = set(getattr(cli, "lazy_commands", {}))
            for name in cli.commands:
                self._command_owner.setdefault(name, "linea")
            for name in reserved:
                self._command_owner.setdefault(name, "linea")
            for record in self._healthy():
                for impl in self._impls(record, "linea_register_commands"):
                    before = dict(cli.commands)
                    try:
                        _call(impl, {"cli": cli})
                    except Exception as exc:
                        cli.commands.clear()
                        cli.commands.update(before)
                        self._fail(
                            record,
                            f"raised in linea_register_commands: {_describe_exception(exc)}",
                        )
                        continue
                    self._settle_commands(record, cli, before, reserved)

    def plugins(self) -> list[PluginInfo]:
        """Every plugin seen, healthy or not, with what it provides. Never raises."""
        with self._lock:
            self._collect()
            conflicts = self._all_conflicts()
            infos = []
            for record in self._records.values():
                record.resolve_distribution()
                provides: dict[str, tuple[str, ...]] = {kind.key: () for kind in _KINDS}
                if not record.errors:
                    for key, items in (self._collected or {}).items():
                        provides[key] = tuple(name for rec, _, name in items if rec is record)
                provides["commands"] = tuple(record.commands)
                infos.append(
                    PluginInfo(
                        name=record.name,
                        module=record.module,
                        distribution=record.distribution,
                        version=record.version,
                        hooks=record.hooks,
                        provides=provides,
                        error="; ".join(record.errors) or None,
                        conflicts=tuple(
                            str(conflict)
                            for conflict in conflicts
                            if record.name in conflict.plugins
                        ),
                    )
                )
            return infos

    # -- internals ----------------------------------------------------------------

    def _add_record(self, record: _Record) -> None:
        self._records[record.name] = record

    def _fail(self, record: _Record, message: str) -> None:
        record.errors.append(message)
        warnings.warn(
            f"linea plugin {record.label} {message}. It is left out.",
            LineaPluginWarning,
            stacklevel=user_stacklevel(),
        )

    def _healthy(self) -> list[_Record]:
        return [r for r in self._records.values() if not r.errors and r.plugin is not None]

    def _impls(self, record: _Record, hook: str) -> list[pluggy.HookImpl]:
        caller = getattr(self._pm.hook, hook)
        return [impl for impl in caller.get_hookimpls() if impl.plugin is record.plugin]

    def _collect(self) -> None:
        """Run every registration hook of every plugin once.

        A plugin whose hook raises (or registers something invalid) contributes
        nothing at all: half a plugin is harder to reason about than none.
        """
        with self._lock:
            if self._collected is not None:
                return
            collected: dict[str, list[tuple[_Record, Any, str]]] = {k.key: [] for k in _KINDS}
            for record in self._healthy():
                mine: dict[str, list[tuple[_Record, Any, str]]] = {k.key: [] for k in _KINDS}
                try:
                    for kind in _KINDS:
                        for impl in self._impls(record, kind.hook):
                            _call(impl, {"register": _registrar(kind, record, mine[kind.key])})
                except _HookFailure as failure:
                    self._fail(record, str(failure))
                    continue
                for key, items in mine.items():
                    collected[key].extend(items)
            self._collected = collected

    def _unique(self, key: str) -> dict[str, Any]:
        with self._lock:
            self._collect()
            items = [item for item in (self._collected or {})[key] if not item[0].errors]
        conflicts = _conflicts(_KIND_BY_KEY[key], items)
        if conflicts:
            raise conflicts[0]
        return {name: obj for _, obj, name in items}

    def _all_conflicts(self) -> list[PluginConflictError]:
        found = []
        for kind in _KINDS:
            items = [item for item in (self._collected or {})[kind.key] if not item[0].errors]
            found.extend(_conflicts(kind, items))
        return found + [conflict for _, conflict in self._command_conflict_errors()]

    def _command_conflict_errors(self) -> list[tuple[_Record, PluginConflictError]]:
        return [
            (
                record,
                PluginConflictError(
                    f"Two plugins add the command 'linea {name}': {self._command_owner[name]!r} "
                    f"and {record.name!r}; {record.name!r}'s version is ignored.",
                    kind="command",
                    name=name,
                    plugins=(self._command_owner[name], record.name),
                ),
            )
            for record, name in self._command_conflicts
        ]

    def _settle_commands(
        self, record: _Record, cli: click.Group, before: dict[str, Any], reserved: set[str]
    ) -> None:
        for name in list(cli.commands):
            command = cli.commands[name]
            if name in before and before[name] is command:
                continue
            if name in before or name in reserved:
                if name in before:
                    cli.commands[name] = before[name]
                else:
                    del cli.commands[name]
                self._command_conflicts.append((record, name))
                warnings.warn(
                    f"linea plugin {record.label} adds the command 'linea {name}', which "
                    f"{self._command_owner.get(name, 'linea')!r} already provides; "
                    "the plugin's command is ignored.",
                    LineaPluginWarning,
                    stacklevel=user_stacklevel(),
                )
                continue
            self._command_owner[name] = record.name
            record.commands.append(name)


class _HookFailure(Exception):
    """Internal: a plugin's hook raised or registered something invalid."""


def _registrar(
    kind: _Kind, record: _Record, sink: list[tuple[_Record, Any, str]]
) -> Callable[[Any], None]:
    def register(obj: Any) -> None:
        problem = kind.check(obj)
        if problem:
            raise _HookFailure(f"registered {obj!r} in {kind.hook}, which {problem}")
        sink.append((record, obj, kind.name_of(obj)))

    return register


def _call(impl: pluggy.HookImpl, available: Mapping[str, Any]) -> None:
    if impl.hookwrapper or impl.wrapper:
        raise _HookFailure(
            f"{impl.function.__name__} is a hook wrapper, which linea hooks do not use"
        )
    try:
        impl.function(**{arg: available[arg] for arg in impl.argnames})
    except _HookFailure:
        raise
    except Exception as exc:
        raise _HookFailure(
            f"raised in {impl.function.__name__}: {_describe_exception(exc)}"
        ) from exc


def _conflicts(kind: _Kind, items: Iterable[tuple[_Record, Any, str]]) -> list[PluginConflictError]:
    owners: dict[str, list[_Record]] = {}
    for record, _, name in items:
        owners.setdefault(name, []).append(record)
    errors = []
    for name, records in owners.items():
        if len(records) < 2:
            continue
        labels = " and ".join(record.label for record in records)
        if len({id(r) for r in records}) == 1:
            message = f"Plugin {records[0].label} registers the {kind.label} {name!r} twice."
        else:
            message = (
                f"Two plugins register the {kind.label} {name!r}: {labels}. "
                "Uninstall or disable one of them."
            )
        errors.append(
            PluginConflictError(
                message, kind=kind.key, name=name, plugins=tuple(r.name for r in records)
            )
        )
    return errors
