"""The state a traced session keeps between statements, and the queries on it.

The statement executor gets this object, not the session: the namespace, the graph's
node list, object identities and histories, the binder of every name, user function
summaries, call resolution and external state. Everything else a session holds
(blocks, compiled code, its store, its name) is none of the executor's business.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any

from linea_core.capture.calls import CallResolver
from linea_core.capture.external import ExternalFiles
from linea_core.capture.fingerprint import Walker
from linea_core.capture.functions import FunctionSummaries
from linea_core.capture.globalstate import GlobalStateProbes, Probe
from linea_core.capture.objects import AliasSet, ObjectTable
from linea_core.capture.readonly import Proofs
from linea_core.capture.records import MISSING, StatementRun
from linea_core.graph.model import ExternalState, Node, NodeKind
from linea_core.graph.name_sets import NameSets


class TraceState:
    """What running statements reads and updates, for one namespace.

    ``binders`` maps each bound name to the node that bound it last; ``module_sets``
    maps a module's name to the alias set holding its history (changes of a module's
    attributes are changes of every reader of the module); ``current`` is the
    statement running now (``save()`` reads it); ``nodes`` is the graph's node list,
    appended to in execution order.
    """

    def __init__(
        self,
        namespace: dict[str, Any],
        nodes: list[Node],
        *,
        annotation_index: Callable[[], Any],
        linea_paths: Callable[[], tuple[str, ...]],
    ) -> None:
        self.namespace = namespace
        self.nodes = nodes
        self.walker = Walker(namespace)
        self.objects = ObjectTable()
        self.functions = FunctionSummaries(namespace)
        self.calls = CallResolver(namespace, annotation_index)
        self.external = ExternalFiles(linea_paths)
        self.proofs = Proofs(namespace, self.walker, self.objects, lambda: self.calls.index)
        self.binders: dict[str, int] = {}
        self.module_sets: dict[str, AliasSet] = {}
        # hidden library state (see .globalstate); ``ambient`` names the modules whose
        # state every later statement reads, once a statement changed it
        self.probes = GlobalStateProbes()
        self.ambient: set[str] = set()
        # settings probes (see .globalstate ``read_by``) some statement changed
        self.settings: list[Probe] = []
        self.current: StatementRun | None = None
        # Names the host keeps in the namespace for itself (see TracingSession.host_names).
        self.host_names: frozenset[str] = frozenset()
        # One object per distinct set of names in the session's nodes and static facts.
        self.name_sets = NameSets()

    # ------------------------------------------------------------------ nodes
    def next_node_id(self) -> int:
        return len(self.nodes)

    def finish_node(self, node: Node) -> None:
        """Append a statement's final node."""
        if node.id != len(self.nodes):  # pragma: no cover - an engine bug, not user error
            raise RuntimeError(f"node {node.id} recorded out of order")
        self.nodes.append(node)

    # ------------------------------------------------------------ dependencies
    def edges_for_name(self, run: StatementRun, name: str, via: set[str]) -> None:
        """Edges for reading ``name``: its binder and its object's latest history node."""
        binder = self.binders.get(name)
        if binder is not None:
            run.add_edge(binder, (name,), via)
        value = self.namespace.get(name, MISSING)
        if value is MISSING or self.walker.is_scalar(value):
            return
        aset = self.objects.get(value)
        if aset is not None:
            for head, names in aset.head_edges():
                run.add_edge(head, names, via)
            for seen in aset.seen_sets():
                for head, names in seen.head_edges():
                    run.add_edge(head, names, via)
        for klass in self.user_classes_of(value):
            # class attributes are instance state too (``Savings.rate = 0.1``)
            class_set = self.objects.get(klass)
            if class_set is not None:
                for head, names in class_set.head_edges():
                    run.add_edge(head, names, via)
        if isinstance(value, ModuleType) and self.module_sets:
            prefix = value.__name__ + "."
            for module_name, module_set in self.module_sets.items():
                if module_name.startswith(prefix):
                    for head, names in module_set.head_edges():
                        run.add_edge(head, names, via)

    def edges_for_settings(self, run: StatementRun, roots: list[tuple[str, Any]]) -> None:
        """Edges to the latest change of library settings that a value the statement
        reads belongs to (``fig.savefig`` reads matplotlib's ``rcParams``)."""
        for probe in self.settings:
            vias = [name for name, value in roots if _belongs_to(value, probe.read_by)]
            if vias:
                # through the names that hold such values: a pruned loop that no longer
                # uses them (``ax.plot`` dropped) no longer needs the settings
                self.edges_for_setting(run, probe, vias)

    def edges_for_setting(self, run: StatementRun, probe: Probe, vias: Iterable[str] = ()) -> None:
        module_set = self.module_sets.get(probe.module)
        if module_set is not None:
            via = tuple(vias)
            for head, names in module_set.head_edges():
                run.add_edge(head, names, via)

    def edges_for_ambient(self, run: StatementRun) -> None:
        """Edges to the latest changes of ambient library settings (see .globalstate)."""
        for module_name in self.ambient:
            module_set = self.module_sets.get(module_name)
            if module_set is not None:
                for head, names in module_set.head_edges():
                    run.add_edge(head, names, ())

    def user_classes_of(self, value: Any) -> list[type]:
        """The user's classes in the MRO of ``value``'s type (empty for library objects)."""
        tp = type(value)
        is_user_class = self.walker.is_user_class
        if tp is type or not is_user_class(tp):
            return []
        return [klass for klass in tp.__mro__ if is_user_class(klass)]

    # ---------------------------------------------------------------- effects
    def record_external(self, run: StatementRun) -> None:
        """Turn what the audit hook saw during ``run`` into edges and writer records."""
        external = self.external
        if not external.saw_paths and not run.writes:
            return
        for producer in external.read_producers():
            run.add_edge(producer, (), ())
        if run.kind is NodeKind.IMPORT:
            # importing writes caches (bytecode, font lists...), not the user's files
            external.pending_writes.clear()
        if external.commit_writes(run.node_id):
            run.writes.add(ExternalState.FILE_SYSTEM)
        if ExternalState.FILE_SYSTEM in run.writes:
            external.record_file_writer(run.node_id)
        if ExternalState.DB in run.writes:
            external.record_db_writer(run.node_id)

    def mark_everything_mutated(self, node: int) -> None:
        """``node`` may have changed every object of the session (an opaque statement)."""
        objects = self.objects
        walker = self.walker
        host = self.host_names
        for name, value in list(self.namespace.items()):
            if name.startswith("__") or name in host or walker.is_scalar(value):
                continue
            aset = objects.record(value, node, (name,))
            if isinstance(value, ModuleType):
                self.module_sets[value.__name__] = aset
        for aset in list(objects.sets()):
            aset.record(node, ())


def _belongs_to(value: Any, prefixes: tuple[str, ...]) -> bool:
    """Whether ``value`` is a module, or an object of a type, from a package in ``prefixes``."""
    name: object
    if isinstance(value, ModuleType):
        name = value.__name__
    else:
        # a class or function (``Figure``) or an object of a class (``fig``)
        try:
            name = getattr(value, "__module__", None)
        except Exception:  # a proxy whose attribute lookup fails otherwise
            name = None
        if not isinstance(name, str):
            name = type(value).__module__
    if not isinstance(name, str):  # Cython types on Python 3.10
        return False
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)
