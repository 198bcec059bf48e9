"""Static facts about one top-level statement, in a single pass over its AST.

Capture calls :func:`analyse` once per executed statement (thousands per session), so the
visitor walks each node once and resolves Python's scoping rules (function, lambda,
comprehension and class scopes, ``global``/``nonlocal``) with set operations when a scope
closes, instead of re-walking subtrees.
"""

from __future__ import annotations

import ast
import keyword as keyword_module
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from linea_core.syntax.facts import ArgRef, CallSite, StatementFacts
from linea_core.syntax.kinds import COMPOUND

# Calls that execute code or expose the namespace in ways static analysis cannot follow.
_OPAQUE_ALWAYS = {
    "exec": "calls exec()",
    "eval": "calls eval()",
    "compile": "calls compile()",
    "__import__": "calls __import__()",
}
_OPAQUE_WITHOUT_ARGS = {
    "globals": "calls globals()",
    "locals": "calls locals()",
    "vars": "calls vars() without arguments",
}

_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


class _Scope:
    """Names seen in one Python scope, resolved when the scope closes."""

    __slots__ = (
        "kind",
        "binds",
        "globals",
        "nonlocals",
        "loads",
        "passes",
        "child_now",
        "child_later",
        "definite",
    )

    def __init__(self, kind: str) -> None:
        self.kind = kind  # "module" | "function" | "lambda" | "comprehension" | "class"
        self.binds: set[str] = set()
        self.globals: set[str] = set()
        self.nonlocals: set[str] = set()
        self.loads: set[str] = set()
        self.passes: set[str] = set()
        # Free names of child scopes: evaluated while the statement runs / only later.
        self.child_now: set[str] = set()
        self.child_later: set[str] = set()
        # Names certainly bound at the current point of the statement, so a load of them
        # reads this statement's own binding, not an earlier one (``for i in r: t += i``
        # does not read an earlier ``i``). Module and class scopes, plus walrus targets
        # in comprehensions.
        self.definite: set[str] = set()


#: ``exposed(call)`` for a call whose callee is a module-level name: the argument
#: expressions whose objects the call may change, or None for "all of them" (the
#: default for any call). Pruning uses it for built-ins that packs declare pure.
ExposedArguments = Callable[[ast.Call], "Iterable[ast.expr] | None"]


def analyse(stmt: ast.stmt, *, exposed: ExposedArguments | None = None) -> StatementFacts:
    """Return what ``stmt``, run at module level, may read, bind, delete, mutate and call.

    ``exposed`` narrows ``passes`` for calls of module-level names (see
    :data:`ExposedArguments`); capture never passes it, so its facts stay the
    conservative ones.
    """
    return _Analyser(exposed).run(stmt)


