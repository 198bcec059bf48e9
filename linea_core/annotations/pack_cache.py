"""Compiled annotation rules kept on disk, so a session does not re-read its packs.

Reading packs means parsing YAML and validating it with pydantic, a few hundred
milliseconds for the core packs: most of what tracing a short script would otherwise
cost. The compiled rules (and each pack's validation problems) depend only on the
packs' bytes, their order, and the code that validates and compiles them, so they are
stored under a key made of exactly that. Changing, adding, removing or reordering a
pack, or installing another linea, gives another key: the stale entry is never read
again (and is eventually pruned). Nothing else is trusted: an entry that cannot be
read, does not unpickle, or does not have the expected shape is ignored and rebuilt.

Entries are written to a temporary file and renamed into place, so sessions starting
at the same time never read half an entry. Each entry starts with the SHA-256 of its
payload, checked before anything is decoded, so a truncated or damaged file is
rebuilt, never half-used. The unpickler accepts built-in types only (plus the
``datetime`` types YAML produces for timestamps used as keyword values): an entry is
data, never code.

The cache is an optimisation: a folder that cannot be created or written only means
that every session validates its packs again, with the same outcome. The pack files
are still read every time (a few kilobytes) since their content is the key.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linea_core.annotations.pack_files import pack_name_from_path, user_pack_files
from linea_core.support.atomic_files import write_bytes_atomically

if TYPE_CHECKING:
    from linea_core.annotations.loader import AnnotationPackError, PackProblem
    from linea_core.annotations.rules import RuleSet
    from linea_core.plugins.contracts import AnnotationPack

# Bump when the layout of an entry changes.
CACHE_FORMAT = 1
# Entries kept: one per distinct list of packs used recently (with and without user
# packs, two linea installs sharing a home...), without growing forever.
KEEP_ENTRIES = 8
_PREFIX = "rules-"
_SUFFIX = ".pickle"
_MAGIC = b"linea-annotation-rules\n"
_DIGEST_SIZE = 32

# The code that decides what a pack compiles to (or which problems it has).
_COMPILER_MODULES = (
    "loader.py",
    "spec.py",
    "records.py",
    "rules.py",
    "rule_codec.py",
    "effects.py",
    "pack_cache.py",
)

_ALLOWED_GLOBALS = frozenset(
    ("datetime", name) for name in ("date", "datetime", "time", "timedelta", "timezone")
)

HIT = "hit"
REBUILT = "rebuilt"
DISABLED = "disabled"


class PackSource:
    """One pack to use: its bytes (the cache key) or why they could not be read."""

    __slots__ = ("name", "source", "data", "text", "error")

    def __init__(
        self,
        name: str,
        source: str,
        data: bytes = b"",
        text: str | None = None,
        error: AnnotationPackError | None = None,
    ) -> None:
        self.name = name
        self.source = source  # names the pack in error messages
        self.data = data
        self.text = text  # a pack registered as text (no need to decode ``data``)
        self.error = error


def read_sources(packs: Iterable[AnnotationPack], user_folder: Path | None) -> list[PackSource]:
    """Registered packs, then the user's packs in ``user_folder``, in precedence order."""
    sources = []
    for pack in packs:
        if pack.path is not None:
            sources.append(_read_file(Path(pack.path), pack.name))
        elif pack.text is not None:
            text = pack.text
            data = text.encode("utf-8", "surrogatepass")
            sources.append(PackSource(pack.name, f"<annotation pack {pack.name!r}>", data, text))
        else:
            from linea_core.annotations.loader import AnnotationPackError, PackProblem

            source = f"<annotation pack {pack.name!r}>"
            reason = "the pack has neither a path nor text; give one of them"
            error = AnnotationPackError(source, [PackProblem(None, reason)])
            sources.append(PackSource(pack.name, source, error=error))
    for path in user_pack_files(user_folder):
        sources.append(_read_file(path, pack_name_from_path(path)))
    return sources


def _read_file(path: Path, name: str) -> PackSource:
    try:
        return PackSource(name, str(path), path.read_bytes())
    except OSError:
        from linea_core.annotations.loader import AnnotationPackError, read_pack_bytes

        try:  # the loader words the reason (missing, a folder, unreadable)
            return PackSource(name, str(path), read_pack_bytes(path))
        except AnnotationPackError as exc:
            return PackSource(name, str(path), error=exc)


def default_cache_dir() -> Path | None:
    """``<home_dir>/cache/annotations`` of the current linea context (None if unknown)."""
    try:
        from linea_core.context import current_context

        return Path(current_context().options.home_dir) / "cache" / "annotations"
    except Exception:  # no usable configuration: run without a cache
        return None


