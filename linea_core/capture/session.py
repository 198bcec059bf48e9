"""A tracing session: blocks of code run one after another in one namespace and one graph.

A script is one block; each notebook cell run is another block, in whatever order cells
are run, re-runs included: the session only ever appends. Each top-level statement is
compiled on its own (with its original line numbers, so tracebacks and ``inspect`` show
the user's lines) and run with a plain ``exec``; see
:mod:`linea_core.capture.execution` for what is learned around each one. A block is
parsed, compiled and analysed before its first statement runs, and its syntax tree is
dropped then: kept alive, a long script's tree is objects every garbage collection walks.

The graph lives in memory and is written to the store in batches: when ``save()`` needs
it (:meth:`TracingSession.flush`) and when the session ends (:meth:`close`), never per
node.
"""

from __future__ import annotations
import __future__

import ast
import builtins
import gc
import linecache
import os
import sys
import types
import uuid
import warnings
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple

from linea_core.capture.execution import StatementExecutor
from linea_core.capture.external import ExternalFiles, install_audit_hook
from linea_core.capture.opaque import rebind_changed, record_opaque
from linea_core.capture.packages import PackageRecorder
from linea_core.capture.records import (
    MISSING,
    StatementRun,
    StaticInfo,
    scratch_run,
    shared_static_info,
    static_info,
)
from linea_core.capture.runtime import activated
from linea_core.capture.state import TraceState
from linea_core.errors import LineaError, LineaWarning
from linea_core.graph.model import (
    EARLIER_NAMES_NOTE,
    Block,
    Edge,
    ExternalState,
    SaveSite,
    SessionGraph,
    SliceRoot,
)
from linea_core.graph.name_sets import NameSets
from linea_core.syntax.kinds import COMPOUND
from linea_core.syntax.source import as_lines

if TYPE_CHECKING:
    from linea_core.store.repository import Store

_FROM_CONTEXT: Any = object()
_UNSET: Any = object()
# Statements analysed are kept by text for cells run again; a script's statements each
# run once, and every kept analysis is objects each garbage collection walks, so the
# cache is small (analysing a statement again costs tens of microseconds).
_STATIC_CACHE_LIMIT = 4_096


class LineaAnnotationWarning(LineaWarning):
    """The annotation packs could not be loaded; the engine falls back to fingerprints."""


class SessionClosedError(LineaError):
    """Code was run in a session that has already ended."""


