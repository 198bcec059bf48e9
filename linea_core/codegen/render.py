"""Turning a :class:`~linea_core.slicing.closure.Slice` into source text.

The format is a contract (tests hold exact expected slices): kept statements in
execution order, each as its original text, joined with ``"\\n"``, no blank lines,
one trailing ``"\\n"``. Statements the user wrote on one physical line
(``a = 1; b = 2``) come out as that line. With ``include_non_slice_as_comment``,
every other statement of the session up to the save appears at its place as
``# <line>`` comments, including the lines pruned out of a compound statement, so a
reader sees the whole story with only the slice live.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from linea_core.graph.model import Block, Node, NodeKind, SessionGraph, share_a_line
from linea_core.slicing.closure import KeptNode, Slice
from linea_core.syntax.source import LINE_BREAK

OPAQUE_COMMENT = "# linea: kept whole, could not analyse: "


def _lines(text: str) -> list[str]:
    return LINE_BREAK.split(text)


def commented(text: str) -> list[str]:
    """``text`` as comment lines, one ``# <line>`` per line."""
    return [f"# {line}".rstrip() for line in _lines(text)]


class _Renderer:
    def __init__(self, graph: SessionGraph, piece: Slice, with_comments: bool) -> None:
        self.graph = graph
        self.nodes = graph.nodes
        self.kept = piece.kept
        self.with_comments = with_comments
        self.out: list[str] = []
        self._setup_done: set[str] = set()
        self._block_lines: dict[int, list[str]] = {}
        self._blocks: dict[int, Block] | None = None

    # -- helpers ------------------------------------------------------------------

    def _lines_of_block(self, index: int) -> list[str] | None:
        lines = self._block_lines.get(index)
        if lines is None:
            if self._blocks is None:
                self._blocks = {b.index: b for b in self.graph.blocks}
            block = self._blocks.get(index)
            if block is None:
                return None
            lines = self._block_lines[index] = _lines(block.source)
        return lines

    def _line_group(self, node_id: int, limit: int) -> range:
        """Ids of the top-level statements sharing physical lines with ``node_id``."""
        nodes = self.nodes
        low = node_id
        while low > 0 and share_a_line(nodes[low - 1], nodes[low]):
            low -= 1
        high = node_id
        while high + 1 <= limit and share_a_line(nodes[high], nodes[high + 1]):
            high += 1
        return range(low, high + 1)

    def _span(self, members: range) -> str | None:
        """The source of several statements written on shared lines, exactly as written.

        Located by walking the statements' own texts along the block's lines; if
        the texts cannot be found (a graph whose sources were normalised), None.
        """
        nodes = [self.nodes[i] for i in members]
        lines = self._lines_of_block(nodes[0].block)
        if lines is None or nodes[-1].end_lineno > len(lines):
            return None
        line_no = 0
        pos = 0
        start_col = 0
        for index, node in enumerate(nodes):
            src = _lines(node.source)
            if node.lineno != line_no:
                pos = 0
            line = lines[node.lineno - 1]
            start = line.find(src[0], pos)
            if start < 0:
                return None
            if index == 0:
                start_col = start
            if len(src) == 1:
                pos = start + len(src[0])
            else:
                if not lines[node.end_lineno - 1].startswith(src[-1]):
                    return None
                pos = len(src[-1])
            line_no = node.end_lineno
        first, last = nodes[0], nodes[-1]
        if first.lineno == last.end_lineno:
            return lines[first.lineno - 1][start_col:pos]
        chunk = lines[first.lineno - 1 : last.end_lineno]
        chunk[0] = chunk[0][start_col:]
        chunk[-1] = chunk[-1][:pos]
        return "\n".join(chunk)

    # -- emitting -----------------------------------------------------------------

    def _emit_kept(self, node: Node, kept: KeptNode) -> None:
        for line in kept.setup:
            if line not in self._setup_done:
                self._setup_done.add(line)
                self.out.append(line)
        if self.with_comments and node.kind is NodeKind.OPAQUE and node.note:
            self.out.append(OPAQUE_COMMENT + " ".join(node.note.split()))
        if self.with_comments and not kept.whole and node.kind is NodeKind.STATEMENT:
            self.out.extend(_merge_pruned(node.source, kept.text))
        else:
            self.out.append(kept.text)

    def _emit_node(self, node_id: int) -> None:
        kept = self.kept.get(node_id)
        if kept is not None:
            self._emit_kept(self.nodes[node_id], kept)
        elif self.with_comments:
            self.out.extend(commented(self.nodes[node_id].source))

    def render(self, ids: Iterator[int], limit: int) -> str:
        done_until = -1
        for node_id in ids:
            if node_id <= done_until:
                continue
            node = self.nodes[node_id]
            if (node_id > 0 and share_a_line(self.nodes[node_id - 1], node)) or (
                node_id < limit and share_a_line(node, self.nodes[node_id + 1])
            ):
                group = self._line_group(node_id, limit)
                done_until = group[-1]
                members = [self.kept.get(i) for i in group]
                if all(m is not None and m.whole and not m.setup for m in members):
                    span = self._span(group)
                    if span is not None:
                        self.out.append(span)
                        continue
                elif self.with_comments and all(m is None for m in members):
                    span = self._span(group)
                    if span is not None:
                        self.out.extend(commented(span))
                        continue
                for member in group:
                    self._emit_node(member)
                continue
            self._emit_node(node_id)
        return "\n".join(self.out) + "\n" if self.out else ""


def _merge_pruned(original: str, pruned: str) -> list[str]:
    """The pruned statement with the lines pruning removed shown as comments in place."""
    old = _lines(original)
    new = _lines(pruned)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(new[j1:j2])
            continue
        out.extend(f"# {line}".rstrip() for line in old[i1:i2])
        out.extend(new[j1:j2])
    return out


def render_slice(
    graph: SessionGraph, piece: Slice, *, include_non_slice_as_comment: bool = False
) -> str:
    """The source text of ``piece`` (see the module docstring for the format)."""
    limit = piece.root.save_node
    renderer = _Renderer(graph, piece, include_non_slice_as_comment)
    if piece.missing and not piece.missing_said:
        renderer.out.extend(missing_comment(piece.missing))
    ids: Iterator[int] = (
        iter(range(limit + 1)) if include_non_slice_as_comment else iter(piece.kept)
    )
    return renderer.render(ids, limit)


MISSING_COMMENT = "# linea: this code does not reproduce the artifact's value: "


def missing_comment(reason: str) -> list[str]:
    """The comment a slice that cannot reproduce its value starts with."""
    return [MISSING_COMMENT + " ".join(reason.split())]


def session_code(graph: SessionGraph) -> str:
    """Everything the session ran, block after block, comments and blank lines included."""
    return "\n".join(block.source for block in graph.blocks)
