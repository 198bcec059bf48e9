"""The pipeline model and the helpers writer plugins build on (public plugin API).

A writer plugin receives a :class:`Pipeline` and renders files from it; see
``docs/plugins.md`` ("Writing a pipeline writer"). Everything a writer needs is
importable from here, except writer options (:mod:`linea_core.pipeline.options`,
which imports pydantic: import it where your writer validates, not at module top).
Importing this package is cheap: jinja2 is loaded only by the template helpers.
"""

from __future__ import annotations

from linea_core.pipeline.errors import (
    DependencyCycleError,
    InputParameterError,
    PipelineConfigError,
    PipelineError,
    UnknownFrameworkError,
)
from linea_core.pipeline.files import PipelineFile, module_file, requirements_file
from linea_core.pipeline.handoff import HANDOFF_IMPORTS, HandOff, default_handoff
from linea_core.pipeline.model import (
    ArtifactRef,
    Call,
    FunctionKind,
    ModuleFunction,
    Parameter,
    ParameterType,
    Pipeline,
    PipelineSession,
    Requirement,
    SessionInput,
    SessionStep,
    SourceLine,
    Task,
    TaskBreakdown,
    TaskGraph,
    TaskInput,
)
from linea_core.pipeline.module_code import argparse_flags, format_source, indent, module_source
from linea_core.pipeline.naming import identifier, unique
from linea_core.pipeline.task_code import (
    artifact_key,
    artifact_locations,
    bind_parameter,
    needs_literal_eval,
    setting_value,
    task_body,
)
from linea_core.pipeline.templates import load_template, template_environment

__all__ = [
    "HANDOFF_IMPORTS",
    "ArtifactRef",
    "Call",
    "DependencyCycleError",
    "FunctionKind",
    "HandOff",
    "InputParameterError",
    "ModuleFunction",
    "Parameter",
    "ParameterType",
    "Pipeline",
    "PipelineConfigError",
    "PipelineError",
    "PipelineFile",
    "PipelineSession",
    "Requirement",
    "SessionInput",
    "SessionStep",
    "SourceLine",
    "Task",
    "TaskBreakdown",
    "TaskGraph",
    "TaskInput",
    "UnknownFrameworkError",
    "argparse_flags",
    "artifact_key",
    "artifact_locations",
    "bind_parameter",
    "default_handoff",
    "format_source",
    "identifier",
    "indent",
    "load_template",
    "module_file",
    "module_source",
    "needs_literal_eval",
    "requirements_file",
    "setting_value",
    "task_body",
    "template_environment",
    "unique",
]
