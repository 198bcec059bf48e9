"""Tracing every cell an IPython shell runs, while the shell behaves exactly as without linea.

IPython runs a cell as: transform the text (magics become ``get_ipython()`` calls),
parse, apply AST transformers, then ``run_ast_nodes``: compile each top-level statement
(the last expression in ``single`` mode, which is what fills ``Out[n]`` and ``_``) and
``run_code`` it, showing a traceback and stopping at the first error. The tracer
replaces only ``run_ast_nodes`` on the shell instance: it keeps IPython's decisions
(interactivity, compiler flags, cell file names) and hands each compiled statement to
the :class:`~linea_core.capture.session.TracingSession`, which runs it natively and
records its node. Statements that call into IPython (magics, shell escapes) and
top-level ``await`` run through IPython's own ``run_code`` as opaque nodes.

Everything that goes wrong in the user's code is reported the way ``run_code`` reports
it, with linea's frames cut out of the traceback. Everything that goes wrong in linea
itself never stops the user's cell: the statement still runs, untraced.
"""

from __future__ import annotations

import ast
import atexit
import bdb
import os
import sys
import types
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from linea_core.capture.tracebacks import strip_engine_frames
from linea_core.errors import LineaWarning
from linea_core.graph.model import NodeKind
from linea_core.notebook.earlier_names import (
    EARLIER_MARK,
    earlier_names,
    is_ipython_name,
    user_names,
)
from linea_core.notebook.magics import MAGIC_MARK, Magic, classify, comment_text
from linea_core.syntax.source import statement_text

if TYPE_CHECKING:
    from linea_core.capture.session import TracingSession
    from linea_core.context import LineaContext
    from linea_core.graph.model import Block

_NOTEBOOK_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_CO_COROUTINE = 0x0080  # inspect.CO_COROUTINE, without importing inspect
# Cells whose nodes include these may have saved artifacts (a %run can save too).
_MAY_SAVE = frozenset({NodeKind.ARTIFACT_SAVE, NodeKind.OPAQUE})


class LineaNotebookWarning(LineaWarning):
    """Something about the notebook's tracing the user should know (once)."""


