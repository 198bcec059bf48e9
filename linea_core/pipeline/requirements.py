"""The pipeline's requirements: only what its module imports, pinned as traced.

Top-level modules come from the module's imports (and imports its functions keep);
the standard library is left out. Each module maps to the distribution and version
recorded when its session was traced (``sklearn`` -> ``scikit-learn==1.5.2``). A
session traced before versions were recorded falls back to what is installed now, with
a warning; a module no distribution provides (the user's own file) cannot be pinned
and is left out, with a warning naming it.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

from linea_core.capture.packages import distribution_of, imported_modules, is_standard_library
from linea_core.errors import LineaWarning
from linea_core.pipeline.model import PipelineSession, Requirement

if TYPE_CHECKING:
    from linea_core.store.repository import Store


class RequirementsWarning(LineaWarning):
    """A requirement could not be pinned to the version seen when tracing."""


def required_modules(imports: Sequence[str], sessions: Sequence[PipelineSession]) -> list[str]:
    """Non-standard-library top-level modules the generated module imports, in order."""
    found: list[str] = []
    sources = list(imports) + [f.body for s in sessions for f in s.functions]
    for source in sources:
        for module in sorted(imported_modules(source)):
            if module not in found and not is_standard_library(module):
                found.append(module)
    return found


def pipeline_requirements(
    store: Store,
    imports: Sequence[str],
    sessions: Sequence[PipelineSession],
    session_ids: Sequence[str],
) -> tuple[Requirement, ...]:
    recorded: dict[str, tuple[str | None, str | None]] = {}
    for session_id in session_ids:
        for package in store.session_packages(session_id):
            recorded.setdefault(package.module, (package.distribution, package.version))
    by_distribution: dict[str, tuple[str | None, list[str]]] = {}
    unpinned: list[str] = []
    local: list[str] = []
    for module in required_modules(imports, sessions):
        if module in recorded:
            distribution, version = recorded[module]
        else:
            current = distribution_of(module)
            distribution, version = current.distribution, current.version
            if distribution is not None:
                unpinned.append(f"{distribution}=={version}")
        if distribution is None:
            local.append(module)
            continue
        known = by_distribution.setdefault(distribution, (version, []))
        known[1].append(module)
    if unpinned:
        warnings.warn(
            "linea has no record of the versions the traced code used for "
            f"{', '.join(unpinned)} (sessions traced by an older linea); the requirements "
            "pin the versions installed now",
            RequirementsWarning,
            stacklevel=4,
        )
    if local:
        warnings.warn(
            f"the pipeline imports {', '.join(sorted(local))}, which no installed distribution "
            "provides (a local module?); copy it next to the generated files",
            RequirementsWarning,
            stacklevel=4,
        )
    return tuple(
        Requirement(distribution, version, tuple(modules))
        for distribution, (version, modules) in sorted(
            by_distribution.items(), key=lambda item: item[0].lower()
        )
    )
