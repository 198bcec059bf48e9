"""A test kit for plugin authors (and linea's own plugins): pytest fixtures and helpers.

Installed with linea-core as a pytest plugin (entry point ``pytest11``), so in any test
suite:

* the ``linea_sandbox`` fixture gives a fresh linea (own home, store, working folder):
  ``linea_sandbox.trace(code)``, ``.pipeline(artifacts, ...)`` for the model,
  ``.render(pipeline, "MYFRAMEWORK")``, ``.to_pipeline(...)``, ``.stored_values(...)``;
* :func:`run_module_script` / :func:`check_values` run generated code (in any Python,
  e.g. an orchestrator's environment) and compare its values with the stored ones;
* :func:`assert_snapshot` compares generated files with a folder of expected ones
  (``LINEA_UPDATE_SNAPSHOTS=1`` rewrites it), :func:`pinned_versions` makes a model's
  versions machine-independent first;
* :mod:`linea_core.testing.examples` ships LineaPy's iris tutorial session and its data;
* :func:`cached_env` builds (once, cached, atomically) a virtual environment with
  ``uv`` for tools that need their own (Airflow, DVC, kfp, Ray, MLflow).

See ``docs/plugins.md`` ("Testing a writer").
"""

from __future__ import annotations

from linea_core.pipeline.value_compare import ValueMismatch, assert_same_value
from linea_core.testing.envs import (
    CACHE_ENV,
    EnvironmentBuildError,
    TestEnv,
    cache_root,
    cached_env,
    find_python,
)
from linea_core.testing.runs import (
    assert_all_ok,
    check_values,
    compare_source,
    export_values,
    run_command,
    run_module_script,
)
from linea_core.testing.sandbox import LineaSandbox, linea_sandbox
from linea_core.testing.snapshots import UPDATE_ENV, assert_snapshot, pinned_versions

__all__ = [
    "CACHE_ENV",
    "EnvironmentBuildError",
    "LineaSandbox",
    "TestEnv",
    "UPDATE_ENV",
    "ValueMismatch",
    "assert_all_ok",
    "assert_same_value",
    "assert_snapshot",
    "cache_root",
    "cached_env",
    "check_values",
    "compare_source",
    "export_values",
    "find_python",
    "linea_sandbox",
    "pinned_versions",
    "run_command",
    "run_module_script",
]