class TracingSession:
    """Runs code blocks under tracing and records the graph of their statements.

    ``namespace`` defaults to the ``__dict__`` of a fresh module named ``module_name``
    (``__main__`` for scripts). ``annotations`` is the annotation index to use: by
    default it is built from the current context's packs, lazily, the first time a
    statement has a call to resolve; pass None to run on fingerprints alone.

    The API other layers use (``trace``, ``linea python``, the notebook extension):
    :meth:`run_block` runs the next block (a script, a cell); front ends that compile
    statements themselves use :meth:`begin_block` and :meth:`run_compiled`, record
    code linea cannot look into (a magic) with :meth:`untraced`, and names that existed
    before tracing with :meth:`adopt`; ``flush`` and ``close`` write the graph to a
    store; ``graph``, ``namespace`` and ``host_names`` are the session's views.
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        namespace: dict[str, Any] | None = None,
        module_name: str = "__main__",
        entry_path: str | None = None,
        working_dir: str | None = None,
        annotations: Any = _FROM_CONTEXT,
        session_id: str | None = None,
    ) -> None:
        self.session_id = session_id or str(uuid.uuid4())
        self.name = name
        self.entry_path = entry_path
        self.working_dir = working_dir or os.getcwd()
        self.graph = SessionGraph(session_id=self.session_id)
        if namespace is None:
            self.module: types.ModuleType | None = types.ModuleType(module_name)
            namespace = self.module.__dict__
            namespace["__builtins__"] = builtins
        else:
            self.module = None
            namespace.setdefault("__builtins__", builtins)
        self.namespace: dict[str, Any] = namespace
        self._annotations = annotations
        self.state = TraceState(
            namespace,
            self.graph.nodes,
            annotation_index=self._annotation_index,
            linea_paths=self._linea_paths,
        )
        self.closed = False
        self._static: dict[str, StaticInfo] = {}
        self._static_sets = NameSets()
        self._future_flags = 0
        self._executor = StatementExecutor(self.state)
        self._flushed_blocks = 0
        self._flushed_nodes = 0
        self._store: Store | None = None
        self._recorded_name: Any = _UNSET
        self._packages = PackageRecorder()
        # Save calls run inside a statement: per save statement, artifact name -> runs
        # so far of its save calls; and the first save statement each name ran in
        # (every call saving that name counts, so a slice stopping at any of them
        # stops on the same run: see linea_core.slicing.save_sites).
        self._site_runs: dict[int, dict[str, int]] = {}
        self._site_first: dict[str, int] = {}

    @property
    def external(self) -> ExternalFiles:
        """Files and databases the session's statements read and wrote."""
        return self.state.external

    @property
    def current(self) -> StatementRun | None:
        """The statement running now (``save()`` reads it), or None between statements."""
        return self.state.current

    @property
    def host_names(self) -> frozenset[str]:
        """Names the host puts in the namespace for its own use (IPython's ``open``,
        ``Out``, ``get_ipython``): an opaque statement is not taken to change them."""
        return self.state.host_names

    @host_names.setter
    def host_names(self, names: frozenset[str]) -> None:
        self.state.host_names = frozenset(names)

    # ============================================================== blocks
    def run_block(self, source: str, filename: str | None = None) -> Block:
        """Run ``source`` as the next block; returns the recorded :class:`Block`.

        The whole block is compiled before anything runs, so a syntax error anywhere
        in it runs nothing (as in Python) and records nothing. An exception raised by
        the user's code is re-raised unchanged after its statement's node is recorded;
        later statements of the block do not run. ``filename`` is what tracebacks show
        (default ``<cell N>``).
        """
        self._check_open()
        index = len(self.graph.blocks)
        if filename is None:
            filename = f"<cell {index + 1}>"
        lines = as_lines(source)
        # Parsing, compiling and analysing the whole block is linea's own work (no user
        # code runs in it) and makes a Python object of every syntax node: hundreds of
        # thousands for a long script. Left alive, every full garbage collection while
        # the script runs walks them again, which made the cost per statement grow
        # with the script's length. So the collector is paused while they exist and
        # only what running needs is kept: code, text, lines and the analysis.
        with _collector_paused():
            tree = ast.parse(source, filename)
            flags = self._future_flags | _future_flags(tree, filename, lines)
            prepared = deque(
                self._prepare(stmt, filename, flags, lines, docstring=index == 0 and position == 0)
                for position, stmt in enumerate(tree.body)
            )
            del tree
        self._future_flags = flags
        block = Block(index=index, source=source, filename=filename)
        self.graph.blocks.append(block)
        if filename.startswith("<") or not os.path.exists(filename):
            _register_source(filename, source)
        install_audit_hook()
        with activated(self):
            while prepared:  # each statement's analysis is dropped once it has run
                self._run(block, prepared.popleft())
        return block

    def _prepare(
        self, stmt: ast.stmt, filename: str, flags: int, lines: list[str], *, docstring: bool
    ) -> _Prepared:
        text = _statement_text(stmt, lines)
        first = _first_line(stmt)
        return _Prepared(
            _compile(stmt, filename, flags, docstring=docstring),
            text,
            first,
            stmt.end_lineno or first,
            self._static_info(stmt, text),
        )

    def _check_open(self) -> None:
        if self.closed:
            raise SessionClosedError("This tracing session has ended; start a new one.")

    def _static_info(self, stmt: ast.stmt, text: str) -> StaticInfo:
        info = self._static.get(text)
        if info is None:
            if len(self._static) >= _STATIC_CACHE_LIMIT:
                self._static.clear()
                # its own table, so sets only the cache used are freed with it
                self._static_sets = NameSets()
            info = shared_static_info(static_info(stmt), self._static_sets)
            self._static[text] = info
        return info

    def _run(self, block: Block, statement: _Prepared) -> None:
        run = StatementRun(
            node_id=len(self.graph.nodes),
            block=block.index,
            lineno=statement.lineno,
            end_lineno=statement.end_lineno,
            source=statement.text,
            info=statement.info,
        )
        self._executor.run(run, statement.code, block.filename)

    # ============================================================= values
    def values(self) -> dict[str, Any]:
        """The user's variables: the namespace without dunder names."""
        return {
            name: value
            for name, value in self.namespace.items()
            if not (name.startswith("__") and name.endswith("__"))
        }

    # ================================================================ save
    def slice_root(self, reference: object, name: str | None = None) -> SliceRoot:
        """What ``reference`` depends on right now (called by ``save`` while it runs).

        For ``file_system`` / ``db`` that is every node that wrote files / databases.
        For a value passed by name (``save(df, "d")``) it is the name's binder and its
        object's history; for a value computed inside the save statement
        (``save(df.mean(), "m")``) it is everything that statement reads, and
        ``value_in_save`` is set.
        """
        run = self.current
        save_node = run.node_id if run is not None else len(self.graph.nodes) - 1
        if isinstance(reference, ExternalState):
            if reference is ExternalState.FILE_SYSTEM:
                writers = list(self.external.all_file_writers)
                if run is not None and self.external.pending_writes:
                    writers.append(run.node_id)
            else:
                writers = list(self.external.db_writers)
            edges = tuple(Edge(node, frozenset(), frozenset()) for node in dict.fromkeys(writers))
            return SliceRoot(save_node=save_node, edges=edges)
        if run is None:
            return self._slice_root_outside_statement(reference, save_node)
        nested = self._save_site(run, name)
        if nested is not None:
            return nested
        ns = self.namespace
        names = [
            name
            for name in run.info.save_names
            if name in run.reads and ns.get(name, MISSING) is reference
        ]
        if not names:
            names = [name for name in run.reads if ns.get(name, MISSING) is reference]
        if names:
            return SliceRoot(save_node=save_node, edges=self._edges_for(names, run.node_id))
        self._add_external_reads(run)
        linea_names = self._linea_only_names(run)
        edges = tuple(
            Edge(producer, frozenset(found), frozenset(via))
            for producer, (found, via) in sorted(run.edges.items())
            if not via or not via <= linea_names
        )
        return SliceRoot(save_node=save_node, edges=edges, value_in_save=True)

    def record_artifact_read(self, name: str, version: int) -> None:
        """``lineapy.get`` returned this version while the current statement ran."""
        run = self.current
        if run is not None:
            run.artifact_reads.append((name, version))

    def _save_site(self, run: StatementRun, name: str | None) -> SliceRoot | None:
        """The root of a save that ran inside the statement (a loop, a called function).

        None for a save that is the statement's own top-level call, which the slice
        replaces by what precedes it. Otherwise the slice keeps the statement and
        stops at the call (see :mod:`linea_core.slicing.save_sites`), so the root
        records where the call is and how many times a call saving ``name`` had run.
        """
        frame = _caller_of_linea()
        if frame is None:
            return None
        self._add_external_reads(run)
        edges = tuple(
            Edge(producer, frozenset(found), frozenset(via))
            for producer, (found, via) in sorted(run.edges.items())
        )
        if frame.f_globals is not self.namespace:
            where = frame.f_globals.get("__name__", "?")
            return SliceRoot(
                save_node=run.node_id,
                edges=edges,
                missing=(
                    f"the value was saved by {frame.f_code.co_name}() in module {where}, "
                    "outside the traced code, so linea cannot stop this code where the value "
                    "was ready; save it from the traced code instead"
                ),
            )
        line, column = _frame_position(frame)
        filename = frame.f_code.co_filename
        node_id, first_line = self._node_at(run, filename, line)
        if node_id is None and frame.f_code.co_name == "<module>":
            # Code the statement ran with exec (``exec("lineapy.save(x, 'x')")``): as
            # the statement's own save when it runs once, as it does in a simple one.
            if not _nested_save(run.source, 0):
                return None
        if node_id is None:
            return SliceRoot(
                save_node=run.node_id,
                edges=edges,
                missing=(
                    f"the value was saved by code linea did not trace ({filename}, line "
                    f"{line}), so linea cannot stop this code where the value was ready"
                ),
            )
        relative = line - first_line + 1
        if node_id == run.node_id and frame.f_code.co_name == "<module>":
            if not _nested_save(run.source, relative):
                return None
        key = name if name is not None else f"{node_id}:{relative}:{column}"
        counts = self._site_runs.setdefault(run.node_id, {})
        counts[key] = counts.get(key, 0) + 1
        first = self._site_first.setdefault(key, run.node_id)
        site = SaveSite(node_id, relative, column, counts[key], armed=first < run.node_id)
        return SliceRoot(save_node=run.node_id, edges=edges, site=site)

    def _node_at(self, run: StatementRun, filename: str, line: int) -> tuple[int | None, int]:
        """The statement (the running one, else the latest) whose lines in ``filename``
        hold ``line``, and its first line."""
        blocks = self.graph.blocks
        if blocks[run.block].filename == filename and run.lineno <= line <= run.end_lineno:
            return run.node_id, run.lineno
        for node in reversed(self.graph.nodes):
            if node.lineno <= line <= node.end_lineno and blocks[node.block].filename == filename:
                return node.id, node.lineno
        return None, 0

    def _linea_only_names(self, run: StatementRun) -> set[str]:
        """Names the statement uses only to call ``save`` (``lineapy`` in ``lineapy.save``).

        The slice of a value computed inside ``save(...)`` keeps the expression, not the
        save call, so it does not need linea's import unless it also uses linea itself.
        """
        if run.linea != {"save"}:
            return set()
        linea = sys.modules.get("linea_core")
        return {
            name
            for name in run.reads
            if linea is not None and self.namespace.get(name, MISSING) is linea
        }

    def edges_of(self, name: str) -> tuple[Edge, ...]:
        """What the current value of variable ``name`` depends on (its binder and history)."""
        return self._edges_for([name], len(self.graph.nodes))

    def _slice_root_outside_statement(self, reference: object, save_node: int) -> SliceRoot:
        names = [
            name
            for name, value in self.namespace.items()
            if value is reference and not name.startswith("__")
        ]
        if not names:
            raise LineaError(
                "save() was called outside the traced statements of this session and the "
                "value is not bound to any variable; save it from the traced code instead."
            )
        return SliceRoot(save_node=save_node, edges=self._edges_for(names, save_node + 1))

    def _edges_for(self, names: list[str], node_id: int) -> tuple[Edge, ...]:
        scratch = scratch_run(node_id)
        for name in names:
            self.state.edges_for_name(scratch, name, {name})
        return tuple(
            Edge(producer, frozenset(found), frozenset(via))
            for producer, (found, via) in sorted(scratch.edges.items())
        )

    def _add_external_reads(self, run: StatementRun) -> None:
        for producer in self.external.read_producers():
            run.add_edge(producer, (), ())

    # =============================================================== store
    def flush(self, store: Store) -> None:
        """Write blocks and nodes not yet stored, in one ``append_graph`` call.

        Called by ``save()`` while the save statement runs: that statement's node is not
        final yet, so a provisional version of it (its dependencies known so far) is
        written too, so that the artifact's code can be read back at once.
        """
        if self._store is not None and store is not self._store:
            # the configuration now points at another store (options.set("database_url",
            # ...)): it gets the whole graph, not just what the old one had not seen
            self._flushed_blocks = self._flushed_nodes = 0
            self._recorded_name = _UNSET
        if self._recorded_name is _UNSET or self._recorded_name != self.name:
            ensure = getattr(store, "ensure_session", None)
            if ensure is not None:
                ensure(
                    self.session_id,
                    name=self.name,
                    working_dir=self.working_dir,
                    entry_path=self.entry_path,
                )
            self._recorded_name = self.name
        blocks = self.graph.blocks[self._flushed_blocks :]
        nodes = list(self.graph.nodes[self._flushed_nodes :])
        run = self.current
        if run is not None and not run.flushed:
            self._add_external_reads(run)
            nodes.append(run.node(sets=self.state.name_sets))
            run.flushed = True
        if blocks or nodes:
            store.append_graph(self.session_id, blocks, nodes)
        # Distributions and versions of what the session imported, for pinned pipelines.
        record_packages = getattr(store, "record_packages", None)
        if record_packages is not None:
            record_packages(self.session_id, self._packages.scan(self.graph.nodes))
        self._flushed_blocks = len(self.graph.blocks)
        self._flushed_nodes = len(self.graph.nodes)
        self._store = store

    @property
    def store(self) -> Store | None:
        """The store the session was written to by ``save``, or None."""
        return self._store

    def close(self) -> None:
        """End the session: write what is left if the session was ever stored."""
        if self.closed:
            return
        self.closed = True
        if self._store is not None:
            self.flush(self._store)

    # ====================================================== notebook cells
    # For front ends that parse and compile a block themselves (the IPython extension,
    # linea_core.notebook): IPython has turned magics into Python, decides which
    # statement displays its value, and compiles with its own flags. They start the
    # block, hand over statements one by one, and record what linea cannot look into
    # (magics, shell escapes, names that existed before tracing) as opaque nodes.

    def begin_block(self, source: str, filename: str) -> Block:
        """Append a block whose statements the caller runs with :meth:`run_compiled`.

        ``source`` is what the user wrote (the session code shows it); statements'
        line numbers refer to its lines.
        """
        if self.closed:
            raise SessionClosedError("This tracing session has ended; start a new one.")
        block = Block(index=len(self.graph.blocks), source=source, filename=filename)
        self.graph.blocks.append(block)
        install_audit_hook()
        return block

    def run_compiled(
        self,
        block: Block,
        stmt: ast.stmt,
        code: types.CodeType,
        text: str,
        lineno: int,
        end_lineno: int,
    ) -> None:
        """Run one statement of ``block``, compiled by the caller, under tracing.

        ``text`` is the statement as recorded (shown in slices). The user's exception
        is re-raised unchanged once the node is recorded, as in :meth:`run_block`.
        """
        if self.closed:
            raise SessionClosedError("This tracing session has ended; start a new one.")
        prepared = _Prepared(code, text, lineno, end_lineno, self._static_info(stmt, text))
        with activated(self):
            self._run(block, prepared)

    @contextmanager
    def untraced(
        self,
        block: Block,
        lineno: int,
        end_lineno: int,
        text: str,
        note: str,
        *,
        effects: str = "unknown",
    ) -> Iterator[None]:
        """Record what runs inside the ``with`` as one opaque node (a magic, a shell escape).

        ``effects`` says what it may have done besides rebinding names (which is always
        checked): ``"none"`` (display or environment only: ``%matplotlib``), ``"files"``
        (reads and writes files, nothing in the process: ``!wget``) or ``"unknown"``
        (anything: it then depends on every earlier node and changes every object).
        The node is recorded even when the body raises.
        """
        if self.closed:
            raise SessionClosedError("This tracing session has ended; start a new one.")
        run = StatementRun(
            node_id=len(self.graph.nodes),
            block=block.index,
            lineno=lineno,
            end_lineno=end_lineno,
            source=text,
            info=StaticInfo(None, frozenset(), frozenset(), note),
            opaque=note,
        )
        before = dict(self.namespace)
        if effects == "unknown":
            for producer in range(run.node_id):
                run.add_edge(producer, (), ())
        elif effects == "files":
            for producer in self.external.all_file_writers:
                run.add_edge(producer, (), ())
        self.external.begin_statement()
        state = self.state
        state.current = run
        try:
            with activated(self):
                yield
        finally:
            state.current = None
            if effects == "unknown":
                record_opaque(state, run, before)
            else:
                rebind_changed(state, run.node_id, before)
                if effects == "files":
                    run.writes.add(ExternalState.FILE_SYSTEM)
                    self.external.record_file_writer(run.node_id)
                    self.external.record_unknown_writer(run.node_id)
                state.finish_node(run.node(sets=state.name_sets))

    def adopt(
        self, block: Block, names: list[str], text: str, lineno: int, end_lineno: int
    ) -> None:
        """Record ``names`` as bound by one opaque node whose ``text`` says where they came from.

        For names that exist in the namespace but were not made by traced code (they
        existed before tracing began): a slice that needs them keeps ``text``.
        """
        node = len(self.graph.nodes)
        run = StatementRun(
            node_id=node,
            block=block.index,
            lineno=lineno,
            end_lineno=end_lineno,
            source=text,
            info=StaticInfo(None, frozenset(), frozenset()),
            opaque=EARLIER_NAMES_NOTE + ", ".join(names),
        )

        state = self.state
        for name in names:
            state.binders[name] = node
            value = self.namespace.get(name, MISSING)
            if value is not MISSING and not state.walker.is_scalar(value):
                state.objects.record(value, node, (name,))
        state.finish_node(run.node(sets=state.name_sets))

    def reload_annotations(self) -> None:
        """Load annotation packs again before the next statement (``lineapy.reload()``)."""
        if self._annotations is _FROM_CONTEXT:
            self.state.calls.forget_index()

    # ================================================================ misc
    def _annotation_index(self) -> Any:
        if self._annotations is not _FROM_CONTEXT:
            return self._annotations
        try:
            from linea_core.annotations import AnnotationIndex
        except ImportError:
            return None
        try:
            from linea_core.context import current_context

            context = current_context()
            packs = context.plugins.annotation_packs()
            folder = context.options.customized_annotation_folder
            return AnnotationIndex.from_packs(packs, folder)
        except Exception as exc:  # bad packs must not stop the user's program
            warnings.warn(
                f"linea could not load annotation packs ({exc}); it falls back to comparing "
                "objects before and after each call, which is slower but still sound.",
                LineaAnnotationWarning,
                stacklevel=2,
            )
            return None

    def _linea_paths(self) -> tuple[str, ...]:
        """Folders and files linea itself writes to (its writes are not the user's)."""
        from linea_core.context import current_context

        options = current_context().options
        paths = [str(options.home_dir)]
        storage = str(options.artifact_storage_dir)
        if "://" not in storage:
            paths.append(os.path.abspath(storage))
        url = str(options.database_url)
        if url.startswith("sqlite:///"):
            paths.append(os.path.abspath(url[len("sqlite:///") :]))
        return tuple(paths)

    def __repr__(self) -> str:
        return (
            f"TracingSession(id={self.session_id!r}, name={self.name!r}, "
            f"blocks={len(self.graph.blocks)}, nodes={len(self.graph.nodes)})"
        )


