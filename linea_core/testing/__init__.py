"""A test kit for plugin authors (and linea's own plugins): pytest fixtures and helpers.

Installed with linea-core as a pytest plugin (entry point ``pytest11``), so in any test
suite:

* the ``linea_sandbox`` fixture gives a fresh linea (own home, store, working folder):
  ``linea_sandbox.trace(code)``, ``.pipeline(artifacts, ...)`` for the model,
  ``.render(pipeline, "MYFRAMEWORK")``, ``.to_pipeline(...)``, ``.stored_values(...)``;
* :func:`run_module_script` / :func:`check_values` run generated code (in any Python,
  e.g. an orchestrator's environment) and compare its values with the stored ones;
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

__all__ = [
    "CACHE_ENV",
    "EnvironmentBuildError",
    "LineaSandbox",
    "TestEnv",
    "ValueMismatch",
    "assert_all_ok",
    "assert_same_value",
    "cache_root",
    "cached_env",
    "check_values",
    "compare_source",
    "export_values",
    "find_python",
    "linea_sandbox",
    "run_command",
    "run_module_script",
]
