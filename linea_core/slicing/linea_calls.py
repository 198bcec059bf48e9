"""Recognising and rewriting the calls user code makes to linea itself.

A slice must not save the artifact again (unless asked to), must end by computing a
value that was only computed inside ``lineapy.save(...)``, and may have to replace
``lineapy.get(...).get_value()`` with code that reads the stored value directly. All
of that starts with knowing which names in the session refer to linea: the module
under any alias (``import linea_core as lineapy``) or functions imported from it
(``from linea_core import save``).
"""

from __future__ import annotations

import ast
import keyword
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from linea_core.graph.model import ExternalState, Node
from linea_core.slicing.statements import StatementCache
from linea_core.syntax.source import LINE_BREAK

#: Module names under which linea can be imported (the package, and LineaPy's name
#: that ported code keeps using).
LINEA_MODULES = frozenset({"linea_core", "lineapy"})

#: Name used for a value computed inside the save call when the artifact's name is
#: not a valid Python identifier (``lineapy.save(df.mean(), "mean price")``).
FALLBACK_VALUE_NAME = "artifact_value"


@dataclass(frozen=True)
class LineaNames:
    """The names through which a session's code reaches linea."""

    modules: frozenset[str] = LINEA_MODULES
    functions: Mapping[str, str] = field(default_factory=dict)  # local name -> linea name

    def is_call_to(self, func: ast.expr, name: str) -> bool:
        """Whether ``func`` (a call's callee) is linea's function ``name``."""
        if isinstance(func, ast.Attribute):
            return (
                func.attr == name
                and isinstance(func.value, ast.Name)
                and func.value.id in self.modules
            )
        if isinstance(func, ast.Name):
            return self.functions.get(func.id) == name
        return False


def find_linea_names(nodes: Iterable[Node], cache: StatementCache) -> LineaNames:
    """Collect linea's aliases from the session's import statements.

    Only sources that mention a linea module are parsed, so this stays a cheap
    substring scan on sessions with thousands of statements.
    """
    modules = set(LINEA_MODULES)
    functions: dict[str, str] = {}
    for node in nodes:
        source = node.source
        if "import" not in source or not any(m in source for m in LINEA_MODULES):
            continue
        stmt = cache.statement(source)
        if stmt is None:
            continue
        for sub in ast.walk(stmt):
            if isinstance(sub, ast.Import):
                for alias in sub.names:
                    if alias.name in LINEA_MODULES:
                        modules.add(alias.asname or alias.name)
            elif isinstance(sub, ast.ImportFrom) and sub.module in LINEA_MODULES and not sub.level:
                for alias in sub.names:
                    functions[alias.asname or alias.name] = alias.name
    return LineaNames(frozenset(modules), functions)


def _argument(call: ast.Call, position: int, keyword_name: str) -> ast.expr | None:
    if len(call.args) > position and not any(
        isinstance(a, ast.Starred) for a in call.args[: position + 1]
    ):
        return call.args[position]
    for kw in call.keywords:
        if kw.arg == keyword_name:
            return kw.value
    return None


@dataclass(frozen=True)
class SaveCall:
    """A ``save(reference, name)`` call found in a statement."""

    call: ast.Call
    reference: ast.expr


def find_save_call(stmt: ast.stmt, names: LineaNames, artifact_name: str) -> SaveCall | None:
    """The save call of ``artifact_name`` in ``stmt``.

    A statement may hold several saves (``save(a, "a"); save(b, "b")`` is two
    statements, but ``f(save(a, "a"), save(b, "b"))`` is one); the one whose name
    argument is the literal artifact name wins, else the first save call.
    """
    candidates: list[tuple[SaveCall, ast.expr | None]] = []
    for sub in ast.walk(stmt):
        if isinstance(sub, ast.Call) and names.is_call_to(sub.func, "save"):
            reference = _argument(sub, 0, "reference")
            if reference is not None:
                candidates.append((SaveCall(sub, reference), _argument(sub, 1, "name")))
    if not candidates:
        return None
    for save, name in candidates:
        if isinstance(name, ast.Constant) and name.value == artifact_name:
            return save
    return candidates[0][0]


