"""Errors a user can cause when building or writing a pipeline.

Each message is one line that says what is wrong and what to do. They derive from
``ValueError`` as well as :class:`~linea_core.errors.LineaError` because LineaPy raised
``ValueError`` for bad pipeline arguments and ported code catches it.
"""

from __future__ import annotations

from linea_core.errors import LineaError


class PipelineError(LineaError, ValueError):
    """A pipeline cannot be built or written as asked."""


class InputParameterError(PipelineError):
    """An ``input_parameters`` name is not a single literal assignment."""


class DependencyCycleError(PipelineError):
    """The artifacts' dependencies (given or implied by the code) form a cycle."""


class UnknownFrameworkError(PipelineError):
    """No installed plugin writes pipelines for the framework asked for."""


class PipelineConfigError(PipelineError):
    """``pipeline_dag_config`` has a key the writer does not know or a bad value."""


class PipelineNotFoundError(LineaError, LookupError, ValueError):
    """No stored pipeline definition with that name."""