class _Analyser(ast.NodeVisitor):
    def __init__(self, exposed: ExposedArguments | None = None) -> None:
        self.exposed = exposed
        self.stack: list[_Scope] = [_Scope("module")]
        self.def_depth = 0  # > 0 inside a function body: runs later, not now
        self.lambda_depth = 0
        self.comp_depth = 0
        self.cond_depth = 0  # > 0 in short-circuited operands: bindings there are uncertain
        self.walrus_binds: set[str] = set()
        self.reads: set[str] = set()
        self.binds: set[str] = set()
        self.deletes: set[str] = set()
        self.mutates: set[str] = set()
        self.passes: set[str] = set()
        self.body_reads: set[str] = set()
        self.body_binds: set[str] = set()
        self.calls: list[CallSite] = []
        self.call_roots: set[str] = set()
        self.opaque: str | None = None
        self.body_opaque: str | None = None
        self.reads_everything = False
        # Function definitions being visited, innermost last, and the names each uses.
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        self._used_names: dict[int, set[str]] = {}

    # ----------------------------------------------------------- dispatching
    # ast.NodeVisitor looks the visitor method up by name for every node (and routes
    # constants through a deprecation shim); this runs per executed statement, so the
    # lookup goes through a table built once per class instead.
    def visit(self, node: ast.AST) -> None:
        _DISPATCH.get(type(node), _Analyser.generic_visit)(self, node)

    def generic_visit(self, node: ast.AST) -> None:
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    def visit_Constant(self, node: ast.Constant) -> None:
        return None

    # ----------------------------------------------------------------- driver
    def run(self, stmt: ast.stmt) -> StatementFacts:
        self.visit(stmt)
        module = self.stack[0]
        self.reads |= module.child_now
        self.body_reads |= module.child_later
        self.passes |= module.passes
        return StatementFacts(
            reads=frozenset(self.reads),
            binds=frozenset(self.binds),
            certain_binds=frozenset(self.binds & module.definite),
            deletes=frozenset(self.deletes),
            mutates=frozenset(self.mutates),
            passes=frozenset(self.passes),
            body_reads=frozenset(self.body_reads),
            body_binds=frozenset(self.body_binds),
            calls=self._calls_seen_before_running(stmt),
            call_roots=frozenset(self.call_roots),
            opaque_reason=self.opaque,
            body_opaque_reason=self.body_opaque,
            is_import=isinstance(stmt, (ast.Import, ast.ImportFrom)),
            is_def=isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)),
            reads_everything=self.reads_everything,
        )

    def _calls_seen_before_running(self, stmt: ast.stmt) -> tuple[CallSite, ...]:
        """Mark names capture cannot resolve before the statement runs.

        Capture looks callees and name arguments up in the namespace before executing the
        statement. A name the statement itself may rebind before the call runs (a loop
        variable, a `with ... as` name, a walrus) would resolve to a stale object: its
        argument kind becomes ``"rebound"`` and a callee or receiver rooted at it becomes
        None (the name stays in ``passes``).
        """
        if isinstance(stmt, COMPOUND):
            # parts run in an order (or a number of times) that lets a binding made
            # by the statement precede a call elsewhere in it
            rebound = self.binds | self.deletes
        else:
            rebound = self.walrus_binds & (self.binds | self.deletes)
        if not rebound or not self.calls:
            return tuple(self.calls)
        return tuple(_mark_rebound(call, rebound) for call in self.calls)

    @property
    def scope(self) -> _Scope:
        return self.stack[-1]

    # ------------------------------------------------------------ name events
    def _load(self, name: str) -> None:
        scope = self.scope
        if name in scope.definite:
            return
        if scope.kind == "module":
            self.reads.add(name)
        elif name in scope.globals:
            (self.body_reads if self.def_depth else self.reads).add(name)
        else:
            scope.loads.add(name)

    def _bind(self, name: str, *, certain: bool = True) -> None:
        scope = self.scope
        if scope.kind == "module":
            self.binds.add(name)
        elif name in scope.globals:
            (self.body_binds if self.def_depth else self.binds).add(name)
        else:
            scope.binds.add(name)
        if certain and scope.kind in ("module", "class"):
            scope.definite.add(name)

    def _bind_walrus(self, name: str) -> None:
        """``:=`` in a comprehension binds in the nearest enclosing non-comprehension scope."""
        if not self.cond_depth:
            # Later loads in this comprehension read the value just bound.
            self.scope.definite.add(name)
        for scope in reversed(self.stack):
            if scope.kind == "comprehension":
                continue
            if scope.kind == "module":
                self.binds.add(name)
            elif name in scope.globals:
                (self.body_binds if self.def_depth else self.binds).add(name)
            else:
                scope.binds.add(name)
            return

    def _delete(self, name: str) -> None:
        scope = self.scope
        scope.definite.discard(name)
        if scope.kind == "module":
            # Deleting needs the binding to exist: the statement depends on its binder.
            self.deletes.add(name)
            self.reads.add(name)
        elif name in scope.globals:
            (self.body_binds if self.def_depth else self.deletes).add(name)
            (self.body_reads if self.def_depth else self.reads).add(name)
        else:
            scope.binds.add(name)

    def _mutate(self, name: str) -> None:
        if self.def_depth:
            return
        scope = self.scope
        if scope.kind == "module" or name in scope.globals:
            self.mutates.add(name)
        elif scope.kind == "class" and name not in scope.definite:
            self.mutates.add(name)

    def _pass(self, name: str) -> None:
        if self.def_depth:
            return
        scope = self.scope
        if scope.kind == "module" or name in scope.globals:
            self.passes.add(name)
        elif scope.kind == "class" and name in scope.definite:
            return
        else:
            scope.passes.add(name)

    def _is_local(self, name: str) -> bool:
        """True when ``name`` (seen now) refers to a non-module variable."""
        for scope in reversed(self.stack):
            if scope.kind == "module" or name in scope.globals:
                return False
            if name in scope.binds:
                return True
        return False

    # ---------------------------------------------------------------- scopes
    def _push(self, kind: str) -> _Scope:
        scope = _Scope(kind)
        self.stack.append(scope)
        return scope

    def _pop(self) -> None:
        scope = self.stack.pop()
        parent = self.scope
        if scope.kind == "function":
            names = scope.loads | scope.child_now | scope.child_later
            self.body_reads |= names & scope.globals
            parent.child_later |= names - scope.binds - scope.globals - scope.nonlocals
        elif scope.kind == "class":
            parent.child_now |= self._not_yet_bound(parent, scope.loads | scope.child_now)
            parent.child_later |= scope.child_later
            if not self.def_depth:
                self._pass_up(parent, scope.passes)
        else:  # lambda, comprehension
            now = (scope.loads | scope.child_now) - scope.binds
            parent.child_now |= self._not_yet_bound(parent, now)
            parent.child_later |= scope.child_later - scope.binds
            if not self.def_depth:
                self._pass_up(parent, scope.passes - scope.binds)

    @staticmethod
    def _not_yet_bound(parent: _Scope, names: set[str]) -> set[str]:
        """Free names of a nested scope that may still hold an earlier statement's value.

        At module level, a name this statement certainly bound before the nested scope
        (``for i in r: ys = [i * k for k in ks]``) is its own binding, not a read.
        Class-scope bindings are invisible to nested scopes, so they never filter.
        """
        if parent.kind == "module" and parent.definite:
            return names - parent.definite
        return names

    def _pass_up(self, parent: _Scope, names: set[str]) -> None:
        if parent.kind == "module":
            self.passes |= names
        else:
            parent.passes |= names - parent.globals
            self.passes |= names & parent.globals

    # ----------------------------------------------------------- expressions
    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self._load(node.id)
        elif isinstance(node.ctx, ast.Store):
            self._bind(node.id)
        else:
            self._delete(node.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if not isinstance(node.ctx, ast.Load):
            for name in object_roots(node.value):
                self._mutate(name)
        self.visit(node.value)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if not isinstance(node.ctx, ast.Load):
            for name in object_roots(node.value):
                self._mutate(name)
        self.visit(node.value)
        self.visit(node.slice)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        if self.scope.kind == "comprehension":
            self._bind_walrus(node.target.id)
        else:
            self._bind(node.target.id, certain=not self.cond_depth)
        self.walrus_binds.add(node.target.id)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        self.visit(node.values[0])
        self.cond_depth += 1
        for value in node.values[1:]:
            self.visit(value)
        self.cond_depth -= 1

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self.visit(node.test)
        self.cond_depth += 1
        self.visit(node.body)
        self.visit(node.orelse)
        self.cond_depth -= 1

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._visit_defaults(node.args)
        self._push("lambda")
        self._bind_params(node.args)
        self.lambda_depth += 1
        self.visit(node.body)
        self.lambda_depth -= 1
        self._pop()

    def _visit_comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
    ) -> None:
        generators = node.generators
        # The first iterable is evaluated in the enclosing scope.
        self.visit(generators[0].iter)
        self._iteration(generators[0].iter)
        self._push("comprehension")
        self.comp_depth += 1
        for index, gen in enumerate(generators):
            if index:
                self.visit(gen.iter)
                self._iteration(gen.iter)
            self.visit(gen.target)
            for cond in gen.ifs:
                self.visit(cond)
        if isinstance(node, ast.DictComp):
            self.visit(node.key)
            self.visit(node.value)
        else:
            self.visit(node.elt)
        self.comp_depth -= 1
        self._pop()

    visit_ListComp = _visit_comprehension
    visit_SetComp = _visit_comprehension
    visit_GeneratorExp = _visit_comprehension
    visit_DictComp = _visit_comprehension

    def visit_Call(self, node: ast.Call) -> None:
        self.visit(node.func)
        for arg in node.args:
            self.visit(arg)
        for keyword in node.keywords:
            self.visit(keyword.value)
        for name in evaluated_names(node):
            self._load(name)
        if evaluates_unknown_string(node):
            if self.def_depth:
                # a function's caller cannot say what it reads: as exec() in a body
                self.body_opaque = self.body_opaque or (
                    "evaluates a query/eval string computed by an expression"
                )
            else:
                self.reads_everything = True

        func = node.func
        root = _callee_root(func)
        local_root = root is not None and self._is_local(root)
        if isinstance(func, ast.Name) and not local_root:
            reason = _OPAQUE_ALWAYS.get(func.id)
            if reason is None and not node.args and not node.keywords:
                reason = _OPAQUE_WITHOUT_ARGS.get(func.id)
            if reason is not None:
                if self.def_depth:
                    self.body_opaque = self.body_opaque or reason
                else:
                    self.opaque = self.opaque or reason
        if self.def_depth:
            return

        receiver = None
        if root is not None and not isinstance(func, ast.Name):
            self._pass(root)
            if not local_root:
                receiver = root
        exposed = None
        if self.exposed is not None and isinstance(func, ast.Name) and not local_root:
            exposed = self.exposed(node)
        if exposed is None:
            exposed = [*node.args, *(keyword.value for keyword in node.keywords)]
        for arg in exposed:
            for name in object_roots(arg):
                self._pass(name)
        if root is not None and not local_root:
            self.call_roots.add(root)
        self.calls.append(
            CallSite(
                kind="call",
                callee=None if local_root else _dotted(func),
                receiver=receiver,
                args=tuple(self._arg_ref(arg) for arg in node.args),
                keywords=tuple((kw.arg, self._arg_ref(kw.value)) for kw in node.keywords),
                lineno=node.lineno,
                deferred=self.lambda_depth > 0,
                in_comprehension=self.comp_depth > 0,
            )
        )

    def _arg_ref(self, node: ast.expr) -> ArgRef:
        if isinstance(node, ast.Name):
            return ArgRef("local" if self._is_local(node.id) else "name", node.id)
        if isinstance(node, ast.Constant):
            return ArgRef("literal", node.value)
        if (
            isinstance(node, ast.UnaryOp)
            and isinstance(node.op, (ast.USub, ast.UAdd))
            and isinstance(node.operand, ast.Constant)
            and type(node.operand.value) in (int, float, complex)
        ):
            number: Any = node.operand.value  # int, float or complex (checked above)
            return ArgRef("literal", -number if isinstance(node.op, ast.USub) else number)
        if isinstance(node, ast.Starred):
            starred = node.value
            if isinstance(starred, ast.Name) and not self._is_local(starred.id):
                return ArgRef("starred", starred.id)
            return ArgRef("starred", None)
        return ArgRef("expr", None)

    def _iteration(self, iterable: ast.expr) -> None:
        """Iterating an existing object runs its ``__iter__``/``__next__`` (generators!)."""
        self._implicit_call("iter", iterable)

    def _implicit_call(self, kind: str, node: ast.expr, *, always: bool = False) -> None:
        if self.def_depth:
            return
        names = list(object_roots(node))
        for name in names:
            self._pass(name)
        if not names and not always:
            return
        receiver = next((n for n in names if not self._is_local(n)), None)
        self.calls.append(
            CallSite(
                kind=kind,
                callee=None,
                receiver=receiver,
                args=(),
                keywords=(),
                lineno=node.lineno,
                deferred=self.lambda_depth > 0,
                in_comprehension=self.comp_depth > 0,
            )
        )

    # ------------------------------------------------------------ statements
    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self.visit(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        target = node.target
        if isinstance(target, ast.Name):
            self._load(target.id)
            self.visit(node.value)
            self._bind(target.id)
            self._mutate(target.id)
        else:
            self.visit(target)
            self.visit(node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        scope = self.scope
        if scope.kind != "function":  # annotations of locals are never evaluated
            self.visit(node.annotation)
        if node.value is not None:
            self.visit(node.value)
        target = node.target
        if isinstance(target, ast.Name):
            if node.value is not None:
                self._bind(target.id)
            elif scope.kind == "function" and target.id not in scope.globals:
                scope.binds.add(target.id)  # `x: int` alone still makes x local
        elif node.value is not None:
            self.visit(target)
        else:  # `x.a: T` evaluates x but assigns nothing
            self.visit(target.value)
            if isinstance(target, ast.Subscript):
                self.visit(target.slice)

    # Compound statements track which names are certainly bound on every path (see
    # _Scope.definite): a branch starts from what held before it, and after the
    # statement only what held on every way through it remains.
    def _block(self, stmts: list[ast.stmt], start: set[str]) -> set[str]:
        scope = self.scope
        scope.definite = set(start)
        for stmt in stmts:
            self.visit(stmt)
        return scope.definite

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        scope = self.scope
        self.visit(node.iter)
        self._iteration(node.iter)
        before = set(scope.definite)
        self.visit(node.target)
        self._block(node.body, scope.definite)
        self._block(node.orelse, before)
        scope.definite = before  # the body may run zero times; the else may be skipped

    visit_AsyncFor = visit_For

    def visit_While(self, node: ast.While) -> None:
        scope = self.scope
        self.visit(node.test)
        before = set(scope.definite)
        self._block(node.body, before)
        self._block(node.orelse, before)
        scope.definite = before

    def visit_If(self, node: ast.If) -> None:
        scope = self.scope
        self.visit(node.test)
        before = set(scope.definite)
        after_body = self._block(node.body, before)
        after_else = self._block(node.orelse, before)
        scope.definite = after_body & after_else

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        scope = self.scope
        for item in node.items:
            self.visit(item.context_expr)
            self._implicit_call("with", item.context_expr)
            if item.optional_vars is not None:
                self.visit(item.optional_vars)
        # A context manager may swallow an exception raised half-way through the body.
        before = set(scope.definite)
        self._block(node.body, before)
        scope.definite = before

    visit_AsyncWith = visit_With

    def visit_Try(self, node: ast.Try) -> None:
        scope = self.scope
        before = set(scope.definite)
        after_body = self._block(node.body, before)
        for handler in node.handlers:
            scope.definite = set(before)
            self.visit(handler)
        self._block(node.orelse, after_body)
        after_finally = self._block(node.finalbody, before)
        scope.definite = after_finally

    def visit_TryStar(self, node: Any) -> None:  # ast.TryStar (3.11+): Try's fields
        self.visit_Try(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name is not None:
            self._bind(node.name)
            if self.scope.kind == "module":
                self.deletes.add(node.name)  # the `as` name is unbound when the handler ends
        for stmt in node.body:
            self.visit(stmt)
        if node.name is not None:
            self.scope.definite.discard(node.name)

    def visit_Match(self, node: ast.Match) -> None:
        scope = self.scope
        self.visit(node.subject)
        before = set(scope.definite)
        for case in node.cases:
            scope.definite = set(before)
            self.visit(case.pattern)
            if case.guard is not None:
                self.visit(case.guard)
            for stmt in case.body:
                self.visit(stmt)
        scope.definite = before

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._bind(alias.asname or alias.name.partition(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name == "*":
                reason = f"star import from {'.' * node.level}{node.module or ''}"
                if self.def_depth:
                    self.body_opaque = self.body_opaque or reason
                else:
                    self.opaque = self.opaque or reason
            else:
                self._bind(alias.asname or alias.name)

    def visit_Global(self, node: ast.Global) -> None:
        if self.scope.kind != "module":
            self.scope.globals.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        if self.scope.kind != "module":
            self.scope.nonlocals.update(node.names)

    # ------------------------------------------------------------ definitions
    def _visit_defaults(self, args: ast.arguments) -> None:
        for default in args.defaults:
            self.visit(default)
        for kw_default in args.kw_defaults:
            if kw_default is not None:
                self.visit(kw_default)

    def _visit_arg_annotations(self, args: ast.arguments) -> None:
        for arg in _all_args(args):
            if arg.annotation is not None:
                self.visit(arg.annotation)

    def _bind_params(self, args: ast.arguments) -> None:
        for arg in _all_args(args):
            self.scope.binds.add(arg.arg)

    def _visit_decorators(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    ) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)

    def _record_decorators(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    ) -> None:
        if self.def_depth:
            return
        # Decorators are applied innermost first.
        for decorator in reversed(node.decorator_list):
            root = _callee_root(decorator)
            local_root = root is not None and self._is_local(root)
            if root is not None and not local_root:
                self.call_roots.add(root)
            self.calls.append(
                CallSite(
                    kind="decorator",
                    callee=None if local_root else _dotted(decorator),
                    receiver=None,
                    args=(ArgRef("expr", None),),
                    keywords=(),
                    lineno=decorator.lineno,
                    deferred=self.lambda_depth > 0,
                    in_comprehension=self.comp_depth > 0,
                )
            )

    def _push_type_params(self, node: ast.AST) -> bool:
        params = getattr(node, "type_params", None)
        if not params:
            return False
        scope = self._push("lambda")
        for param in params:
            scope.binds.add(param.name)
        return True

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        never_called = self._never_called(node)
        self._visit_decorators(node)
        self._visit_defaults(node.args)
        type_scope = self._push_type_params(node)
        self._visit_arg_annotations(node.args)
        if node.returns is not None:
            self.visit(node.returns)
        if not never_called:
            self._push("function")
            self._bind_params(node.args)
            self.def_depth += 1
            self.functions.append(node)
            for stmt in node.body:
                self.visit(stmt)
            self.functions.pop()
            self.def_depth -= 1
            self._pop()
        if type_scope:
            self._pop()
        self._record_decorators(node)
        self._bind(node.name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def _never_called(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """Whether ``node`` is a function defined inside another one that nothing can
        call: undecorated, and its name never used in the enclosing function (nor
        declared ``global``/``nonlocal`` there, nor reachable through the frame's
        locals). Its body never runs, so what it reads or binds is no part of what
        calling the enclosing function does."""
        if node.decorator_list or not self.functions or self.scope.kind != "function":
            return False
        enclosing = self.functions[-1]
        used = self._used_names.get(id(enclosing))
        if used is None:
            used = self._used_names[id(enclosing)] = _names_used(enclosing)
        return _ANY_NAME not in used and node.name not in used

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._visit_decorators(node)
        type_scope = self._push_type_params(node)
        for base in node.bases:
            self.visit(base)
        for keyword in node.keywords:
            self.visit(keyword.value)
        if (node.bases or node.keywords) and not self.def_depth:
            # __init_subclass__ / metaclasses run user code and may mutate the bases.
            for expr in [*node.bases, *(kw.value for kw in node.keywords)]:
                for name in object_roots(expr):
                    self._pass(name)
            self.calls.append(
                CallSite(
                    kind="class",
                    callee=None,
                    receiver=None,
                    args=(),
                    keywords=(),
                    lineno=node.lineno,
                    deferred=self.lambda_depth > 0,
                    in_comprehension=self.comp_depth > 0,
                )
            )
        self._push("class")
        for stmt in node.body:
            self.visit(stmt)
        self._pop()
        if type_scope:
            self._pop()
        self._record_decorators(node)
        self._bind(node.name)

    def visit_TypeAlias(self, node: ast.AST) -> None:  # Python 3.12+: `type X = ...`
        self._bind(node.name.id)  # type: ignore[attr-defined]
        # The value is evaluated lazily, like a function body.
        self._push("function")
        for param in getattr(node, "type_params", ()):
            self.scope.binds.add(param.name)
        self.def_depth += 1
        self.visit(node.value)  # type: ignore[attr-defined]
        self.def_depth -= 1
        self._pop()

    # --------------------------------------------------------------- patterns
    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.pattern is not None:
            self.visit(node.pattern)
        if node.name is not None:
            self._bind(node.name)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name is not None:
            self._bind(node.name)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        for key in node.keys:
            self.visit(key)
        for pattern in node.patterns:
            self.visit(pattern)
        if node.rest is not None:
            self._bind(node.rest)


#: In :func:`_names_used`: the function reads its frame's locals, so any name may be used.
_ANY_NAME = "*"
_FRAME_LOCALS = frozenset({"f_locals", "_getframe", "currentframe", "getargvalues"})


def _names_used(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Names ``function``'s body (nested scopes included) loads, deletes or declares
    ``global``/``nonlocal``, with names in strings that evaluating calls read;
    :data:`_ANY_NAME` when it may reach its locals through its frame."""
    used: set[str] = set()
    for stmt in function.body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name):
                if not isinstance(node.ctx, ast.Store):
                    used.add(node.id)
                if node.id in _FRAME_LOCALS:
                    used.add(_ANY_NAME)
            elif isinstance(node, ast.Attribute) and node.attr in _FRAME_LOCALS:
                used.add(_ANY_NAME)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                used.update(node.names)
            elif isinstance(node, ast.Call):
                used.update(evaluated_names(node))
    return used


def _dispatch_table() -> Mapping[type, Callable[[_Analyser, Any], None]]:
    table: dict[type, Callable[[_Analyser, Any], None]] = {}
    for name in dir(ast):
        node_type = getattr(ast, name)
        if isinstance(node_type, type) and issubclass(node_type, ast.AST):
            method = getattr(_Analyser, f"visit_{node_type.__name__}", None)
            if method is not None:
                table[node_type] = method
    return MappingProxyType(table)


_DISPATCH = _dispatch_table()


def _all_args(args: ast.arguments) -> Iterator[ast.arg]:
    yield from args.posonlyargs
    yield from args.args
    if args.vararg is not None:
        yield args.vararg
    yield from args.kwonlyargs
    if args.kwarg is not None:
        yield args.kwarg


def _dotted(node: ast.expr) -> tuple[str, ...] | None:
    """``a.b.c`` -> ``("a", "b", "c")``; None for anything that is not a plain chain."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    parts.reverse()
    return tuple(parts)


def _callee_root(node: ast.expr) -> str | None:
    """The name a callee hangs off: ``x.a[0].f`` and ``x.f().g`` -> ``x``."""
    while True:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            return None


def object_roots(node: ast.expr) -> Iterable[str]:
    """Names whose objects (or objects reachable from them) ``node`` evaluates to or holds.

    ``x.a[0]`` -> x; ``[x, y]`` -> x, y; ``a if c else b`` -> a, b. A call's result is
    treated as fresh: its arguments are exposed to that call, which is recorded on its own.
    """
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred, ast.Await)):
            stack.append(node.value)
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            stack.extend(node.elts)
        elif isinstance(node, ast.Dict):
            stack.extend(key for key in node.keys if key is not None)
            stack.extend(node.values)
        elif isinstance(node, ast.IfExp):
            stack.append(node.body)
            stack.append(node.orelse)
        elif isinstance(node, ast.BoolOp):
            stack.extend(node.values)
        elif isinstance(node, ast.NamedExpr):
            stack.append(node.value)
            stack.append(node.target)
        elif isinstance(node, _COMPREHENSIONS):
            # Elements of the first iterable may end up in the result.
            stack.append(node.generators[0].iter)


def _mark_rebound(call: CallSite, rebound: set[str]) -> CallSite:
    def ref(arg: ArgRef) -> ArgRef:
        if arg.kind in ("name", "starred") and arg.value in rebound:
            return ArgRef("rebound", arg.value)
        return arg

    callee = call.callee
    if callee is not None and callee[0] in rebound:
        callee = None
    return replace(
        call,
        callee=callee,
        receiver=None if call.receiver in rebound else call.receiver,
        args=tuple(ref(arg) for arg in call.args),
        keywords=tuple((key, ref(arg)) for key, arg in call.keywords),
    )


# Methods and functions that evaluate an expression given as a string, reading the
# caller's variables by name: pandas' ``df.query("A < @limit")``, ``df.eval(...)``,
# ``pd.eval("df.A * k")``, numexpr's ``evaluate("a + b")``.
_EVALUATING_CALLS = frozenset({"query", "eval", "evaluate"})
_QUOTED = re.compile(r"`[^`]*`|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_IDENTIFIER = re.compile(r"(?<![\w.])@?([A-Za-z_][A-Za-z0-9_]*)")


def evaluated_names(node: ast.Call) -> list[str]:
    """Names an evaluating call's expression string may read (``@limit`` -> ``limit``).

    Every identifier counts (column names too): reading a name that turns out to be a
    column only adds a dependency, and pandas falls back to the caller's variables for
    names that are not columns. Only the literal parts of the string are known.
    """
    func = node.func
    attr = func.attr if isinstance(func, ast.Attribute) else None
    if attr not in _EVALUATING_CALLS:
        return []
    expr = node.args[0] if node.args else None
    for keyword in node.keywords:
        if keyword.arg in ("expr", "ex"):
            expr = keyword.value
    texts: list[str] = []
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        texts.append(expr.value)
    elif isinstance(expr, ast.JoinedStr):
        texts.extend(
            part.value
            for part in expr.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    names: list[str] = []
    for text in texts:
        names.extend(name for name in expression_names(text) if name not in names)
    return names


def evaluates_unknown_string(node: ast.Call) -> bool:
    """Whether an evaluating call's string is computed by an expression, so that the
    names it reads are unknown before it runs: not a literal (an f-string without
    replacement fields is one) and not a plain name (capture reads that string's
    value before the call, see ``StatementExecutor._names_in_expression_variable``)."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr in _EVALUATING_CALLS):
        return False
    expr = node.args[0] if node.args else None
    for keyword in node.keywords:
        if keyword.arg in ("expr", "ex"):
            expr = keyword.value
    if expr is None or isinstance(expr, (ast.Name, ast.Constant)):
        return False
    if isinstance(expr, ast.JoinedStr):
        return any(not isinstance(part, ast.Constant) for part in expr.values)
    return True


def is_evaluating_call(callee: tuple[str, ...] | None) -> bool:
    """Whether a call site's callee evaluates a string expression (see evaluated_names)."""
    return bool(callee) and callee[-1] in _EVALUATING_CALLS  # type: ignore[index]


def expression_names(text: str) -> list[str]:
    """The identifiers of an expression string outside quotes and backticks, once each."""
    names: list[str] = []
    for match in _IDENTIFIER.finditer(_QUOTED.sub(" ", text)):
        name = match.group(1)
        if not keyword_module.iskeyword(name) and name not in names:
            names.append(name)
    return names