def external_state_of(reference: ast.expr, names: LineaNames) -> ExternalState | None:
    """Which external state a save reference names (``lineapy.file_system``), if any."""
    attr: str | None = None
    if (
        isinstance(reference, ast.Attribute)
        and isinstance(reference.value, ast.Name)
        and reference.value.id in names.modules
    ):
        attr = reference.attr
    elif isinstance(reference, ast.Name):
        attr = names.functions.get(reference.id)
    for state in ExternalState:
        if attr == state.value:
            return state
    return None


def is_plain_reference(expr: ast.expr) -> bool:
    """Whether ``expr`` only names an existing value (``x``, ``obj.attr``, ``d["k"]``).

    Such a save argument computes nothing the slice must repeat; anything with a
    call, an operator or a comprehension does.
    """
    if isinstance(expr, ast.Name):
        return True
    if isinstance(expr, ast.Attribute):
        return is_plain_reference(expr.value)
    if isinstance(expr, ast.Subscript):
        index = expr.slice
        return is_plain_reference(expr.value) and (
            isinstance(index, ast.Constant) or is_plain_reference(index)
        )
    return False


def value_variable(artifact_name: str) -> str:
    """The variable a slice assigns a value computed inside the save call to."""
    if artifact_name.isidentifier() and not keyword.iskeyword(artifact_name):
        return artifact_name
    return FALLBACK_VALUE_NAME


def assignment_of(variable: str, expression: str) -> str:
    """``variable = expression``, parenthesised only when the expression spans lines.

    An argument split over lines is valid inside the save call's parentheses but not
    after a bare ``=``, so it gets parentheses of its own.
    """
    text = f"{variable} = {expression}"
    if "\n" in expression:
        try:
            ast.parse(text)
        except SyntaxError:
            text = f"{variable} = ({expression})"
    return text


@dataclass(frozen=True)
class LoaderCode:
    """Code that loads a stored artifact value without linea.

    ``expression`` evaluates to the value; ``setup`` are statements it needs first
    (typically imports such as ``import pickle``), emitted once per slice.
    """

    expression: str
    setup: tuple[str, ...] = ()


@dataclass(frozen=True)
class ValueLoad:
    """A ``lineapy.get(NAME[, version=V]).get_value()`` expression."""

    expr: ast.Call
    artifact: str
    version: int | None


def _version(call: ast.Call) -> tuple[bool, int | None]:
    """(understood, version) of a get call's version argument."""
    arg = _argument(call, 1, "version")
    if arg is None:
        return True, None
    if isinstance(arg, ast.Constant) and (
        arg.value is None or (isinstance(arg.value, int) and not isinstance(arg.value, bool))
    ):
        return True, arg.value
    return False, None


def find_value_loads(stmt: ast.stmt, names: LineaNames) -> list[ValueLoad]:
    """The get-and-load expressions in ``stmt`` that can be replaced by a direct load.

    Only literal artifact names and versions qualify: anything computed at run time
    cannot be resolved to a stored value when the code is generated.
    """
    loads: list[ValueLoad] = []
    for sub in ast.walk(stmt):
        if not (
            isinstance(sub, ast.Call)
            and not sub.args
            and not sub.keywords
            and isinstance(sub.func, ast.Attribute)
            and sub.func.attr == "get_value"
            and isinstance(sub.func.value, ast.Call)
        ):
            continue
        get = sub.func.value
        if not names.is_call_to(get.func, "get"):
            continue
        name = _argument(get, 0, "artifact_name")
        if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
            continue
        understood, version = _version(get)
        if understood:
            loads.append(ValueLoad(sub, name.value, version))
    return loads