# ================================================================= saves
_LINEA_PACKAGE = "linea_core"


def _caller_of_linea() -> types.FrameType | None:
    """The innermost frame outside linea: the code that called ``save``."""
    frame: types.FrameType | None = sys._getframe(1)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if not (
            isinstance(module, str)
            and (module == _LINEA_PACKAGE or module.startswith(_LINEA_PACKAGE + "."))
        ):
            return frame
        frame = frame.f_back
    return None


def _frame_position(frame: types.FrameType) -> tuple[int, int]:
    """(line, column) of the call running in ``frame``; column -1 when not known."""
    line = frame.f_lineno
    positions = getattr(frame.f_code, "co_positions", None)  # Python 3.11+
    if positions is not None and frame.f_lasti >= 0:
        try:
            found = list(positions())[frame.f_lasti // 2]
        except (IndexError, ValueError):
            return line, -1
        if found[0] is not None and found[2] is not None:
            return found[0], found[2]
    return line, -1


_SCOPES = (
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.Lambda,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
)


def _nested_save(source: str, line: int) -> bool:
    """Whether the save call at ``line`` of a statement run at module level is nested:
    in a compound statement's body or a comprehension (it may run several times)."""
    try:
        stmt = ast.parse(source).body[0]
    except (SyntaxError, IndexError):
        return True
    if isinstance(stmt, COMPOUND):
        return True
    for sub in ast.walk(stmt):
        if isinstance(sub, _SCOPES) and sub.lineno <= line <= (sub.end_lineno or sub.lineno):
            return True
    return False


# ================================================================ scripts
@contextmanager
def script_environment(
    session: TracingSession, path: str, argv: list[str] | None = None, *, restore: bool = True
) -> Iterator[str]:
    """Make the interpreter look as ``python PATH ARGV...`` would: ``sys.argv``,
    ``sys.path[0]``, ``__file__``, ``sys.modules["__main__"]``. Yields the absolute path.

    With ``restore`` (for :func:`linea_core.trace`), everything is put back afterwards;
    the ``linea python`` command does not restore (the process ends with the script).
    """
    absolute = os.path.abspath(path)
    ns = session.namespace
    ns["__file__"] = absolute
    ns.setdefault("__doc__", None)
    ns.setdefault("__package__", None)
    ns.setdefault("__spec__", None)
    ns.setdefault("__cached__", None)
    try:
        from importlib.machinery import SourceFileLoader

        ns["__loader__"] = SourceFileLoader("__main__", absolute)
    except Exception:  # pragma: no cover - importlib always has it
        pass
    saved_argv = sys.argv
    saved_path = list(sys.path)
    saved_main = sys.modules.get("__main__")
    sys.argv = [path, *(argv or [])]
    script_dir = os.path.dirname(os.path.realpath(absolute))
    if restore:
        sys.path.insert(0, script_dir)
    elif sys.path:
        sys.path[0] = script_dir
    else:  # pragma: no cover - sys.path is never empty in practice
        sys.path.append(script_dir)
    if session.module is not None and ns.get("__name__") == "__main__":
        sys.modules["__main__"] = session.module
    try:
        yield absolute
    finally:
        if restore:
            sys.argv = saved_argv
            sys.path[:] = saved_path
            if saved_main is not None:
                sys.modules["__main__"] = saved_main


def read_script(path: str) -> str:
    """The script's text, decoded as Python decodes source files (PEP 263 cookies)."""
    import tokenize

    with tokenize.open(path) as handle:
        return handle.read()


# ========================================================== compilation
def _future_flags(tree: ast.Module, filename: str, lines: list[str]) -> int:
    """Compiler flags from ``from __future__`` imports, which must lead the block."""
    flags = 0
    leading = True
    for position, stmt in enumerate(tree.body):
        is_docstring = (
            position == 0
            and isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str)
        )
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
            if not leading:
                text = lines[stmt.lineno - 1] if stmt.lineno <= len(lines) else ""
                raise SyntaxError(
                    "from __future__ imports must occur at the beginning of the file",
                    (filename, stmt.lineno, stmt.col_offset + 1, text),
                )
            for alias in stmt.names:
                feature = getattr(__future__, alias.name, None)
                if feature is not None:
                    flags |= feature.compiler_flag
        elif not is_docstring:
            leading = False
    return flags


