"""State outside the process: which statements wrote which files, and who reads them.

Fingerprints cannot see a file being written. An audit hook (PEP 578) can: every
``open()`` raises an ``"open"`` event with the path and mode, whoever calls it (user
code, pandas, numpy). The hook is installed once per process, since audit hooks cannot
be removed, and it forwards events only to the session active in the current context
(:func:`linea_core.capture.runtime.active_session`); it keeps no state of its own.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

from linea_core.capture import runtime

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

# event -> how to read (path, writes?) pairs from its arguments
_PATH_EVENTS: dict[str, Callable[[tuple[Any, ...]], list[tuple[Any, bool | None]]]] = {
    "open": lambda a: [(a[0], _open_writes(a[1], a[2] if len(a) > 2 else 0))],
    "os.remove": lambda a: [(a[0], True)],
    "os.rmdir": lambda a: [(a[0], True)],
    "os.mkdir": lambda a: [(a[0], True)],
    "os.rename": lambda a: [(a[0], True), (a[1], True)],
    "os.truncate": lambda a: [(a[0], True)],
    "os.symlink": lambda a: [(a[1], True)],
    "os.link": lambda a: [(a[1], True)],
    "os.chmod": lambda a: [(a[0], True)],
    "os.utime": lambda a: [(a[0], True)],
    "shutil.copyfile": lambda a: [(a[0], False), (a[1], True)],
    "shutil.copytree": lambda a: [(a[0], False), (a[1], True)],
    "shutil.move": lambda a: [(a[0], True), (a[1], True)],
    "shutil.rmtree": lambda a: [(a[0], True)],
    "os.listdir": lambda a: [(a[0], None)],
    "os.scandir": lambda a: [(a[0], None)],
    "glob.glob": lambda a: [(os.path.dirname(a[0]) or ".", None)],
    "sqlite3.connect": lambda a: [(a[0], False)],
}


_LISTINGS = frozenset({"os.listdir", "os.scandir"})

#: Code that lists folders to find modules, not to read the user's files: the import
#: system lists every ``sys.path`` folder it searches (``''``, the script's folder),
#: again whenever the folder changed, e.g. after a ``savefig`` wrote into it.
_IMPORT_SYSTEM_FILES = ("<frozen importlib.", "<frozen zipimport>")
_IMPORT_SYSTEM_MODULES = frozenset({"importlib", "pkgutil", "zipimport", "pkg_resources"})


def _listed_by_import_system() -> bool:
    """Whether the folder listing being audited was made by the import system.

    The frame that called ``os.listdir``/``os.scandir`` is two levels up (this
    function, then the hook).
    """
    try:
        frame = sys._getframe(2)
    except ValueError:  # pragma: no cover - the hook is always called from somewhere
        return False
    code = frame.f_code.co_filename
    if code.startswith(_IMPORT_SYSTEM_FILES):
        return True
    module = frame.f_globals.get("__name__", "")
    return isinstance(module, str) and module.split(".")[0] in _IMPORT_SYSTEM_MODULES


def _open_writes(mode: Any, flags: Any) -> bool:
    if isinstance(mode, str):
        return any(ch in mode for ch in "wax+")
    if isinstance(flags, int):
        return bool(flags & _WRITE_FLAGS)
    return False


# Audit hooks are process state that cannot be undone, so whether ours is installed is
# process state too: the only module-level flag of the engine, and it holds no data.
_HOOK_LOCK = threading.Lock()
_HOOK_INSTALLED = False


def install_audit_hook() -> None:
    """Install the process-wide hook once (idempotent, thread-safe)."""
    global _HOOK_INSTALLED
    with _HOOK_LOCK:
        if not _HOOK_INSTALLED:
            sys.addaudithook(_audit)
            _HOOK_INSTALLED = True


def _audit(event: str, args: tuple[Any, ...]) -> None:
    reader = _PATH_EVENTS.get(event)
    if reader is None:
        if event == "builtins.input":
            session = runtime.active_session()
            if session is not None:
                session.external.on_input()
        return
    session = runtime.active_session()
    if session is None:
        return
    if event in _LISTINGS and _listed_by_import_system():
        return
    try:
        paths = reader(args)
    except Exception:  # malformed event args: nothing we can attribute
        return
    session.external.on_paths(paths, event)


class ExternalFiles:
    """Per-session record of writes to files and databases.

    ``file_writers`` maps an absolute path to the nodes that wrote it; ``db_writers``
    lists nodes that wrote to databases (from annotations: ``to_sql``, DB-API calls).
    During a statement, ``pending_reads``/``pending_writes`` collect what the hook saw.
    """

    def __init__(self, ignored_prefixes: Callable[[], tuple[str, ...]]) -> None:
        self.file_writers: dict[str, list[int]] = {}
        self.all_file_writers: list[int] = []
        self.db_writers: list[int] = []
        # nodes that may have written any file (a shell command): every read depends on them
        self.unknown_writers: list[int] = []
        self.pending_reads: set[str] = set()
        self.pending_dirs: set[str] = set()
        self.pending_writes: set[str] = set()
        self.saw_paths = False
        # ``input()`` calls seen (anywhere, a helper's too): each consumes standard input
        self.input_calls = 0
        self.suspended = 0
        self._ignored_prefixes = ignored_prefixes
        self._ignored: tuple[str, ...] | None = None

    def begin_statement(self) -> None:
        if self.saw_paths or self.pending_writes:
            self.pending_reads = set()
            self.pending_dirs = set()
            self.pending_writes = set()
            self.saw_paths = False

    def on_input(self) -> None:
        if not self.suspended:
            self.input_calls += 1

    def on_paths(self, paths: Iterable[tuple[Any, bool | None]], event: str) -> None:
        if self.suspended:
            return
        for raw, writes in paths:
            path = _normalise(raw)
            if path is None:
                continue
            self.saw_paths = True
            if writes is None:
                self.pending_dirs.add(path)
            elif writes:
                # linea's own files (the store, saved values) are not the user's state;
                # checked for writes only, so reading files never loads configuration
                if self._is_ignored(path):
                    continue
                self.pending_writes.add(path)
                if event == "open":
                    self.pending_reads.add(path)  # "r+"/"a" also read what was there
            else:
                self.pending_reads.add(path)

    def read_producers(self) -> set[int]:
        """Nodes that wrote what the current statement read."""
        producers: set[int] = set()
        if self.unknown_writers and (self.pending_reads or self.pending_dirs):
            producers.update(self.unknown_writers)
        writers = self.file_writers
        for path in self.pending_reads:
            producers.update(writers.get(path, ()))
        for folder in self.pending_dirs:
            prefix = folder.rstrip(os.sep) + os.sep
            for path, nodes in writers.items():
                if path == folder or path.startswith(prefix):
                    producers.update(nodes)
        return producers

    def commit_writes(self, node: int) -> bool:
        """Record the current statement's file writes; True if it wrote any."""
        if not self.pending_writes:
            return False
        for path in self.pending_writes:
            nodes = self.file_writers.setdefault(path, [])
            if not nodes or nodes[-1] != node:
                nodes.append(node)
        if not self.all_file_writers or self.all_file_writers[-1] != node:
            self.all_file_writers.append(node)
        return True

    def record_file_writer(self, node: int) -> None:
        if not self.all_file_writers or self.all_file_writers[-1] != node:
            self.all_file_writers.append(node)

    def record_unknown_writer(self, node: int) -> None:
        """``node`` may have written files linea could not see (a shell command)."""
        if not self.unknown_writers or self.unknown_writers[-1] != node:
            self.unknown_writers.append(node)

    def record_db_writer(self, node: int) -> None:
        if not self.db_writers or self.db_writers[-1] != node:
            self.db_writers.append(node)

    def _is_ignored(self, path: str) -> bool:
        ignored = self._ignored
        if ignored is None:
            try:
                ignored = self._ignored = self._ignored_prefixes()
            except Exception:
                ignored = self._ignored = ()
        return bool(ignored) and path.startswith(ignored)


def _normalise(raw: Any) -> str | None:
    if isinstance(raw, int):
        return None  # a file descriptor: its path was seen when it was opened
    try:
        path = os.fsdecode(os.fspath(raw))
    except TypeError:
        return None
    if path in ("", ":memory:") or path.startswith("file:"):
        return None
    path = os.path.abspath(path)
    if _PYCACHE in path or path.endswith(_PYCACHE_DIR):
        return None  # the import system caching bytecode, not the user's files
    return path


_PYCACHE_DIR = os.sep + "__pycache__"
_PYCACHE = _PYCACHE_DIR + os.sep