class NotebookTracer:
    """One per shell: owns the tracing session and the linea context its cells use.

    The context is created when the extension loads and made current around every
    cell, so ``lineapy.options.set(...)`` in one cell holds for the next ones even
    when the kernel runs each cell in a fresh ``contextvars`` context.
    """

    def __init__(self, shell: Any, context: LineaContext) -> None:
        self.shell = shell
        self.context = context
        self.session: TracingSession | None = None
        self._original_run_ast_nodes: Callable[..., Any] | None = None
        self._running = False
        self._start_over = False
        self._store_url: str | None = None
        self._seen_artifacts: dict[str, int] = {}
        self._checked_nodes = 0  # nodes before this are checked for saves already
        self._earlier: list[str] = user_names(shell.user_ns, shell.user_ns_hidden)
        self.live_views: list[Any] = []

    # ============================================================ lifecycle
    def install(self) -> None:
        shell = self.shell
        self._original_run_ast_nodes = shell.run_ast_nodes
        shell.run_ast_nodes = self.run_ast_nodes
        shell.events.register("post_run_cell", self.post_run_cell)
        atexit.register(self.close)
        if self._earlier:
            shown = ", ".join(self._earlier[:8]) + (", ..." if len(self._earlier) > 8 else "")
            _warn(
                f"linea was loaded after {len(self._earlier)} name(s) were defined ({shown}); "
                "their code was not recorded, so slices that need them say so instead of "
                "recreating them. Load the extension first (restart the kernel) to record everything."
            )

    def uninstall(self) -> None:
        shell = self.shell
        if shell.__dict__.get("run_ast_nodes") == self.run_ast_nodes:
            del shell.run_ast_nodes
        try:
            shell.events.unregister("post_run_cell", self.post_run_cell)
        except ValueError:
            pass
        atexit.unregister(self.close)
        self.close()

    def close(self) -> None:
        """End the session: what it recorded since the last save goes to the store."""
        session, self.session = self.session, None
        if session is None:
            return
        from linea_core.context import use_context

        try:
            with use_context(self.context):
                session.close()
                from linea_core.api.recorded_code import record_session_code

                record_session_code(session)
        except Exception as exc:  # the kernel is shutting down or moving on
            _warn(f"linea could not store the end of the session: {exc}")

    def current_session(self) -> TracingSession:
        """The session the next cell records into (started on first use)."""
        url = str(self.context.options.database_url)
        if self.session is not None and (self._start_over or url != self._store_url):
            self.close()
            self._earlier = user_names(self.shell.user_ns, self.shell.user_ns_hidden)
        self._start_over = False
        if self.session is None:
            from linea_core.capture.session import TracingSession

            ns = self.shell.user_ns
            self.session = TracingSession(namespace=ns, name=_notebook_name(ns))
            self.session.host_names = frozenset(self.shell.user_ns_hidden)
            self._store_url = url
            self._seen_artifacts = {}
            self._checked_nodes = 0
            if self._earlier:
                self._record_earlier_names(self.session)
        return self.session

    def _record_earlier_names(self, session: TracingSession) -> None:
        ns = self.shell.user_ns
        found = earlier_names(ns, [name for name in self._earlier if name in ns])
        self._earlier = []
        if not found.names:
            return
        source = found.source()
        block = session.begin_block(source, "<defined before linea started tracing>")
        for lineno, (_name, statement) in enumerate(found.imports, start=1):
            stmt = ast.parse(statement).body[0]
            code = compile(ast.Module([stmt], []), block.filename, "exec")
            session.run_compiled(block, stmt, code, statement, lineno, lineno)
        if found.untraced:
            line = len(found.imports) + 1
            text = source.splitlines()[-1]
            session.adopt(block, list(found.untraced), text, line, line)

    # ================================================================ cells
    async def run_ast_nodes(
        self,
        nodelist: list[ast.stmt],
        cell_name: str,
        interactivity: str = "last_expr",
        compiler: Any = compile,
        result: Any = None,
    ) -> bool | None:
        """IPython's ``run_ast_nodes``, with every statement traced."""
        original = self._original_run_ast_nodes
        assert original is not None
        info = getattr(result, "info", None)
        if self._running or not nodelist or info is None or info.silent:
            # Silent runs are the front end's (completion, variable viewers), and a cell
            # run from inside a running statement belongs to that statement's node.
            failed: bool | None = await original(
                nodelist, cell_name, interactivity=interactivity, compiler=compiler, result=result
            )
            return failed
        from linea_core.context import use_context

        self._running = True
        try:
            with use_context(self.context):
                return await self._run_cell(
                    nodelist, cell_name, interactivity, compiler, result, info
                )
        finally:
            self._running = False

    async def _run_cell(
        self,
        nodelist: list[ast.stmt],
        cell_name: str,
        interactivity: str,
        compiler: Any,
        result: Any,
        info: Any,
    ) -> bool:
        try:
            session = self.current_session()
            transformed = getattr(info, "transformed_cell", None)  # IPython >= 9
            if transformed is None:
                transformed = self.shell.transform_cell(info.raw_cell)
            cell = _Cell(info.raw_cell, transformed)
            block = session.begin_block(cell.block_source, cell_name)
        except Exception as exc:  # linea must never stop the user's cell
            _warn(f"linea could not start tracing this cell ({exc!r}); it runs untraced.")
            session = None
        originals = {id(node) for node in nodelist}
        try:
            for node, mode in _plan(list(nodelist), interactivity):
                mod: ast.mod = ast.Module([node], []) if mode == "exec" else ast.Interactive([node])
                flags = getattr(ast, "PyCF_ALLOW_TOP_LEVEL_AWAIT", 0) if self.shell.autoawait else 0
                with compiler.extra_flags(flags):
                    code = compiler(mod, cell_name, mode)
                is_async = bool(code.co_flags & _CO_COROUTINE)
                if session is None or id(node) not in originals:
                    # untraced, or a display IPython added (``last_expr_or_assign``)
                    failed = await self.shell.run_code(code, result, async_=is_async)
                elif (magic := classify(node)) is not None or is_async:
                    failed = await self._run_opaque(
                        session, block, cell, node, code, result, magic, is_async
                    )
                else:
                    failed = self._run_traced(session, block, cell, node, code, result)
                if failed:
                    return True
        except BaseException:  # noqa: BLE001 - as IPython: compile errors stop the cell
            if result is not None:
                result.error_before_exec = sys.exc_info()[1]
            self.shell.showtraceback()
            return True
        return False

    def _run_traced(
        self,
        session: TracingSession,
        block: Block,
        cell: _Cell,
        node: ast.stmt,
        code: types.CodeType,
        result: Any,
    ) -> bool:
        """Run one statement under tracing; report its error as ``run_code`` would."""
        shell = self.shell
        text, lineno, end_lineno = cell.statement(node)
        old_hook, sys.excepthook = sys.excepthook, shell.excepthook
        shell.sys_excepthook = old_hook
        try:
            try:
                session.run_compiled(block, node, code, text, lineno, end_lineno)
            finally:
                sys.excepthook = old_hook
        except SystemExit as exc:
            _user_traceback(exc)
            if result is not None:
                result.error_in_exec = exc
            shell.showtraceback((type(exc), exc, exc.__traceback__), exception_only=True)
            # IPython's own warning, word for word and with its category (a plain
            # UserWarning), as its run_code gives it: the notebook behaves as without linea.
            warnings.warn("To exit: use 'exit', 'quit', or Ctrl-D.", stacklevel=1)
        except bdb.BdbQuit as exc:
            if result is not None:
                result.error_in_exec = exc
        except BaseException as exc:  # noqa: BLE001 - reported exactly as IPython would
            _user_traceback(exc)
            if result is not None:
                result.error_in_exec = exc
            if isinstance(exc, shell.custom_exceptions):
                shell.CustomTB(type(exc), exc, exc.__traceback__)
            else:
                shell.showtraceback(
                    (type(exc), exc, exc.__traceback__), tb_offset=0, running_compiled_code=True
                )
        else:
            return False
        return True

    async def _run_opaque(
        self,
        session: TracingSession,
        block: Block,
        cell: _Cell,
        node: ast.stmt,
        code: types.CodeType,
        result: Any,
        magic: Magic | None,
        is_async: bool,
    ) -> bool:
        """A magic, a shell escape or top-level ``await``: IPython runs it, linea records it."""
        text, lineno, end_lineno = cell.statement(node, magic)
        if magic is None:
            effects, note = "unknown", "top-level await: linea cannot trace inside it"
        else:
            effects, note = magic.effects, _magic_note(magic, cell.raw_text(lineno, end_lineno))
            if magic.kind != "ipython":
                text = comment_text(cell.raw_text(lineno, end_lineno))
        with session.untraced(block, lineno, end_lineno, text, note, effects=effects):
            failed: bool = await self.shell.run_code(code, result, async_=is_async)
        if magic is not None and magic.resets:
            self._start_over = True
        return failed

    # ============================================================ after cells
    def post_run_cell(self, result: Any) -> None:
        """After each cell: tell the user about slices that cannot run alone; live pictures."""
        session = self.session
        first_new, self._checked_nodes = (
            self._checked_nodes,
            len(session.graph.nodes) if session else 0,
        )
        if (
            session is None
            or session.store is None
            or not any(node.kind in _MAY_SAVE for node in session.graph.nodes[first_new:])
        ):
            self._refresh_live_views()
            return
        try:
            from linea_core.context import use_context

            with use_context(self.context):
                self._check_new_artifacts(session)
        except Exception as exc:  # checks must never break the notebook
            _warn(f"linea could not check the artifacts saved by this cell: {exc}")
        self._refresh_live_views()

    def _check_new_artifacts(self, session: TracingSession) -> None:
        from linea_core.api.tracing import saved_artifacts

        for name, artifact in saved_artifacts(session).items():
            if self._seen_artifacts.get(name) == artifact.version:
                continue
            self._seen_artifacts[name] = artifact.version
            problem = slice_problem(artifact.get_code())
            if problem:
                _warn(f"the code of artifact {name!r} {problem}")

    def _refresh_live_views(self) -> None:
        for view in list(self.live_views):
            try:
                view.refresh()
            except Exception as exc:
                self.live_views.remove(view)
                _warn(f"linea stopped updating a live picture: {exc}")