class RuleCache:
    """Builds the rule set of a list of packs, through the entries in ``directory``.

    ``directory`` None disables the cache. ``outcome`` tells what the last
    :meth:`load` did: ``"hit"``, ``"rebuilt"`` (packs read and validated; the entry
    written if possible) or ``"disabled"``.
    """

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.outcome: str | None = None

    def load(self, sources: list[PackSource]) -> tuple[RuleSet, list[AnnotationPackError]]:
        """The rules of the readable packs, and every pack left out, in pack order."""
        readable = [source for source in sources if source.error is None]
        entry = self.entry_path(readable)
        cached = _read_entry(entry) if entry is not None else None
        if cached is not None and len(cached[1]) == len(readable):
            self.outcome = HIT
            rules, problems = cached
            failures: dict[int, AnnotationPackError] = {}
            if any(problems):
                from linea_core.annotations.loader import AnnotationPackError

                for position, found in enumerate(problems):
                    if found:
                        failures[id(readable[position])] = AnnotationPackError(
                            readable[position].source, found
                        )
        else:
            self.outcome = DISABLED if entry is None else REBUILT
            rules, failures = _compile(readable)
            if entry is not None:
                plain = [_plain_problems(failures.get(id(source))) for source in readable]
                from linea_core.annotations.rule_codec import encode

                _write_entry(entry, {"rules": encode(rules), "problems": plain})
        errors = [
            source.error if source.error is not None else failures[id(source)]
            for source in sources
            if source.error is not None or id(source) in failures
        ]
        return rules, errors

    def entry_path(self, readable: list[PackSource]) -> Path | None:
        """Where the entry for these packs (in this order) lives; None without a cache."""
        if self.directory is None:
            return None
        digest = hashlib.sha256(_code_key())
        for source in readable:
            # a text pack is parsed as given, a file is decoded first: not the same input
            digest.update(b"file:" if source.text is None else b"text:")
            digest.update(hashlib.sha256(source.data).digest())
        return self.directory / f"{_PREFIX}{digest.hexdigest()[:40]}{_SUFFIX}"


def _code_key() -> bytes:
    """What, besides the packs, decides the compiled rules: linea's own code."""
    from linea_core import __version__

    digest = hashlib.sha256(f"{CACHE_FORMAT}:{__version__}:".encode())
    here = Path(__file__).resolve().parent
    for module in _COMPILER_MODULES:
        try:
            digest.update((here / module).read_bytes())
        except OSError:  # not installed as files (a zip): the version has to do
            digest.update(module.encode())
    return digest.digest()


def _compile(readable: list[PackSource]) -> tuple[RuleSet, dict[int, AnnotationPackError]]:
    """Read, validate and compile every pack (the slow path: YAML and pydantic)."""
    from linea_core.annotations.loader import AnnotationPackError, decode_pack, parse_pack_text
    from linea_core.annotations.records import AnnotationRecord, compile_entries
    from linea_core.annotations.rules import compile_records

    packs: list[tuple[AnnotationRecord, ...]] = []
    failures: dict[int, AnnotationPackError] = {}
    for source in readable:
        try:
            text = (
                source.text if source.text is not None else decode_pack(source.data, source.source)
            )
            packs.append(compile_entries(parse_pack_text(text, source.source)))
        except AnnotationPackError as exc:
            failures[id(source)] = exc
    return compile_records(packs), failures


def _plain_problems(error: AnnotationPackError | None) -> list[tuple[Any, ...]] | None:
    if error is None:
        return None
    return [(problem.entry, problem.reason, problem.line) for problem in error.problems]


class _DataOnlyUnpickler(pickle.Unpickler):
    """Refuses every global but the datetime types: an entry is data, never code."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"unexpected {module}.{name} in an annotation cache entry")


def _read_entry(path: Path) -> tuple[RuleSet, list[list[PackProblem] | None]] | None:
    """The entry's rules and per-pack problems, or None when missing or unusable."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    payload = _verified_payload(data)
    if payload is None:
        return None
    try:
        content = _DataOnlyUnpickler(io.BytesIO(payload)).load()
        if type(content) is not dict or content.get("format") != CACHE_FORMAT:
            return None
        from linea_core.annotations.rule_codec import decode

        rules = decode(content["rules"])
        problems = [_problems(raw) for raw in content["problems"]]
    except Exception:  # written by something else than this code: rebuild it
        return None
    return rules, problems


def _verified_payload(data: bytes) -> bytes | None:
    """The payload of an entry whose digest matches it, else None."""
    start = len(_MAGIC) + _DIGEST_SIZE
    if not data.startswith(_MAGIC):
        return None
    payload = data[start:]
    return payload if hashlib.sha256(payload).digest() == data[len(_MAGIC) : start] else None


def _problems(raw: Any) -> list[PackProblem] | None:
    if raw is None:
        return None
    from linea_core.annotations.loader import PackProblem

    problems = [PackProblem(entry, reason, line) for entry, reason, line in raw]
    if not problems:
        raise ValueError("a failed pack has at least one problem")
    return problems


def _write_entry(path: Path, content: dict[str, Any]) -> None:
    """Write atomically (temporary file + rename); a failure only costs a rebuild."""
    try:
        payload = pickle.dumps({"format": CACHE_FORMAT, **content}, protocol=4)
    except Exception:  # a keyword value pickle cannot store: no entry, same rules
        return
    payload = _MAGIC + hashlib.sha256(payload).digest() + payload
    try:
        write_bytes_atomically(path, payload)
    except OSError:
        return
    _prune(path.parent)


def _prune(directory: Path) -> None:
    """Keep the newest :data:`KEEP_ENTRIES` entries: older ones are for old packs."""
    try:
        entries = []
        for entry in directory.iterdir():
            if entry.name.startswith(_PREFIX) and entry.name.endswith(_SUFFIX):
                entries.append((entry.stat().st_mtime_ns, entry))
        entries.sort(reverse=True)
        for _, entry in entries[KEEP_ENTRIES:]:
            entry.unlink(missing_ok=True)
    except OSError:  # another session pruned first, or the folder went away
        return
