"""A session graph as a graphviz picture people can read.

One box per recorded statement, labelled with its text (shortened) and grouped by the
cell or script it ran in; arrows go from a statement to the ones that used its work.
Saved artifacts are named in their own note-shaped nodes, pointing from the statement
that saved them. When one artifact's slice is highlighted, its statements are filled
and the rest of the session is drawn pale around it, so the slice is seen in context.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from linea_core.graph.model import Block, Node, NodeKind, SessionGraph, SliceRoot

MAX_LABEL = 48  # characters of statement text per line in a box
MAX_LINES = 3  # lines of statement text per box

_KIND_SHAPES = {
    NodeKind.STATEMENT: "box",
    NodeKind.IMPORT: "box",
    NodeKind.OPAQUE: "box3d",
    NodeKind.ARTIFACT_GET: "cds",
    NodeKind.ARTIFACT_SAVE: "box",
}
_SLICE_FILL = "#cfe8ff"
_SLICE_BORDER = "#1f5fa8"
_PALE = "#9a9a9a"
_ARTIFACT_FILL = "#ffe9a8"


@dataclass(frozen=True)
class ArtifactMark:
    """An artifact to name in the picture: saved by ``root.save_node``."""

    name: str
    version: int
    root: SliceRoot


@dataclass
class Picture:
    """What to draw: a session graph, the artifacts to name, and an optional slice."""

    graph: SessionGraph
    artifacts: list[ArtifactMark] = field(default_factory=list)
    highlight: frozenset[int] | None = None  # node ids of the slice shown, if any
    cell_label: Callable[[Block], str] | None = None  # "In [3]" in a live notebook
    title: str | None = None


def shorten(source: str, width: int = MAX_LABEL, lines: int = MAX_LINES) -> str:
    """The statement text for a box: at most ``lines`` lines of ``width`` characters."""
    kept = [line.rstrip() for line in source.strip("\n").splitlines() if line.strip()]
    out = []
    for line in kept[:lines]:
        out.append(line if len(line) <= width else line[: width - 1] + "…")
    if len(kept) > lines:
        out[-1] = (out[-1] if len(out[-1]) < width else out[-1][: width - 1]) + " …"
    return "\n".join(out) or "(empty)"


def default_cell_label(block: Block) -> str:
    """A script's file name; for notebook cells (temporary files), their place in the run."""
    name = block.filename
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    if "ipykernel_" in name or name.startswith("<ipython-input"):
        return f"cell run {block.index + 1}"
    return name.rsplit("/", 1)[-1]


def build_dot(picture: Picture) -> Any:
    """The picture as a :class:`graphviz.Digraph` (not rendered yet)."""
    import graphviz

    graph = picture.graph
    highlight = picture.highlight
    label_of = picture.cell_label or default_cell_label
    dot = graphviz.Digraph("lineage", format="svg")
    dot.attr(rankdir="TB", fontname="Helvetica", fontsize="11", newrank="true")
    if picture.title:
        dot.attr(label=picture.title, labelloc="t", fontsize="14")
    dot.attr("node", fontname="Menlo,Consolas,monospace", fontsize="10", style="rounded")
    dot.attr("edge", color="#555555", arrowsize="0.7")
    by_block: dict[int, list[Node]] = {}
    for node in graph.nodes:
        by_block.setdefault(node.block, []).append(node)
    blocks = {block.index: block for block in graph.blocks}
    for index, nodes in by_block.items():
        block = blocks.get(index)
        with dot.subgraph(name=f"cluster_{index}") as cluster:
            cell = label_of(block) if block is not None else f"block {index}"
            cluster.attr(label=cell, style="rounded,dashed", color="#bbbbbb", fontsize="10")
            for node in nodes:
                cluster.node(_node_id(node.id), **_node_attrs(node, cell, highlight))
    for node in graph.nodes:
        for edge in node.deps:
            pale = highlight is not None and not (
                edge.producer in highlight and node.id in highlight
            )
            attrs = {"color": _PALE, "style": "dashed"} if pale else {}
            if edge.names and not pale:
                attrs["tooltip"] = ", ".join(sorted(edge.names))
            dot.edge(_node_id(edge.producer), _node_id(node.id), **attrs)
    for mark in picture.artifacts:
        key = f"artifact_{mark.name}_{mark.version}"
        dot.node(
            key,
            label=f"{mark.name}\nversion {mark.version}",
            shape="note",
            style="filled",
            fillcolor=_ARTIFACT_FILL,
            fontname="Helvetica",
        )
        if mark.root.save_node < len(graph.nodes):
            dot.edge(_node_id(mark.root.save_node), key, color="#b8860b", penwidth="1.5")
    return dot


def _node_id(node_id: int) -> str:
    return f"n{node_id}"


def _node_attrs(node: Node, cell: str, highlight: frozenset[int] | None) -> dict[str, str]:
    text = shorten(node.source)
    where = f"{cell}, line {node.lineno}" if node.lineno > 0 else cell
    attrs = {
        "label": text.replace("\n", "\\l") + "\\l",  # left-justified lines
        "shape": _KIND_SHAPES.get(node.kind, "box"),
        "tooltip": f"{where}\n{node.source}"[:500],
    }
    styles = ["rounded"]
    if highlight is None:
        if node.kind is NodeKind.ARTIFACT_SAVE:
            styles.append("filled")
            attrs["fillcolor"] = _ARTIFACT_FILL
    elif node.id in highlight:
        styles.append("filled")
        attrs.update(fillcolor=_SLICE_FILL, color=_SLICE_BORDER, penwidth="1.6")
    else:
        attrs.update(color=_PALE, fontcolor=_PALE)
    attrs["style"] = ",".join(styles)
    return attrs


def slice_nodes(graph: SessionGraph, root: SliceRoot, name: str) -> frozenset[int]:
    """Node ids of ``name``'s slice, plus its save statement (the picture's anchor)."""
    from linea_core.slicing.closure import Slicer

    piece = Slicer(graph).slice(root, artifact_name=name)
    return frozenset([*piece.kept, root.save_node])


def session_picture(
    graph: SessionGraph,
    artifacts: Iterable[ArtifactMark] = (),
    *,
    cell_label: Callable[[Block], str] | None = None,
) -> Picture:
    """The whole session, artifacts named."""
    return Picture(graph, list(artifacts), None, cell_label, None)


def artifact_picture(
    graph: SessionGraph,
    mark: ArtifactMark,
    *,
    others: Mapping[str, ArtifactMark] | None = None,
    cell_label: Callable[[Block], str] | None = None,
) -> Picture:
    """The session up to ``mark``'s save, its slice highlighted."""
    limit = mark.root.save_node
    trimmed = SessionGraph(
        session_id=graph.session_id,
        blocks=[
            b for b in graph.blocks if any(n.block == b.index for n in graph.nodes[: limit + 1])
        ],
        nodes=list(graph.nodes[: limit + 1]),
    )
    highlight = slice_nodes(graph, mark.root, mark.name)
    marks = [mark, *(m for m in (others or {}).values() if m.root.save_node <= limit and m != mark)]
    title = f"lineage of {mark.name} (version {mark.version})"
    return Picture(trimmed, marks, highlight, cell_label, title)