def slice_problem(code: str) -> str:
    """Why ``code`` cannot run alone in plain Python, in a sentence; "" when it can."""
    missing: list[str] = []
    magics: list[str] = []
    lines = code.splitlines()
    for position, line in enumerate(lines):
        if line.startswith(EARLIER_MARK):
            missing.extend(n.strip() for n in line[len(EARLIER_MARK) :].split(","))
        elif line.startswith(MAGIC_MARK):
            rest = line[len(MAGIC_MARK) :].strip()
            if not rest and position + 1 < len(lines):  # a cell magic: its first line
                rest = lines[position + 1].removeprefix("# ")
            magics.append(rest)
    unknown = [n for n in _free_names(code) if n not in missing]
    parts = []
    if missing:
        parts.append(f"needs {', '.join(missing)}, defined before linea started tracing")
    if magics:
        parts.append(f"needs what IPython ran for {'; '.join(magics)}")
    if unknown:
        parts.append(f"uses {', '.join(unknown)}, which no recorded code defines")
    if not parts:
        return ""
    return " and ".join(parts) + "; it cannot run on its own (see its get_code())."


def _free_names(code: str) -> list[str]:
    """IPython's own names (``_``, ``Out``, ``_i3``...) the code reads without defining."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    bound = {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del))
    }
    read = [
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    ]
    return sorted({name for name in read if is_ipython_name(name) and name not in bound})


class _Cell:
    """The cell as typed and as IPython transformed it; statements' text and lines."""

    def __init__(self, raw: str, transformed: str) -> None:
        self.raw = raw
        self.transformed = transformed
        self.raw_lines = raw.splitlines()
        self.lines = transformed.splitlines()
        # Line magics and escapes keep their line; a cell magic becomes one line. Any
        # other change of line count (a transformer of the user's) leaves only the
        # transformed text trustworthy.
        self.cell_magic = len(self.lines) <= 1 and raw.lstrip().startswith("%%")
        self.aligned = len(self.raw_lines) == len(self.lines) or self.cell_magic
        self.block_source = raw if self.aligned else transformed

    def statement(self, node: ast.stmt, magic: Magic | None = None) -> tuple[str, int, int]:
        if magic is not None and magic.kind == "cell" and self.cell_magic:
            return self.raw, 1, max(1, len(self.raw_lines))
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        return statement_text(node, self.lines), first, node.end_lineno or first

    def raw_text(self, lineno: int, end_lineno: int) -> str:
        lines = self.raw_lines if self.aligned else self.lines
        return "\n".join(lines[lineno - 1 : end_lineno])