class _Prepared(NamedTuple):
    """A statement ready to run: all a block keeps of it once its syntax tree is gone."""

    code: types.CodeType | None
    text: str
    lineno: int
    end_lineno: int
    info: StaticInfo


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector around linea's own allocations (if it runs)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _compile(
    stmt: ast.stmt, filename: str, flags: int, *, docstring: bool
) -> types.CodeType | None:
    """Compile one statement with its own line numbers.

    A bare string after the first statement has no effect when run, but compiled alone
    it would look like a module docstring and overwrite ``__doc__``: it is not run.
    """
    if (
        not docstring
        and isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    ):
        return None
    module = ast.Module(body=[stmt], type_ignores=[])
    code: types.CodeType = compile(module, filename, "exec", flags=flags, dont_inherit=True)
    return code


def _register_source(filename: str, source: str) -> None:
    """Let tracebacks and ``inspect`` show lines of code that has no file."""
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    linecache.cache[filename] = (len(source), None, lines, filename)


def _first_line(stmt: ast.stmt) -> int:
    decorators: list[ast.expr] | None = getattr(stmt, "decorator_list", None)
    if decorators:
        return min(stmt.lineno, *(d.lineno for d in decorators))
    return stmt.lineno


def _statement_text(stmt: ast.stmt, lines: list[str]) -> str:
    """The statement's exact text (see :func:`linea_core.syntax.source.statement_text`),
    cut from the block's lines without rescanning the whole block per statement."""
    from linea_core.syntax.source import cut, statement_text

    start = _first_line(stmt)
    end = stmt.end_lineno or start
    if start == end and start == stmt.lineno:
        return cut(lines[start - 1], stmt.col_offset, stmt.end_col_offset)
    window = lines[start - 1 : end]
    shifted = _Shifted(stmt, start - 1)
    return statement_text(shifted, window)  # type: ignore[arg-type]


class _Shifted:
    """A statement viewed with line numbers relative to a window of the block's lines."""

    def __init__(self, stmt: ast.stmt, offset: int) -> None:
        self.lineno = stmt.lineno - offset
        self.end_lineno = (stmt.end_lineno or stmt.lineno) - offset
        self.col_offset = stmt.col_offset
        self.end_col_offset = stmt.end_col_offset
        decorators = getattr(stmt, "decorator_list", None) or []
        self.decorator_list = [_ShiftedExpr(d, offset) for d in decorators]


class _ShiftedExpr:
    def __init__(self, expr: ast.expr, offset: int) -> None:
        self.lineno = expr.lineno - offset
        self.col_offset = expr.col_offset
