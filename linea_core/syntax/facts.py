"""Plain-data results of the static analysis of one statement.

They are frozen and hashable so that capture can cache them per code object and slicing
can keep them next to graph nodes without defensive copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple


class ArgRef(NamedTuple):
    """How one call argument is spelled, so capture can resolve it before the call runs.

    ``kind`` is one of:

    - ``"name"``: a module-level name (``value`` is the name); look it up in the namespace.
    - ``"local"``: a name local to a comprehension, lambda or class body (``value`` is the
      name); it must NOT be looked up in the module namespace.
    - ``"literal"``: a constant (``value`` is the constant itself).
    - ``"rebound"``: a module-level name the statement itself may rebind before this call
      runs (loop variable, ``with ... as`` name, walrus): resolving it beforehand would
      give a stale object.
    - ``"starred"``: ``*expr`` (``value`` is the module-level name when ``expr`` is one,
      else None); positional indices after it are unknown.
    - ``"expr"``: anything else (``value`` is None).
    """

    kind: str
    value: Any = None


@dataclass(frozen=True, slots=True)
class CallSite:
    """One place where the statement (may) call something.

    ``kind`` says why the call happens: ``"call"`` (a call expression), ``"decorator"`` (a
    decorator applied to a def/class), ``"class"`` (class creation with bases, keywords or
    a metaclass: ``__init_subclass__``/metaclasses run user code), ``"iter"`` (a ``for``
    loop or comprehension iterating an existing object: generators run user code and are
    consumed), ``"with"`` (``__enter__``/``__exit__`` of a context manager).
    Only ``"call"`` sites have a ``callee`` chain and arguments.

    ``callee`` is the dotted chain (``("np", "linalg", "norm")``) when the callee is a
    module-level ``Name`` or ``Name.attr...`` whose root the statement cannot have rebound
    before the call, else None. ``receiver`` is the module-level
    root name of the callee when the callee is an attribute/subscript/call chain
    (``x.a[0].f()`` -> ``"x"``): the object a method call may mutate.
    ``deferred`` is True for calls inside a lambda body: they run only if the lambda is
    called while the statement runs. ``in_comprehension`` is True for calls inside a
    comprehension or generator expression (they may run zero or many times).
    """

    kind: str
    callee: tuple[str, ...] | None
    receiver: str | None
    args: tuple[ArgRef, ...]
    keywords: tuple[tuple[str | None, ArgRef], ...]
    lineno: int
    deferred: bool = False
    in_comprehension: bool = False


@dataclass(frozen=True, slots=True)
class StatementFacts:
    """What one top-level statement may do to the module namespace, known without running it.

    All name sets are module-level names. Over-approximation is the rule (a name that may be
    read is in ``reads``), except ``binds``/``deletes`` which list names the statement can
    rebind/unbind at module scope (capture confirms which actually changed at run time).

    - ``reads``: names the statement may load when it runs (all branches; free names of
      lambdas and comprehensions; decorators, defaults, bases, evaluated annotations;
      for a class, the class body).
    - ``certain_binds``: the part of ``binds`` rebound on every path through the statement
      that completes normally. A name in ``binds - certain_binds`` (``if c: x = 1``, a
      loop body, a ``try`` body) may keep its earlier value: whoever needs it after this
      statement also needs its earlier binder, or a slice breaks on the path not taken.
    - ``body_reads``: free globals of function bodies defined by the statement (used when the
      functions are called later).
    - ``body_binds``: globals that those function bodies may rebind (``global x; x = ...``).
    - ``mutates``: names whose object is mutated explicitly (``x[i] = v``, ``x.a = v``,
      ``del x[i]``, ``x += v``).
    - ``passes``: names whose object is exposed to a call that may mutate it (method-call
      receivers, call arguments incl. inside container literals, iterated objects,
      context managers).
    - ``call_roots``: root names of every callee (``lineapy.save(...)`` -> ``"lineapy"``),
      so capture can recognise calls into linea itself by looking the names up.
    - ``opaque_reason``: why the statement cannot be analysed (``exec``, ``globals()``,
      ``from m import *`` ...), or None.
    - ``body_opaque_reason``: the same for bodies of functions it defines.
    - ``reads_everything``: an evaluating call's string is computed by an expression
      (``df.query(" and ".join(conds))``, an f-string with replacement fields): the
      names it reads are not known before it runs, so it may read any earlier binding.
    """

    reads: frozenset[str]
    binds: frozenset[str]
    certain_binds: frozenset[str]
    deletes: frozenset[str]
    mutates: frozenset[str]
    passes: frozenset[str]
    body_reads: frozenset[str]
    body_binds: frozenset[str]
    calls: tuple[CallSite, ...]
    call_roots: frozenset[str]
    opaque_reason: str | None
    body_opaque_reason: str | None
    is_import: bool
    is_def: bool
    reads_everything: bool = False

    @property
    def has_calls(self) -> bool:
        """True when running the statement may call anything (incl. implicit calls).

        Calls that only sit in a lambda body do not count: they run only if something else
        calls the lambda, and that something is itself a call.
        """
        return any(not call.deferred for call in self.calls)
