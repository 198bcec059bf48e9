"""Reading annotation packs, with errors a pack author can act on.

A malformed pack raises :class:`AnnotationPackError` naming the file, the entry (module
and position, and the annotation's criteria) and the reason in plain words, with the
line number when the YAML still parses. All problems of a file are reported at once,
so fixing a pack is one round trip, not one per typo.

``yaml`` and ``pydantic`` are imported only when a pack is actually read: this module
may be imported on startup paths that must stay cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linea_core.annotations.pack_files import PACK_SUFFIX as PACK_SUFFIX
from linea_core.annotations.pack_files import pack_name_from_path as pack_name_from_path
from linea_core.annotations.pack_files import user_pack_files as user_pack_files
from linea_core.errors import LineaError

if TYPE_CHECKING:
    import yaml
    from pydantic_core import ErrorDetails

    from linea_core.annotations.spec import ModuleAnnotation
    from linea_core.plugins.contracts import AnnotationPack

_MAX_SHOWN_PROBLEMS = 10


@dataclass(frozen=True)
class PackProblem:
    """One thing wrong with a pack: where (entry, line) and why (reason)."""

    entry: str | None
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else ""
        if self.entry:
            where = f"{where}, {self.entry}" if where else self.entry
        return f"{where}: {self.reason}" if where else self.reason


class AnnotationPackError(LineaError):
    """An annotation pack cannot be used; ``problems`` says where and why.

    ``source``, ``entry``, ``reason`` and ``line`` describe the first problem, for
    callers that show one line.
    """

    def __init__(self, source: str, problems: list[PackProblem]):
        if not problems:
            raise ValueError("an AnnotationPackError needs at least one problem")
        self.source = source
        self.problems = list(problems)
        first = self.problems[0]
        self.entry = first.entry
        self.reason = first.reason
        self.line = first.line
        super().__init__(self._message())

    def _message(self) -> str:
        shown = self.problems[:_MAX_SHOWN_PROBLEMS]
        if len(self.problems) == 1:
            text = f"invalid annotation pack {self.source}: {shown[0]}"
        else:
            lines = "\n".join(f"  - {problem}" for problem in shown)
            more = len(self.problems) - len(shown)
            tail = f"\n  ... and {more} more" if more else ""
            text = (
                f"invalid annotation pack {self.source} "
                f"({len(self.problems)} problems):\n{lines}{tail}"
            )
        return f"{text}\nFix the pack (format: docs/annotations.md) and load it again."


@dataclass(frozen=True)
class LoadedPack:
    """A validated pack: its name, where it came from, and its module entries."""

    name: str
    source: str
    entries: list[ModuleAnnotation] = field(default_factory=list)


def load_pack(pack: AnnotationPack) -> LoadedPack:
    """Read and validate a registered pack (``path`` or ``text``)."""
    if pack.path is not None:
        return load_file(Path(pack.path), name=pack.name)
    if pack.text is not None:
        source = f"<annotation pack {pack.name!r}>"
        return LoadedPack(pack.name, source, parse_pack_text(pack.text, source))
    raise AnnotationPackError(
        f"<annotation pack {pack.name!r}>",
        [PackProblem(None, "the pack has neither a path nor text; give one of them")],
    )


def load_file(path: Path, name: str | None = None) -> LoadedPack:
    """Read and validate the pack file at ``path``."""
    source = str(path)
    text = decode_pack(read_pack_bytes(path), source)
    return LoadedPack(name or pack_name_from_path(path), source, parse_pack_text(text, source))


def read_pack_bytes(path: Path) -> bytes:
    """The pack file's content, or an :class:`AnnotationPackError` saying why not."""
    source = str(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise AnnotationPackError(source, [PackProblem(None, "the file does not exist")]) from None
    except IsADirectoryError:
        raise AnnotationPackError(
            source, [PackProblem(None, "this is a folder, not a YAML file")]
        ) from None
    except OSError as exc:
        raise AnnotationPackError(
            source, [PackProblem(None, f"the file cannot be read: {exc.strerror or exc}")]
        ) from None


def decode_pack(data: bytes, source: str) -> str:
    """A pack's bytes as text (packs are UTF-8, like every YAML file)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AnnotationPackError(
            source, [PackProblem(None, f"the file is not UTF-8 text ({exc.reason})")]
        ) from None


def parse_pack_text(text: str, source: str) -> list[ModuleAnnotation]:
    """Validate a pack's YAML text; ``source`` names it in errors."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if len(text) > MAX_PACK_CHARACTERS:
        reason = (
            f"the file is {len(text):,} characters long (at most {MAX_PACK_CHARACTERS:,}); "
            "split it into several packs"
        )
        raise AnnotationPackError(source, [PackProblem(None, reason)])
    try:
        data = _load_checked(text, loader)
    except _TooLarge as exc:
        raise AnnotationPackError(source, [PackProblem(None, str(exc))]) from None
    except RecursionError:
        reason = "the YAML is nested too deeply to read; flatten it"
        raise AnnotationPackError(source, [PackProblem(None, reason)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        detail = exc.problem or exc.context or "unreadable YAML"
        reason = f"invalid YAML ({detail}); check indentation and ':' after each key"
        raise AnnotationPackError(source, [PackProblem(None, reason, line)]) from None
    except yaml.YAMLError as exc:
        raise AnnotationPackError(source, [PackProblem(None, f"invalid YAML: {exc}")]) from None
    if data is None:
        return []
    if not isinstance(data, list):
        reason = (
            "the top level must be a list of module entries ('- module: NAME' with "
            f"'annotations:' under it), not a {_yaml_kind(data)}"
        )
        raise AnnotationPackError(source, [PackProblem(None, reason, 1)])
    entries, problems = _validate_entries(data)
    if problems:
        _add_lines(problems, text, loader)
        raise AnnotationPackError(source, [problem for problem, _ in problems])
    return entries


def _load_checked(text: str, loader: type[yaml.SafeLoader]) -> Any:
    """The YAML's data, composed once: its node tree is checked for alias expansion
    (:func:`_check_expansion`) before anything is built from it. What ``yaml.load``
    does, without composing the document a second time for the check (composing is
    half of what reading a large pack costs)."""
    reader = loader(text)
    try:
        root = reader.get_single_node()
        _check_expansion(root)
        return None if root is None else reader.construct_document(root)
    finally:
        reader.dispose()


# A pack is a few hundred entries; these bounds stop a file built to explode (YAML
# "billion laughs": anchors whose aliases multiply) before anything walks it.
MAX_PACK_CHARACTERS = 5_000_000
MAX_EXPANDED_NODES = 500_000


class _TooLarge(Exception):
    pass


def _check_expansion(root: yaml.Node | None) -> None:
    """Refuse a document whose aliases expand it beyond :data:`MAX_EXPANDED_NODES`.

    Composing keeps each anchored node once (aliases point at it), so this walk is
    linear in the file's size: each node's expanded size is computed once and reused.
    """
    import yaml

    sizes: dict[int, int] = {}
    scalar = yaml.ScalarNode  # most nodes: one value each, nothing to remember

    def expanded(node: yaml.Node) -> int:
        if type(node) is scalar:
            return 1
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = MAX_EXPANDED_NODES + 1  # a cycle expands without end
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += 1 if type(child) is scalar else expanded(child)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                total += expanded(key) + (1 if type(value) is scalar else expanded(value))
        if total > MAX_EXPANDED_NODES:
            raise _TooLarge(
                f"the YAML expands to more than {MAX_EXPANDED_NODES:,} values through "
                "anchors and aliases (&name / *name); write the entries out instead"
            )
        sizes[id(node)] = total
        return total

    if root is not None:
        expanded(root)


def _validate_entries(
    data: list[Any],
) -> tuple[list[ModuleAnnotation], list[tuple[PackProblem, tuple[Any, ...]]]]:
    from pydantic import ValidationError

    from linea_core.annotations.spec import ModuleAnnotation

    entries: list[ModuleAnnotation] = []
    problems: list[tuple[PackProblem, tuple[Any, ...]]] = []
    for number, raw in enumerate(data):
        if not isinstance(raw, dict):
            entry = f"entry #{number + 1}"
            reason = (
                "each entry must be a mapping with 'module' and 'annotations', "
                f"not a {_yaml_kind(raw)}"
            )
            problems.append((PackProblem(entry, reason), (number,)))
            continue
        try:
            entries.append(ModuleAnnotation.model_validate(raw))
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(error["loc"])
                problem = PackProblem(_describe_entry(raw, number, loc), _reason(error))
                problems.append((problem, (number, *loc)))
    return entries, problems


def _describe_entry(raw: dict[str, Any], number: int, loc: tuple[Any, ...]) -> str:
    module = raw.get("module")
    text = f"entry #{number + 1}"
    if isinstance(module, str) and module:
        text += f" (module '{module}')"
    if len(loc) >= 2 and loc[0] == "annotations" and isinstance(loc[1], int):
        annotations = raw.get("annotations")
        text += f", annotation #{loc[1] + 1}"
        if isinstance(annotations, list) and loc[1] < len(annotations):
            item = annotations[loc[1]]
            criteria = item.get("criteria") if isinstance(item, dict) else None
            if isinstance(criteria, dict) and criteria:
                text += f" (criteria: {_short_mapping(criteria)})"
    return text


def _short_mapping(mapping: dict[Any, Any]) -> str:
    text = ", ".join(f"{key}={value!r}" for key, value in mapping.items())
    return text if len(text) <= 120 else text[:117] + "..."


def _reason(error: ErrorDetails) -> str:
    """Turn one pydantic error into a sentence about the pack, not about pydantic."""
    from linea_core.annotations.spec import (
        ANNOTATION_KEYS,
        CRITERIA_KEYS,
        ENTRY_KEYS,
        REFERENCE_KEYS,
        SIDE_EFFECT_KEYS,
        suggest,
    )

    kind = error["type"]
    loc = tuple(error["loc"])
    ctx = error.get("ctx") or {}
    value = error.get("input")
    what = _field_name(loc)
    if kind == "value_error":
        return str(ctx.get("error") or error["msg"])
    if kind == "extra_forbidden":
        parent = loc[:-1]
        if not parent:
            allowed = ENTRY_KEYS
        elif parent[-1] == "criteria":
            allowed = CRITERIA_KEYS
        elif parent[-1] in ("mutated_value", "dependency") or "views" in parent:
            allowed = REFERENCE_KEYS
        elif "side_effects" in parent:
            allowed = SIDE_EFFECT_KEYS
        else:
            allowed = ANNOTATION_KEYS
        return f"unknown key '{loc[-1]}'{suggest(loc[-1], allowed)}; use {', '.join(allowed)}"
    if kind == "missing":
        return f"missing key '{loc[-1]}'" if loc else "missing keys"
    if kind == "literal_error":
        return f"{what} must be {ctx.get('expected')}, not {value!r}"
    if kind == "list_type":
        return f"{what} must be a list (one '- ' item per line), not {value!r}"
    if kind == "string_type":
        return f"{what} must be text, not {value!r}"
    if kind.startswith("int_"):
        return f"{what} must be a whole number, not {value!r}"
    if kind == "greater_than_equal":
        return f"{what} must be 0 or more, not {value!r}"
    if kind in ("too_short", "string_too_short"):
        return f"{what} must not be empty"
    if kind == "string_pattern_mismatch":
        return f"{what} must be a dotted module name such as pandas.core.generic, not {value!r}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{what} must be a mapping of keys to values, not {value!r}"
    return f"{what}: {error['msg']}"


def _field_name(loc: tuple[Any, ...]) -> str:
    if not loc:
        return "the entry"
    if isinstance(loc[-1], int):
        parent = f" of '{loc[-2]}'" if len(loc) >= 2 else ""
        return f"item #{loc[-1] + 1}{parent}"
    return f"'{loc[-1]}'"


def _yaml_kind(value: object) -> str:
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return f"text value ({value!r})"
    return f"{type(value).__name__} value ({value!r})"


def _add_lines(
    problems: list[tuple[PackProblem, tuple[Any, ...]]], text: str, loader: type[yaml.SafeLoader]
) -> None:
    """Fill in line numbers by walking the YAML node tree (only done on errors)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:  # pragma: no cover - the text parsed a moment ago
        return
    for index, (problem, path) in enumerate(problems):
        line = _line_of(root, path)
        if line is not None:
            problems[index] = (PackProblem(problem.entry, problem.reason, line), path)


def _line_of(node: yaml.Node | None, path: tuple[Any, ...]) -> int | None:
    """The line of the deepest node on ``path``; a mapping step counts the key's line,
    so an unknown key is shown where it is written."""
    import yaml

    line = None
    for step in path:
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if getattr(key_node, "value", None) == step:
                    node = value_node
                    line = key_node.start_mark.line + 1
                    break
            else:
                break
        else:
            break
    return line
