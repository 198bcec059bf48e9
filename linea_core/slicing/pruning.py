"""Backward slice inside one compound top-level statement.

The slicer keeps whole top-level statements; a compound one (``if``/``for``/``while``/
``try``/``with``/``match``) is additionally pruned here so that only the sub-statements
that can affect the needed names survive. Both branches of an ``if`` are pruned by the
same static rules, so a branch that did not run when the graph was recorded still keeps
exactly what it needs (the fix for upstream's "unvisited conditional" known issue).

The analysis is classic backward liveness over the statement's structure, with loops
iterated to a fixpoint. Two things feed back into it and are resolved by re-running it
until nothing changes: jumps (``break``/``continue``/``raise``) are kept when the
construct they leave is kept, except a ``continue`` whose fall-through path runs no kept
code before the next iteration (taking it or not changes nothing the slice runs); and a
dropped statement sharing a physical line with a kept one is kept too (slices remove
whole lines only).

What a call may change comes from the statement's facts (receivers and arguments),
narrowed by the caller's knowledge: immutable values (``may_mutate``), built-ins that
annotation packs declare pure (``pure_call``, see :mod:`.builtin_calls`), and names
through which a call reaches other globals (``touches``: a user function assigning a
``global``). A ``match`` keeps its cases up to the last one with kept code; the later
ones, their patterns and guards go.

Text rules (slices are compared exactly): the kept text is the statement's original lines
with the lines of dropped sub-statements removed, together with the comment/blank lines
directly above each of them (between siblings); an emptied mandatory block gets ``pass``
at its first statement's indentation; an ``else``/``elif``/``finally`` clause with nothing
kept is removed with its keyword line; ``try`` keeps every handler (an emptied one holds
``pass``) and trailing ``case`` clauses with nothing kept are removed; trailing comment or
blank lines and the last line's text after the statement end are cut.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial

from linea_core.syntax.analysis import ExposedArguments, analyse, object_roots
from linea_core.syntax.builtin_calls import BUILTINS, exposed_arguments
from linea_core.syntax.facts import StatementFacts
from linea_core.syntax.kinds import COMPOUND, LOOPS, TRIES, WITHS
from linea_core.syntax.source import (
    as_lines,
    cut,
    dedent_lines,
    first_line,
    indentation,
    statement_text,
)

_JUMPS = (ast.Break, ast.Continue, ast.Raise, ast.Return)
_ELSE = re.compile(r"\s*else\s*:")
_FINALLY = re.compile(r"\s*finally\s*:")


@dataclass(frozen=True, slots=True)
class PrunedStatement:
    """The kept text of a statement and the names that text loads from before it.

    ``reads`` decides which dependency edges the slicer still follows: an edge whose
    names the kept text no longer reads (a dropped ``plt.plot(x)``) is not followed.
    For a ``def``/``class`` it includes the free globals of the bodies. ``live_in``
    (compound statements) is what is live before the kept text given the needed names
    live after it.
    """

    text: str
    reads: frozenset[str]
    live_in: frozenset[str] | None = field(default=None, compare=False)

    @property
    def needs(self) -> frozenset[str]:
        """Names whose values before the statement the kept text and the names needed
        after it depend on: ``reads`` plus needed names it may leave unchanged."""
        return self.reads if self.live_in is None else self.reads | self.live_in


def _always(_name: str) -> bool:
    return True


def _never(_name: str) -> bool:
    return False


def prune(
    stmt: ast.stmt,
    source_lines: str | Sequence[str],
    needed: Iterable[str],
    *,
    may_mutate: Callable[[str], bool] = _always,
    keep_calls_to: frozenset[str] = frozenset(),
    consumed_by_iteration: Callable[[str], bool] = _never,
    same_object: Iterable[Iterable[str]] = (),
    pure_call: Callable[[ast.Call], bool] | None = None,
    touches: Mapping[str, Iterable[str]] | None = None,
) -> PrunedStatement | None:
    """Keep the parts of ``stmt`` that matter for ``needed`` names after it.

    ``source_lines`` is the source of the block ``stmt`` was parsed from (its line
    numbers index it). ``needed`` are names, as spelled in this statement, whose value
    after the statement matters. ``may_mutate(name)`` returns False when the object bound
    to ``name`` cannot be changed by a call it is passed to (ints, strings...).
    ``keep_calls_to`` are callee names (``f`` or ``mod.f``) whose calls are always kept,
    e.g. user functions known to mutate needed globals. ``consumed_by_iteration(name)``
    returns True when the object is an iterator that a ``for`` loop consumes (a generator):
    then a loop over it is kept when the name is needed, even if its body is not.
    ``same_object`` lists groups of names known to refer to one object (or to objects
    sharing memory) when the statement starts, e.g. ``[{"df", "view"}]``: a mutation
    through one is a change of the others. Aliases created inside the statement
    (``w = v``, loop targets) are found statically.
    ``pure_call(call)``, asked about calls of module-level names that are Python
    built-ins (``print(x)``, ``len(x)``), returns True when that name is the built-in
    and annotation packs declare the call pure: then the call does not keep a
    statement for its arguments (except arguments a built-in like ``sum`` may iterate
    and ``consumed_by_iteration`` says are iterators, see
    :mod:`linea_core.syntax.builtin_calls`).
    ``touches`` maps a name to module-level names that calling it, or passing it to a
    call, may read, rebind or change: ``{"bump": {"rate"}}`` for a user function doing
    ``global rate; rate += step``. Such a call is kept when one of those names is
    needed, and keeps the code that sets them up.

    Simple statements (and ``def``/``class``) are returned unchanged. None means nothing
    in the statement needs keeping.
    """
    lines = as_lines(source_lines)
    if not isinstance(stmt, COMPOUND):
        facts = analyse(stmt)
        return PrunedStatement(statement_text(stmt, lines), facts.reads | facts.body_reads)
    pruner = _Pruner(
        stmt, lines, may_mutate, keep_calls_to, consumed_by_iteration, pure_call, touches
    )
    for group in same_object:
        names = list(group)
        for name in names[1:]:
            pruner.aliases.union(names[0], name)
    return pruner.run(frozenset(needed))


class _Context:
    """Where jumps inside the statement land, and what an exception may still need.

    ``loop``/``catcher`` are the innermost loop / ``try`` with handlers (None: the whole
    statement). ``sticky`` are names a handler of an enclosing ``try`` may read: an
    exception can arrive from any nested statement, so no binding in between kills them.
    ``after_loop``/``loop_top`` are the names live where ``break``/``continue`` land.
    """

    __slots__ = ("loop", "catcher", "sticky", "after_loop", "loop_top")

    def __init__(
        self,
        loop: ast.stmt | None,
        catcher: ast.stmt | None,
        sticky: frozenset[str] = frozenset(),
        after_loop: frozenset[str] = frozenset(),
        loop_top: frozenset[str] = frozenset(),
    ) -> None:
        self.loop = loop
        self.catcher = catcher
        self.sticky = sticky
        self.after_loop = after_loop
        self.loop_top = loop_top

    def with_sticky(self, catcher: ast.stmt | None, sticky: frozenset[str]) -> _Context:
        return _Context(self.loop, catcher, sticky, self.after_loop, self.loop_top)


class _Pruner:
    def __init__(
        self,
        stmt: ast.stmt,
        lines: list[str],
        may_mutate: Callable[[str], bool],
        keep_calls_to: frozenset[str],
        consumed_by_iteration: Callable[[str], bool],
        pure_call: Callable[[ast.Call], bool] | None = None,
        touches: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.stmt = stmt
        self.touches = {k: frozenset(v) for k, v in (touches or {}).items() if v}
        self.defined = _definitions(stmt)
        self._reached: dict[int, tuple[str, ...]] = {}
        self._uses: dict[int, frozenset[str]] = {}
        self._exposed: ExposedArguments | None = None
        if pure_call is not None:
            self._exposed = partial(
                exposed_arguments, pure_call=pure_call, may_be_iterator=consumed_by_iteration
            )
        self.consumed_by_iteration = consumed_by_iteration
        self.lines = lines
        self.may_mutate = may_mutate
        self.keep_calls_to = keep_calls_to
        self._facts: dict[int, StatementFacts] = {}
        self._walrus: dict[int, frozenset[str]] = {}
        self.aliases = _alias_groups(stmt, may_mutate, pure_call)
        # Decisions that persist across re-runs (they only grow).
        self.forced: set[int] = set()
        self.forced_whole: set[int] = set()
        # Per-run results.
        self.kept: set[int] = set()
        self.whole: set[int] = set()
        self.cases: dict[int, int] = {}
        self.jumps: list[tuple[ast.stmt, ast.stmt | None]] = []
        self.fixed: set[int] | None = None
        self.fixed_cases: dict[int, int] = {}
        self.changed = False  # a decision that needs another round was taken
        self.keep_count = 0
        self.parents: dict[int, tuple[ast.stmt, list[ast.stmt], int]] | None = None

    # ---------------------------------------------------------------- driver
    def run(self, needed: frozenset[str]) -> PrunedStatement | None:
        while True:
            self._reset()
            self._block([self.stmt], set(needed), _Context(None, None))
            if id(self.stmt) not in self.kept:
                return None
            grew = self._force_jumps() | self.changed
            plan = _Plan(self)
            grew |= plan.force_shared_lines()
            if not grew:
                break
        # Names the kept text loads from outside: liveness of the kept code alone.
        final = set(self.kept)
        self.fixed_cases = dict(self.cases)
        self._reset()
        self.fixed = final
        reads = self._block([self.stmt], set(), _Context(None, None))
        # The same with the needed names live after it: a needed name the kept code may
        # leave alone (``if c: x = 1``, a loop running no iteration) keeps its earlier
        # value on those paths, so that value is needed too.
        self._reset()
        live_in = self._block([self.stmt], set(needed), _Context(None, None))
        self.fixed = None
        return PrunedStatement(plan.text(), frozenset(reads), frozenset(live_in))

    def _reset(self) -> None:
        self.kept = set()
        self.whole = set()
        self.cases = {}
        self.jumps = []
        self.changed = False

    def _force_jumps(self) -> bool:
        grew = False
        for jump, target in self.jumps:
            landed = self.stmt if target is None else target
            if id(landed) in self.kept and id(jump) not in self.kept:
                if isinstance(jump, ast.Continue) and not self._skips_kept_code(jump, target):
                    continue
                self.forced.add(id(jump))
                grew = True
        return grew

    def _skips_kept_code(self, jump: ast.Continue, loop: ast.stmt | None) -> bool:
        """Whether removing ``jump`` would run kept code it now skips.

        Falling through a ``continue`` instead of taking it runs the rest of the loop
        body (and a ``try``'s ``else``), then reaches the same next iteration; if none
        of that is kept, the slice behaves the same without the jump. A ``continue`` in
        a ``finally`` also discards an exception in flight, so it always stays.
        """
        if self.parents is None:
            self.parents = _parents(self.stmt)
        node: ast.stmt = jump
        while True:
            found = self.parents.get(id(node))
            if found is None:
                return True  # not inside the statement's structure: be safe
            owner, block, index = found
            if any(id(s) in self.kept for s in block[index + 1 :]):
                return True
            if owner is loop and block is getattr(loop, "body", None):
                return False
            if isinstance(owner, TRIES):
                if block is owner.finalbody:  # type: ignore[attr-defined]
                    return True
                if block is owner.body and any(  # type: ignore[attr-defined]
                    id(s) in self.kept
                    for s in owner.orelse  # type: ignore[attr-defined]
                ):
                    return True
            node = owner

    # ------------------------------------------------------------------ facts
    def facts(self, node: ast.stmt) -> StatementFacts:
        key = id(node)
        found = self._facts.get(key)
        if found is None:
            found = self._facts[key] = analyse(node, exposed=self._exposed)
        return found

    def header_facts(self, node: ast.AST, build: Callable[[], ast.stmt]) -> StatementFacts:
        key = -id(node)  # the header of a compound statement, cached apart from the node
        found = self._facts.get(key)
        if found is None:
            found = self._facts[key] = analyse(build(), exposed=self._exposed)
        return found

    def certain_binds(self, node: ast.stmt, facts: StatementFacts) -> frozenset[str]:
        """Names a simple statement surely rebinds (walrus targets may be skipped)."""
        key = id(node)
        walrus = self._walrus.get(key)
        if walrus is None:
            walrus = self._walrus[key] = frozenset(
                n.target.id for n in ast.walk(node) if isinstance(n, ast.NamedExpr)
            )
        return facts.binds - walrus

    def uses(self, facts: StatementFacts) -> frozenset[str]:
        """Names code with these facts reads: its own, and those its calls touch."""
        if not self.touches and not self.defined:
            return facts.reads
        key = id(facts)
        found = self._uses.get(key)
        if found is None:
            found = facts.reads
            for name in self._callers(facts):
                found = found | self.touches[name]
            for name in self._defined_callees(facts):
                found = found | self.defined[name].touches
            self._uses[key] = found
        return found

    def _defined_callees(self, facts: StatementFacts) -> tuple[str, ...]:
        """Functions and classes the statement defines that code with these facts may
        run: called or passed by their name, or by a name that may hold them
        (``g = main; g()``)."""
        if not self.defined:
            return ()
        key = id(facts)
        found = self._reached.get(key)
        if found is None:
            names = facts.call_roots | facts.passes
            groups = {self.aliases.group(n) for n in names}
            found = self._reached[key] = tuple(
                d for d in self.defined if d in names or self.aliases.group(d) in groups
            )
        return found

    def _callers(self, facts: StatementFacts) -> Iterable[str]:
        """Names through which the code may run code that touches other names."""
        return (facts.call_roots | facts.passes) & self.touches.keys()

    def affects(self, facts: StatementFacts, live: set[str]) -> bool:
        """Whether code with these facts can change what the live names hold."""
        if facts.opaque_reason is not None:
            return True
        if facts.binds & live or facts.deletes & live:
            return True
        groups = None
        if self.touches:
            for name in self._callers(facts):
                touched = self.touches[name]
                if not touched.isdisjoint(live):
                    return True
                groups = groups if groups is not None else self.aliases.groups_of(live)
                if any(self.aliases.group(t) in groups and self.may_mutate(t) for t in touched):
                    return True
        for name in facts.mutates:
            if name in live:
                return True
            groups = groups if groups is not None else self.aliases.groups_of(live)
            if self.aliases.group(name) in groups and self.may_mutate(name):
                return True
        for name in facts.passes:
            groups = groups if groups is not None else self.aliases.groups_of(live)
            if self.aliases.group(name) in groups and self.may_mutate(name):
                return True
        for name in self._defined_callees(facts):
            # ``def main(): global a; a = ...`` then ``main()`` in one statement: the
            # call rebinds (or changes objects through) the globals its body names,
            # on whichever path the traced run took.
            effects = self.defined[name]
            if not effects.binds.isdisjoint(live):
                return True
            groups = groups if groups is not None else self.aliases.groups_of(live)
            if any(self.aliases.group(t) in groups and self.may_mutate(t) for t in effects.reads):
                return True
        if self.keep_calls_to:
            for call in facts.calls:
                if call.callee is not None and (
                    call.callee[0] in self.keep_calls_to
                    or ".".join(call.callee) in self.keep_calls_to
                ):
                    return True
        return False

    def decide(self, node: ast.stmt, wanted: bool) -> bool:
        if self.fixed is not None:
            keep = id(node) in self.fixed
        else:
            keep = wanted or id(node) in self.forced or id(node) in self.forced_whole
        if keep:
            self.kept.add(id(node))
            # Counted on every visit (not the set's size): loops visit bodies repeatedly
            # and each visit must see that its subtree keeps something.
            self.keep_count += 1
        return keep

    # --------------------------------------------------------------- liveness
    def _block(self, stmts: list[ast.stmt], live: set[str], ctx: _Context) -> set[str]:
        """Live names before ``stmts`` given those live after them; records kept nodes.

        Live sets are shared between callers (a statement that keeps nothing returns the
        set it was given): they are never changed in place.
        """
        sticky = ctx.sticky
        for node in reversed(stmts):
            live = self._stmt(node, live, ctx)
            if sticky:
                live = live | sticky
        return live

    def _stmt(self, node: ast.stmt, live: set[str], ctx: _Context) -> set[str]:
        if (
            id(node) in self.forced_whole
            and isinstance(node, COMPOUND)
            and (self.fixed is None or id(node) in self.fixed)
        ):
            self.kept.add(id(node))
            self.keep_count += 1
            self.whole.add(id(node))
            facts = self.facts(node)
            return live | self.uses(facts) | facts.body_reads
        if isinstance(node, ast.If):
            return self._if(node, live, ctx)
        if isinstance(node, LOOPS):
            return self._loop(node, live, ctx)
        if isinstance(node, TRIES):
            return self._try(node, live, ctx)
        if isinstance(node, WITHS):
            return self._with(node, live, ctx)
        if isinstance(node, ast.Match):
            return self._match(node, live, ctx)
        return self._simple(node, live, ctx)

    def _simple(self, node: ast.stmt, live: set[str], ctx: _Context) -> set[str]:
        facts = self.facts(node)
        if isinstance(node, _JUMPS):
            # Kept once the construct it leaves is kept (see _Pruner.run); what is live
            # where it lands is live before it.
            if isinstance(node, ast.Break):
                self.jumps.append((node, ctx.loop))
                live = live | ctx.after_loop
            elif isinstance(node, ast.Continue):
                self.jumps.append((node, ctx.loop))
                live = live | ctx.loop_top
            else:
                self.jumps.append((node, ctx.catcher))
            wanted = False
        elif isinstance(node, (ast.Pass, ast.Global, ast.Nonlocal)):
            wanted = False
        elif isinstance(node, ast.Assert):
            wanted = bool(facts.reads & live)  # it may stop the program on another path
        else:
            wanted = self.affects(facts, live)
        if not self.decide(node, wanted):
            return live
        return (live - self.certain_binds(node, facts)) | self.uses(facts) | facts.body_reads

    def _if(self, node: ast.If, live: set[str], ctx: _Context) -> set[str]:
        before = self.keep_count
        live_body = self._block(node.body, live, ctx)
        live_else = self._block(node.orelse, live, ctx)
        header = self.header_facts(node, lambda: ast.Expr(value=node.test))
        wanted = self.keep_count > before or self.affects(header, live)
        if not self.decide(node, wanted):
            return live
        return live_body | live_else | self.uses(header)

    def _loop(
        self, node: ast.For | ast.AsyncFor | ast.While, live: set[str], ctx: _Context
    ) -> set[str]:
        before = self.keep_count
        live_else = self._block(node.orelse, live, ctx)
        if isinstance(node, ast.While):
            header = self.header_facts(node, lambda: ast.Expr(value=node.test))
            target_binds: frozenset[str] = frozenset()
        else:
            header = self.header_facts(node, lambda: self._for_probe(node))
            # Iterating a list does not change it; only consumable iterators count.
            iterated = {n for n in object_roots(node.iter) if not self.consumed_by_iteration(n)}
            if iterated & header.passes:
                header = replace(header, passes=header.passes - iterated)
            target_binds = header.binds
        top = live | live_else
        while True:
            inner = _Context(node, node, ctx.sticky, frozenset(live), frozenset(top))
            live_body = self._block(node.body, top, inner)
            kept_inside = self.keep_count > before
            new_top = top | (live_body - target_binds)
            if isinstance(node, ast.While) and (kept_inside or self.affects(header, top)):
                new_top |= self.uses(header)  # the test runs before every iteration
            if new_top == top:
                break
            top = new_top
        wanted = kept_inside or self.affects(header, top)
        if not self.decide(node, wanted):
            return live
        return top | self.uses(header)

    def _for_probe(self, node: ast.For | ast.AsyncFor) -> ast.stmt:
        return ast.For(target=node.target, iter=node.iter, body=[ast.Pass()], orelse=[])

    def _try(self, node: ast.stmt, live: set[str], ctx: _Context) -> set[str]:
        body: list[ast.stmt] = node.body  # type: ignore[attr-defined]
        handlers: list[ast.ExceptHandler] = node.handlers  # type: ignore[attr-defined]
        orelse: list[ast.stmt] = node.orelse  # type: ignore[attr-defined]
        finalbody: list[ast.stmt] = node.finalbody  # type: ignore[attr-defined]
        before = self.keep_count
        live_finally = self._block(finalbody, live, ctx)
        # A kept finally also runs when the body raises half-way.
        caught: set[str] = set(live_finally) if self.keep_count > before else set()
        mark = self.keep_count
        live_else = self._block(orelse, live_finally, ctx)
        # Whether the body raises decides what runs next: a kept handler runs only if it
        # does, a kept else only if it does not, a kept body statement only if nothing
        # before it raised into a handler. Any statement may raise, so then the body (up
        # to its last kept statement) is kept whole, not pruned.
        outcome_matters = self.keep_count > mark
        for handler in handlers:
            mark = self.keep_count
            live_handler = self._block(handler.body, live_finally, ctx)
            outcome_matters |= self.keep_count > mark
            if handler.name is not None:
                live_handler = live_handler - {handler.name}
            caught |= live_handler
        if outcome_matters and self.fixed is None:
            self._keep_whole(body)
        inner = ctx.with_sticky(node if handlers else ctx.catcher, ctx.sticky | caught)
        mark = self.keep_count
        live_body = self._block(body, live_else | caught, inner)
        if handlers and self.keep_count > mark and self.fixed is None:
            last = max((i for i, s in enumerate(body) if id(s) in self.kept), default=-1)
            self._keep_whole(body[: last + 1])  # takes effect in the next round (see run)
        wanted = self.keep_count > before
        if not self.decide(node, wanted):
            return live
        types: set[str] = set()
        for handler in handlers:
            if handler.type is not None:
                types |= self.header_facts(handler, partial(ast.Expr, value=handler.type)).reads
        return live_body | caught | live_finally | types

    def _keep_whole(self, body: list[ast.stmt]) -> None:
        new = {id(s) for s in body} - self.forced_whole
        if new:
            self.forced_whole |= new
            self.changed = True

    def _with(self, node: ast.With | ast.AsyncWith, live: set[str], ctx: _Context) -> set[str]:
        before = self.keep_count
        live_body = self._block(node.body, live, ctx)
        if self.keep_count > before and self.fixed is None and _suppresses(node):
            # Like a try: a statement raising stops the rest of the body, so everything up
            # to the last kept statement stays.
            last = max((i for i, s in enumerate(node.body) if id(s) in self.kept), default=-1)
            self._keep_whole(node.body[: last + 1])
        header = self.header_facts(node, lambda: type(node)(items=node.items, body=[ast.Pass()]))
        wanted = self.keep_count > before or self.affects(header, live)
        if not self.decide(node, wanted):
            return live
        return (live_body - header.binds) | self.uses(header)

    def _match(self, node: ast.Match, live: set[str], ctx: _Context) -> set[str]:
        before = self.keep_count
        subject = self.header_facts(node, lambda: ast.Expr(value=node.subject))
        live_in = set(live)  # no case matches
        through: list[set[str]] = []  # what is live before each case is tried
        active = 0
        for index, case in enumerate(node.cases):
            mark = self.keep_count
            live_case = self._block(case.body, live, ctx)
            pattern = self.header_facts(case, partial(_case_probe, case))
            if self.keep_count > mark or self.affects(pattern, live):
                active = index + 1
            through.append((live_case - pattern.binds) | self.uses(pattern))
        wanted = self.keep_count > before or active > 0 or self.affects(subject, live)
        if not self.decide(node, wanted):
            return live
        retained = max(active, 1)
        if self.fixed is not None:
            retained = self.fixed_cases.get(id(node), retained)
        self.cases[id(node)] = retained
        # Trailing cases with nothing kept are removed: their patterns and guards are
        # not evaluated by the kept code, so what they read is not needed.
        for case_live in through[:retained]:
            live_in |= case_live
        return live_in | self.uses(subject)


@dataclass(frozen=True, slots=True)
class _Effects:
    """What calling a function (or class) the statement defines may do to globals:
    rebind ``binds`` (``global a; a = ...``), read or change the objects of ``reads``."""

    binds: frozenset[str]
    reads: frozenset[str]

    @property
    def touches(self) -> frozenset[str]:
        """Names whose values before the call it may use (a global it rebinds on one
        path only keeps its earlier value on the others)."""
        return self.binds | self.reads


def _definitions(stmt: ast.stmt) -> dict[str, _Effects]:
    """Names the compound ``stmt`` binds with ``def``/``class`` (in any of its blocks),
    and what calling them may do to globals (their bodies' static facts)."""
    found: dict[str, _Effects] = {}
    for _owner, block, index in _parents(stmt).values():
        node = block[index]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            facts = analyse(node)
            effects = _Effects(facts.body_binds, facts.body_reads | facts.reads)
            known = found.get(node.name)
            if known is not None:
                effects = _Effects(known.binds | effects.binds, known.reads | effects.reads)
            found[node.name] = effects
    return found


def _parents(stmt: ast.stmt) -> dict[int, tuple[ast.stmt, list[ast.stmt], int]]:
    """id of each nested statement -> (compound statement owning it, its block, index).

    ``case`` and ``except`` clauses are not statements: their bodies belong to the
    ``match``/``try``. Definitions are not entered (jumps cannot leave them).
    """
    found: dict[int, tuple[ast.stmt, list[ast.stmt], int]] = {}
    stack = [stmt]
    while stack:
        node = stack.pop()
        if not isinstance(node, COMPOUND):
            continue
        blocks: list[list[ast.stmt]] = []
        if isinstance(node, ast.Match):
            blocks.extend(case.body for case in node.cases)
        else:
            blocks.append(node.body)  # type: ignore[attr-defined]
            blocks.extend(h.body for h in getattr(node, "handlers", ()))
            blocks.append(getattr(node, "orelse", []))
            blocks.append(getattr(node, "finalbody", []))
        for block in blocks:
            for index, child in enumerate(block):
                found[id(child)] = (node, block, index)
                stack.append(child)
    return found


def _suppresses(node: ast.With | ast.AsyncWith) -> bool:
    """Whether a context manager of ``node`` is known to swallow exceptions.

    Any ``__exit__`` may, but in practice it is ``contextlib.suppress`` (and test helpers
    like ``pytest.raises``); treating every ``with`` so would keep whole bodies of
    ``with open(...)`` blocks.
    """
    for item in node.items:
        expr = item.context_expr
        func = expr.func if isinstance(expr, ast.Call) else expr
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in ("suppress", "raises"):
            return True
    return False


def _case_probe(case: ast.match_case) -> ast.stmt:
    """A statement whose analysis gives the pattern's and guard's reads and bindings."""
    return ast.Match(
        subject=ast.Constant(value=None),
        cases=[ast.match_case(pattern=case.pattern, guard=case.guard, body=[ast.Pass()])],
    )


class _Aliases:
    """Names that may refer to the same object inside the statement (union-find)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def group(self, name: str) -> str:
        parent = self.parent
        root = name
        while parent.get(root, root) != root:
            root = parent[root]
        while name != root:
            parent[name], name = root, parent.get(name, name)
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.group(a), self.group(b)
        if ra != rb:
            self.parent[ra] = rb

    def groups_of(self, names: Iterable[str]) -> set[str]:
        return {self.group(name) for name in names}


def _alias_groups(
    stmt: ast.stmt,
    may_mutate: Callable[[str], bool],
    pure_call: Callable[[ast.Call], bool] | None = None,
) -> _Aliases:
    """Flow-insensitive aliasing: ``y = x[0]``, ``for v in xs``, ``with x as y`` join y to x.

    A bound name may end up referring to (part of) any mutable object the right-hand side
    names, so a later ``y.append(1)`` may change ``x``. A pure built-in's result is not
    (part of) the built-in function itself: ``y = int(s)`` does not join ``y`` to ``int``.
    """
    aliases = _Aliases()

    def join(targets: Iterable[ast.expr], value: ast.expr) -> None:
        skip: set[int] = set()
        if pure_call is not None:
            skip = {
                id(n.func)
                for n in ast.walk(value)
                if isinstance(n, ast.Call)
                and isinstance(n.func, ast.Name)
                and n.func.id in BUILTINS
                and pure_call(n)
            }
        sources = [
            n.id
            for n in ast.walk(value)
            if isinstance(n, ast.Name) and id(n) not in skip and may_mutate(n.id)
        ]
        if not sources:
            return
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Name) and may_mutate(node.id):
                    for source in sources:
                        aliases.union(node.id, source)

    for node in ast.walk(stmt):
        if isinstance(node, ast.Assign):
            join(node.targets, node.value)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            join([node.target], node.value)
        elif isinstance(node, ast.NamedExpr):
            join([node.target], node.value)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            join([node.target], node.iter)
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            join([node.optional_vars], node.context_expr)
        elif isinstance(node, ast.Match):
            captures = [
                ast.Name(id=p.name)
                for p in ast.walk(node)
                if isinstance(p, (ast.MatchAs, ast.MatchStar)) and p.name
            ]
            join(captures, node.subject)
    return aliases


class _Plan:
    """Which physical lines of the statement survive, and where ``pass`` fills a body."""

    def __init__(self, pruner: _Pruner) -> None:
        self.p = pruner
        self.lines = pruner.lines
        self.start = first_line(pruner.stmt)
        self.end = pruner.stmt.end_lineno or pruner.stmt.lineno
        self.deleted: set[int] = set()
        self.owned: set[int] = set()  # lines a kept element needs
        self.passes: dict[int, str] = {}  # line -> indentation of an inserted `pass`
        self.dropped: list[ast.stmt] = []  # dropped statements (not clauses)
        self._visit(pruner.stmt)

    # ------------------------------------------------------------- planning
    def _visit(self, node: ast.stmt) -> None:
        p = self.p
        if id(node) in p.whole or not isinstance(node, COMPOUND):
            self._own(first_line(node), node.end_lineno or node.lineno)
            return
        self._own(first_line(node), _header_end(node))
        if isinstance(node, ast.If):
            self._body(node.body)
            self._optional(node, node.body, node.orelse)
        elif isinstance(node, LOOPS):
            self._body(node.body)
            self._optional(node, node.body, node.orelse)
        elif isinstance(node, WITHS):
            self._body(node.body)
        elif isinstance(node, ast.Match):
            retained = p.cases.get(id(node), len(node.cases))
            for case in node.cases[:retained]:
                self._own(case.pattern.lineno, _case_header_end(case))
                self._body(case.body)
            for case in node.cases[retained:]:
                self._drop(None, case.pattern.lineno, case.body[-1].end_lineno or 0)
        else:  # try
            self._body(node.body)  # type: ignore[attr-defined]
            last = node.body  # type: ignore[attr-defined]
            for handler in node.handlers:  # type: ignore[attr-defined]
                self._own(handler.lineno, _handler_header_end(handler))
                self._body(handler.body)
                last = handler.body
            self._optional(node, last, node.orelse)  # type: ignore[attr-defined]
            last = node.orelse or last  # type: ignore[attr-defined]
            finalbody = node.finalbody  # type: ignore[attr-defined]
            if finalbody:
                if node.handlers or any(id(s) in p.kept for s in finalbody):  # type: ignore[attr-defined]
                    self._optional(node, last, finalbody, keyword=_FINALLY)
                else:
                    self._own_keyword(last, finalbody, _FINALLY)
                    self._body(finalbody)

    def _body(self, stmts: list[ast.stmt]) -> None:
        """A mandatory block: dropped statements go, an empty block becomes ``pass``."""
        kept = [s for s in stmts if id(s) in self.p.kept]
        if not kept:
            first = first_line(stmts[0])
            self.passes[first] = indentation(self.lines[first - 1])
        previous: ast.stmt | None = None
        for node in stmts:
            if id(node) in self.p.kept:
                self._visit(node)
            else:
                self._drop(node, self._trivia_start(previous, node), node.end_lineno or node.lineno)
            previous = node

    def _optional(
        self,
        owner: ast.stmt,
        before: list[ast.stmt],
        stmts: list[ast.stmt],
        keyword: re.Pattern[str] = _ELSE,
    ) -> None:
        """An ``else``/``elif``/``finally`` clause: dropped whole when nothing in it is kept."""
        if not stmts:
            return
        kept = any(id(s) in self.p.kept for s in stmts)
        if _is_elif(owner, stmts, self.lines):
            elif_node = stmts[0]
            if kept:
                self._visit(elif_node)
            else:
                self._drop(elif_node, elif_node.lineno, elif_node.end_lineno or elif_node.lineno)
            return
        keyword_line = _keyword_line(self.lines, before, stmts, keyword)
        if kept:
            self._own(keyword_line, keyword_line)
            self._body(stmts)
        else:
            self._drop(None, keyword_line, stmts[-1].end_lineno or 0)

    def _own_keyword(
        self, before: list[ast.stmt], stmts: list[ast.stmt], keyword: re.Pattern[str]
    ) -> None:
        line = _keyword_line(self.lines, before, stmts, keyword)
        self._own(line, line)

    def _trivia_start(self, previous: ast.stmt | None, node: ast.stmt) -> int:
        """First line of the comments/blank lines directly above ``node`` (between siblings)."""
        start = first_line(node)
        if previous is None:
            return start
        floor = (previous.end_lineno or previous.lineno) + 1
        while start - 1 >= floor and _is_trivia(self.lines[start - 2]):
            start -= 1
        return start

    def _own(self, start: int, end: int) -> None:
        self.owned.update(range(start, end + 1))

    def _drop(self, node: ast.stmt | None, start: int, end: int) -> None:
        if node is not None:
            self.dropped.append(node)
        self.deleted.update(range(start, end + 1))

    # --------------------------------------------------------------- results
    def force_shared_lines(self) -> bool:
        """Keep dropped statements that share a physical line with kept code."""
        grew = False
        for node in self.dropped:
            span = range(first_line(node), (node.end_lineno or node.lineno) + 1)
            if any(line in self.owned for line in span):
                self.p.forced.add(id(node))
                grew = True
        return grew

    def text(self) -> str:
        stmt = self.p.stmt
        out: list[str] = []
        for number in range(self.start, self.end + 1):
            if number in self.passes:
                out.append(self.passes[number] + "pass")
            if number in self.deleted and number not in self.owned:
                continue
            line = self.lines[number - 1]
            if number == self.end:
                line = cut(line, None, stmt.end_col_offset)
            out.append(line)
        col = stmt.col_offset
        out[0] = cut(out[0], col)
        while len(out) > 1 and _is_trivia(out[-1]):
            out.pop()
        return "\n".join([out[0], *dedent_lines(out[1:], col)])


def _is_trivia(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _is_elif(owner: ast.stmt, orelse: list[ast.stmt], lines: list[str]) -> bool:
    if not isinstance(owner, ast.If) or len(orelse) != 1 or not isinstance(orelse[0], ast.If):
        return False
    node = orelse[0]
    return cut(lines[node.lineno - 1], node.col_offset).startswith("elif")


def _keyword_line(
    lines: list[str], before: list[ast.stmt], stmts: list[ast.stmt], keyword: re.Pattern[str]
) -> int:
    """Line of the ``else:``/``finally:`` that introduces ``stmts``."""
    floor = (before[-1].end_lineno or before[-1].lineno) if before else 0
    line = first_line(stmts[0])
    while line > floor:
        if keyword.match(lines[line - 1]):
            return line
        line -= 1
    return first_line(stmts[0])


def _header_end(node: ast.stmt) -> int:
    """Last line of a compound statement's header (before its first body statement)."""
    if isinstance(node, (ast.If, ast.While)):
        end = node.test.end_lineno
    elif isinstance(node, (ast.For, ast.AsyncFor)):
        end = node.iter.end_lineno
    elif isinstance(node, WITHS):
        end = max(
            (item.optional_vars or item.context_expr).end_lineno or node.lineno
            for item in node.items
        )
    elif isinstance(node, ast.Match):
        end = node.subject.end_lineno
    else:
        end = node.lineno
    return end or node.lineno


def _handler_header_end(handler: ast.ExceptHandler) -> int:
    if handler.type is not None:
        return handler.type.end_lineno or handler.lineno
    return handler.lineno


def _case_header_end(case: ast.match_case) -> int:
    end = (case.guard or case.pattern).end_lineno
    return end or case.pattern.lineno
