"""``input_parameters``: literal assignments of the traced code turned into parameters.

A name qualifies when every statement of the pipeline's code that binds it is a plain
literal assignment (``test_size = 0.33``, ``url: str = "iris.csv"``) and all of them
assign the same literal (two sessions may both say ``random_state = 42``). The
assignments are dropped from the generated functions, which take the name as an
argument instead, defaulting to the literal.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from linea_core.pipeline.errors import InputParameterError
from linea_core.pipeline.model import Parameter, ParameterType, SourceLine
from linea_core.slicing.artifact_slices import SessionSlices


@dataclass(frozen=True)
class SessionCode:
    """One session's sliced statements with what messages need to name it."""

    session_id: str
    session_name: str | None
    slices: SessionSlices


@dataclass(frozen=True)
class ResolvedParameters:
    """The parameters, and per session the node ids of the assignments they replace."""

    parameters: tuple[Parameter, ...]
    replaced: Mapping[str, frozenset[int]]  # session id -> node ids


_MISSING = object()


def literal_of(stmt: ast.stmt | None, name: str) -> object:
    """The literal ``stmt`` assigns to ``name``, or ``_MISSING`` if it is not such an assignment."""
    value: ast.expr | None = None
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target = stmt.targets[0]
        if isinstance(target, ast.Name) and target.id == name:
            value = stmt.value
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        if isinstance(stmt.target, ast.Name) and stmt.target.id == name:
            value = stmt.value
    if value is None:
        return _MISSING
    try:
        return ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _MISSING


def resolve_parameters(
    names: Sequence[str], sessions: Sequence[SessionCode], artifact_names: Sequence[str]
) -> ResolvedParameters:
    """Find each parameter's literal assignments; raise one clear error when one does not qualify."""
    seen: set[str] = set()
    parameters: list[Parameter] = []
    replaced: dict[str, set[int]] = {s.session_id: set() for s in sessions}
    for name in names:
        if not isinstance(name, str) or not name.isidentifier():
            raise InputParameterError(
                f"input_parameters must be variable names of the traced code; got {name!r}"
            )
        if name in seen:
            continue
        seen.add(name)
        literals: list[tuple[object, SourceLine, str, int]] = []
        others: list[SourceLine] = []
        for session in sessions:
            for node_id, statement in session.slices.statements.items():
                if name not in statement.binds and not (
                    not statement.analysed and name in statement.text
                ):
                    continue
                where = SourceLine(
                    session.session_id,
                    session.session_name,
                    statement.block,
                    statement.lineno,
                    statement.text.splitlines()[0] if statement.text else "",
                )
                tree = _parse(statement.text)
                value = literal_of(tree, name)
                if value is _MISSING:
                    others.append(where)
                else:
                    literals.append((value, where, session.session_id, node_id))
        if others:
            lines = "; ".join(w.describe() for w in others)
            raise InputParameterError(
                f"input parameter {name!r} must only be assigned literals (like {name} = 0.5), "
                f"but it is also bound by {lines}. Remove {name!r} from input_parameters or "
                "assign it a literal once."
            )
        if not literals:
            raise InputParameterError(
                f"input parameter {name!r} is not assigned in the code of the pipeline's "
                f"artifacts ({', '.join(artifact_names)}); use a variable that code assigns a "
                "literal to."
            )
        distinct: list[tuple[object, SourceLine]] = []
        for value, where, _, _ in literals:
            if not any(_same(value, other) for other, _ in distinct):
                distinct.append((value, where))
        if len(distinct) > 1:
            lines = "; ".join(where.describe() for _, where in distinct)
            raise InputParameterError(
                f"input parameter {name!r} is ambiguous: it is assigned different literals "
                f"({lines}). Make the assignments agree or remove {name!r} from "
                "input_parameters."
            )
        default = literals[0][0]
        parameters.append(
            Parameter(
                name=name,
                default=default,
                type=ParameterType.of(default),
                assigned_at=tuple(where for _, where, _, _ in literals),
            )
        )
        for _, _, session_id, node_id in literals:
            replaced[session_id].add(node_id)
    return ResolvedParameters(
        tuple(parameters), {key: frozenset(value) for key, value in replaced.items()}
    )


def _parse(text: str) -> ast.stmt | None:
    try:
        body = ast.parse(text).body
    except SyntaxError:
        return None
    return body[0] if len(body) == 1 else None


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b
