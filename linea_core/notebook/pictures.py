"""``lineapy.visualize()``: the notebook session's graph, inline, optionally kept up to date."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from linea_core.errors import LineaError

if TYPE_CHECKING:
    from linea_core.drawing import Picture
    from linea_core.notebook.tracer import NotebookTracer


def visualize(*, live: bool = False) -> None:
    """Show the graph of this notebook's session inline (SVG), artifacts named.

    With ``live=True`` the picture is redrawn after every cell (it costs a graphviz
    run per cell, so it is off by default). Needs the extension
    (``%load_ext linea_core``) and graphviz.
    """
    from IPython.display import SVG, display

    from linea_core.drawing import to_svg

    view = LiveView(_tracer())
    svg = to_svg(view.picture())
    if not live:
        display(SVG(svg))
        return
    view.handle = display(SVG(svg), display_id=True)
    view.tracer.live_views.append(view)


class LiveView:
    """One displayed picture that the tracer redraws after each cell."""

    def __init__(self, tracer: NotebookTracer) -> None:
        self.tracer = tracer
        self.handle: Any = None

    def picture(self) -> Picture:
        from linea_core.api.tracing import saved_artifacts
        from linea_core.context import use_context
        from linea_core.drawing import ArtifactMark, session_picture

        session = self.tracer.current_session()
        with use_context(self.tracer.context):
            marks = [
                ArtifactMark(name, artifact.version, root)
                for name, artifact in saved_artifacts(session).items()
                if (root := artifact._graph_and_root()[1]) is not None
            ]
        compiler = getattr(self.tracer.shell, "compile", None)
        numbers = getattr(compiler, "_filename_map", {})

        def cell_label(block: Any) -> str:
            number = numbers.get(block.filename)
            if isinstance(number, int):
                return f"In [{number}]"
            from linea_core.drawing.picture import default_cell_label

            return default_cell_label(block)

        return session_picture(session.graph, marks, cell_label=cell_label)

    def refresh(self) -> None:
        from IPython.display import SVG

        from linea_core.drawing import to_svg

        if self.handle is not None:
            self.handle.update(SVG(to_svg(self.picture())))


def _tracer() -> NotebookTracer:
    from IPython import get_ipython

    from linea_core.notebook import tracer_of

    tracer = tracer_of(get_ipython())
    if tracer is None:
        raise LineaError(
            "visualize() draws the notebook's session: load the extension first with "
            "`%load_ext linea_core`. For a saved artifact use lineapy.get(NAME).visualize(path)."
        )
    return tracer