def _offset(line_starts: list[int], lines: list[str], lineno: int, col: int) -> int:
    """Character offset of an AST position (whose column counts UTF-8 bytes)."""
    line = lines[lineno - 1]
    return line_starts[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8", "replace"))


def replace_expressions(source: str, replacements: list[tuple[ast.expr, str]]) -> str:
    """``source`` with each expression's exact text replaced, everything else verbatim."""
    if not replacements:
        return source
    lines = LINE_BREAK.split(source)
    starts = [0, *(m.end() for m in LINE_BREAK.finditer(source))]
    spans = []
    for expr, text in replacements:
        assert expr.end_lineno is not None and expr.end_col_offset is not None
        start = _offset(starts, lines, expr.lineno, expr.col_offset)
        end = _offset(starts, lines, expr.end_lineno, expr.end_col_offset)
        spans.append((start, end, text))
    result = source
    for start, end, text in sorted(spans, reverse=True):
        result = result[:start] + text + result[end:]
    return result


def pin_artifact_versions(
    source: str, stmt: ast.stmt, names: LineaNames, versions: Mapping[str, set[int]]
) -> str | None:
    """``source`` with ``get(NAME)`` calls given the version they read when traced.

    ``lineapy.get("x")`` means the latest version, which changes with every later save
    of ``x``; the slice must read what the traced run read. Only literal names read at
    one version are pinned; None when nothing changed.
    """
    replacements: list[tuple[ast.expr, str]] = []
    for sub in ast.walk(stmt):
        if not (isinstance(sub, ast.Call) and names.is_call_to(sub.func, "get")):
            continue
        name = _argument(sub, 0, "artifact_name")
        if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
            continue
        if _argument(sub, 1, "version") is not None:
            continue
        found = versions.get(name.value)
        if found is None or len(found) != 1:
            continue
        text = ast.get_source_segment(source, sub)
        if text is None or not text.endswith(")"):
            continue
        head = text[:-1].rstrip()
        separator = " " if head.endswith((",", "(")) else ", "
        replacements.append((sub, f"{head}{separator}version={next(iter(found))})"))
    if not replacements:
        return None
    pinned = replace_expressions(source, _outermost(replacements))
    try:
        ast.parse(pinned)
    except SyntaxError:
        return None
    return pinned


def rewrite_value_loads(
    source: str,
    stmt: ast.stmt,
    names: LineaNames,
    loader: Callable[[str, int | None], LoaderCode | None],
) -> tuple[str, tuple[str, ...]] | None:
    """Replace the get-and-load expressions that ``loader`` resolves; None if none."""
    replacements: list[tuple[ast.expr, str]] = []
    setup: list[str] = []
    for load in find_value_loads(stmt, names):
        code = loader(load.artifact, load.version)
        if code is None:
            continue
        replacements.append((load.expr, code.expression))
        setup.extend(s for s in code.setup if s not in setup)
    if not replacements:
        return None
    # Nested loads (a get inside another get's argument) would overlap; keep outermost.
    replacements = _outermost(replacements)
    return replace_expressions(source, replacements), tuple(setup)


def _outermost(replacements: list[tuple[ast.expr, str]]) -> list[tuple[ast.expr, str]]:
    def span(e: ast.expr) -> tuple[tuple[int, int], tuple[int, int]]:
        return (e.lineno, e.col_offset), (e.end_lineno or 0, e.end_col_offset or 0)

    kept: list[tuple[ast.expr, str]] = []
    for expr, text in replacements:
        (s, e) = span(expr)
        inside = any(
            span(other)[0] <= s and e <= span(other)[1] and other is not expr
            for other, _ in replacements
        )
        if not inside:
            kept.append((expr, text))
    return kept


__all__ = [
    "FALLBACK_VALUE_NAME",
    "LINEA_MODULES",
    "LineaNames",
    "LoaderCode",
    "SaveCall",
    "ValueLoad",
    "assignment_of",
    "external_state_of",
    "find_linea_names",
    "find_save_call",
    "find_value_loads",
    "is_plain_reference",
    "pin_artifact_versions",
    "replace_expressions",
    "rewrite_value_loads",
    "value_variable",
]