def _plan(nodelist: list[ast.stmt], interactivity: str) -> list[tuple[ast.stmt, str]]:
    """Which statements display their value: IPython's rules for ``interactivity``."""
    if interactivity == "last_expr_or_assign":
        last = nodelist[-1]
        target: ast.expr | None = None
        if isinstance(last, ast.Assign) and len(last.targets) == 1:
            target = last.targets[0]
        elif isinstance(last, (ast.AugAssign, ast.AnnAssign)):
            target = last.target
        if isinstance(target, ast.Name):
            shown = ast.Expr(ast.Name(target.id, ast.Load()))
            nodelist.append(ast.fix_missing_locations(shown))
        interactivity = "last_expr"
    if interactivity == "last_expr":
        interactivity = "last" if isinstance(nodelist[-1], ast.Expr) else "none"
    if interactivity == "none":
        return [(node, "exec") for node in nodelist]
    if interactivity == "last":
        return [*((node, "exec") for node in nodelist[:-1]), (nodelist[-1], "single")]
    if interactivity == "all":
        return [(node, "single") for node in nodelist]
    raise ValueError(f"Interactivity was {interactivity!r}")


def _magic_note(magic: Magic, raw: str) -> str:
    first = raw.strip().splitlines()[0] if raw.strip() else magic.name
    what = {"shell": "shell command", "ipython": "IPython call"}.get(magic.kind, "IPython magic")
    return f"{what} {first}"


def _user_traceback(exc: BaseException) -> None:
    """Cut linea's frames (this module, the engine) from the exception chain, in place."""
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        tb = strip_engine_frames(current.__traceback__)
        while tb is not None and tb.tb_frame.f_code.co_filename.startswith(_NOTEBOOK_DIR):
            tb = tb.tb_next
        if tb is not None:
            current.__traceback__ = tb
        stack.extend(e for e in (current.__cause__, current.__context__) if e is not None)


def _notebook_name(ns: dict[str, Any]) -> str | None:
    """The notebook's file name when the front end tells it (``__session__``)."""
    session = ns.get("__session__")
    if isinstance(session, str) and session:
        return os.path.basename(session)
    return None


def _warn(message: str) -> None:
    warnings.warn_explicit(message, LineaNotebookWarning, "linea", 0)
