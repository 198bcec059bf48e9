"""The opaque path: statements linea cannot analyse still run, and the graph stays sound.

A statement whose text the analyser cannot follow (``exec``, ``globals()``, a relative
star import or one inside a compound statement, a call into a function that uses them)
runs untouched; it depends on every
earlier statement and counts as a change of every object, so any slice that needs
anything from it or after it keeps it whole. The same record is made when recording
an analysed statement's effects failed after it ran. Each case warns once, pointing at
the user's line.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from linea_core.capture.records import MISSING, StatementPlan, StatementRun
from linea_core.capture.state import TraceState
from linea_core.errors import LineaWarning


class LineaOpaqueWarning(LineaWarning):
    """A statement ran untouched as one opaque unit: linea could not analyse it."""


def run_opaque(
    state: TraceState, run: StatementRun, execute: Callable[[], object], filename: str
) -> None:
    """Run ``execute()`` as a statement linea cannot analyse: whole-namespace diff,
    depends on every earlier statement, changes every object."""
    ns = state.namespace
    before = dict(ns)
    for producer in range(run.node_id):  # known before it runs: save() may need them
        run.add_edge(producer, (), ())
    state.external.begin_statement()
    error: BaseException | None = None
    state.current = run
    try:
        execute()
    except BaseException as exc:  # noqa: BLE001 - recorded, then re-raised unchanged
        error = exc
    finally:
        state.current = None
    warn_opaque(run, filename)
    try:
        record_opaque(state, run, before)
    except Exception:  # pragma: no cover - recording an opaque node is plain bookkeeping
        state.finish_node(run.node(sets=state.name_sets))
    before.clear()
    if error is not None:
        raise error


def record_opaque(state: TraceState, run: StatementRun, before: dict[str, Any]) -> None:
    """Record ``run`` (already run) as opaque: ``before`` is the namespace before it."""
    rebind_changed(state, run.node_id, before)
    state.mark_everything_mutated(run.node_id)
    state.record_external(run)
    state.finish_node(run.node(sets=state.name_sets))


def rebind_changed(state: TraceState, node: int, before: dict[str, Any]) -> None:
    """``node`` binds every name whose object differs from ``before`` (or unbinds it)."""
    ns = state.namespace
    binders = state.binders
    for name in before.keys() | ns.keys():
        new = ns.get(name, MISSING)
        if before.get(name, MISSING) is new:
            continue
        if new is MISSING:
            binders.pop(name, None)
        else:
            binders[name] = node


def record_failed_analysis(
    state: TraceState, run: StatementRun, plan: StatementPlan, exc: Exception, filename: str
) -> None:
    """The statement ran but recording it failed: keep the graph sound anyway."""
    run.opaque = f"linea could not record its effects ({exc!r})"
    warn_opaque(run, filename)
    ns = state.namespace
    binders = state.binders
    for name, old in plan.before.items():
        new = ns.get(name, MISSING)
        if new is MISSING:
            binders.pop(name, None)
        elif new is not old:
            binders[name] = run.node_id
    for producer in range(run.node_id):
        run.add_edge(producer, (), ())
    state.mark_everything_mutated(run.node_id)
    state.finish_node(run.node(sets=state.name_sets))


def warn_opaque(run: StatementRun, filename: str) -> None:
    lines = (
        f"line {run.lineno}"
        if run.lineno == run.end_lineno
        else f"lines {run.lineno}-{run.end_lineno}"
    )
    message = (
        f"linea cannot analyse {lines} of {filename}: {run.opaque}. The statement ran "
        "unchanged as one opaque unit; slices that need anything from it or after it "
        "keep it whole."
    )
    warnings.warn_explicit(message, LineaOpaqueWarning, filename, run.lineno)
