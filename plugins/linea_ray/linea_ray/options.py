"""``pipeline_dag_config`` for ``framework="RAY"``: how the pipeline is split into Ray
tasks, the resources each task asks for, and the ``runtime_env`` of the job.

``runtime_env`` is checked here, when the pipeline is written, against the rules Ray
applies when the program starts (its keys, their types, ``pip``/``uv``/``conda``
exclusive, ``image_uri`` alone), so a mistake is one line now rather than a traceback
on the cluster later. Ray is not imported: the writer runs where Ray is not installed.

LineaPy's keys are accepted too: ``dag_flavor`` (``TaskPerArtifact``,
``TaskPerSession``) and ``use_workflow: false``; ``use_workflow: true`` is an error,
since ``ray.workflow`` no longer exists.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping
from typing import Any

from pydantic import Field, field_validator

from linea_core.pipeline import TaskBreakdown
from linea_core.pipeline.options import TaskedWriterOptions

_FLAVORS: Mapping[str, TaskBreakdown] = {
    "taskperartifact": TaskBreakdown.ARTIFACT,
    "taskpersession": TaskBreakdown.SESSION,
    "taskperpipeline": TaskBreakdown.PIPELINE,
}

# runtime_env keys a user sets (Ray's RuntimeEnv.known_fields without its internal ones).
RUNTIME_ENV_KEYS = (
    "config",
    "conda",
    "env_vars",
    "excludes",
    "image_uri",
    "java_jars",
    "pip",
    "py_executable",
    "py_modules",
    "uv",
    "worker_process_setup_hook",
    "working_dir",
)
_STRING_KEYS = ("image_uri", "py_executable", "worker_process_setup_hook", "working_dir")
_STRING_LIST_KEYS = ("excludes", "java_jars", "py_modules")
_PACKAGE_MANAGERS = ("conda", "pip", "uv")
# What a dict given to pip / uv may hold besides "packages" (Ray's own validation).
_INSTALLER_KEYS = {
    "pip": ("packages", "pip_check", "pip_install_options", "pip_version"),
    "uv": ("packages", "uv_check", "uv_pip_install_options", "uv_version"),
}
_CONFIG_KEYS = ("eager_install", "log_files", "setup_timeout_seconds")
# image_uri runs the workers in a container: Ray accepts only these next to it.
_WITH_IMAGE = ("config", "env_vars", "image_uri")
_ADDRESS = re.compile(r"^(auto|local|ray://[^\s/:]+(:\d+)?|[^\s/:]+:\d+)$")


class RayOptions(TaskedWriterOptions):
    """The keys ``pipeline_dag_config`` accepts for ``framework="RAY"``."""

    lineapy_flavors = _FLAVORS

    runtime_env: dict[str, Any] | None = Field(
        default=None,
        description=(
            "The job's Ray runtime_env (working_dir, pip, uv, conda, env_vars, py_modules, "
            "excludes, image_uri, config...), passed to ray.init when the program starts Ray."
        ),
    )
    address: str | None = Field(
        default=None,
        description=(
            "The Ray cluster to join: 'auto', 'ray://host:10001', 'host:6379' or 'local'; "
            "default None: RAY_ADDRESS when set, else a new local Ray."
        ),
    )
    num_cpus: float | None = Field(
        default=None, ge=0, description="CPUs each task reserves (Ray's default: 1)."
    )
    num_gpus: float | None = Field(
        default=None, ge=0, description="GPUs each task reserves (Ray's default: 0)."
    )
    max_retries: int | None = Field(
        default=None,
        ge=-1,
        description=(
            "How often Ray reruns a task whose worker died (-1: without limit; Ray's default: 3)."
        ),
    )
    copy_inputs: bool = Field(
        default=True,
        description=(
            "Each task works on its own copy of the values it receives: Ray hands numpy "
            "data (arrays, DataFrames, fitted models) over read-only, so code changing an "
            "input in place would fail. False saves the copy when no function does that."
        ),
    )
    use_workflow: bool = Field(
        default=False,
        description="LineaPy's ray.workflow switch; only false is possible (see the error).",
    )
    base_image: str | None = Field(
        default=None,
        description="Base image of the Dockerfile; default rayproject/ray:<version>-py<XY>.",
    )

    @field_validator("use_workflow")
    @classmethod
    def _no_workflow(cls, value: bool) -> bool:
        if value:
            raise ValueError(
                "ray.workflow was removed from Ray (last in 2.47); linea writes plain Ray "
                "tasks, which need no workflow storage: leave use_workflow out"
            )
        return value

    @field_validator("address")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is not None and not _ADDRESS.match(value):
            raise ValueError(
                "expected 'auto', 'local', 'ray://host:port' (Ray Client) or 'host:port' "
                "(the head node's GCS)"
            )
        return value

    @field_validator("runtime_env", mode="before")
    @classmethod
    def _runtime_env(cls, value: Any) -> Any:
        if value is None:
            return value
        if not isinstance(value, Mapping):
            raise ValueError("runtime_env must be a dict such as {'pip': ['requests']}")
        check_runtime_env(value)
        return dict(value)


def check_runtime_env(env: Mapping[Any, Any]) -> None:
    """Raise ValueError (one line) where Ray would reject ``env`` at ``ray.init``."""
    for key in env:
        if key not in RUNTIME_ENV_KEYS:
            close = difflib.get_close_matches(str(key), RUNTIME_ENV_KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(
                f"unknown runtime_env key {key!r}{hint}; valid keys: {', '.join(RUNTIME_ENV_KEYS)}"
            )
    if not _plain(env):
        raise ValueError(
            "runtime_env holds only plain values (strings, numbers, booleans, None, lists "
            "and dicts of them) that the generated program can spell out"
        )
    managers = [key for key in _PACKAGE_MANAGERS if env.get(key) is not None]
    if len(managers) > 1:
        raise ValueError(
            f"runtime_env may set only one of pip, uv and conda (got {' and '.join(managers)}); "
            "list pip packages inside the conda environment instead"
        )
    if env.get("image_uri") is not None:
        others = sorted(str(key) for key in env if key not in _WITH_IMAGE)
        if others:
            raise ValueError(
                "runtime_env['image_uri'] runs the tasks in that image and goes only with "
                f"env_vars and config (got {', '.join(others)} too)"
            )
    for key in _STRING_KEYS:
        if key in env and not isinstance(env[key], str):
            raise ValueError(f"runtime_env[{key!r}] must be a string")
    for key in _STRING_LIST_KEYS:
        if key in env and not _string_list(env[key]):
            raise ValueError(f"runtime_env[{key!r}] must be a list of strings")
    if "env_vars" in env:
        _check_env_vars(env["env_vars"])
    for key in ("pip", "uv"):
        if key in env:
            _check_installer(key, env[key])
    if "conda" in env and not isinstance(env["conda"], (str, Mapping)):
        raise ValueError(
            "runtime_env['conda'] must be an environment's name, the path of an "
            "environment.yml, or the environment as a dict"
        )
    if "config" in env:
        _check_config(env["config"])


def _plain(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if value is None or isinstance(value, (str, bool, int)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(item) for item in value)
    if isinstance(value, Mapping):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def _string_list(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value)


def _check_env_vars(value: Any) -> None:
    if not isinstance(value, Mapping):
        raise ValueError("runtime_env['env_vars'] must be a dict of strings")
    for name, setting in value.items():
        if not isinstance(name, str) or not isinstance(setting, str):
            raise ValueError(
                f"runtime_env['env_vars'] holds strings only: {name!r}: {setting!r} is not "
                f"(write {str(setting)!r})"
            )


def _check_installer(key: str, value: Any) -> None:
    what = (
        f"runtime_env[{key!r}] must be a list of requirements, the path of a "
        "requirements file, or a dict with 'packages'"
    )
    if isinstance(value, str) or _string_list(value):
        return
    if not isinstance(value, Mapping):
        raise ValueError(what)
    allowed = _INSTALLER_KEYS[key]
    unknown = sorted(str(k) for k in value if k not in allowed)
    if unknown:
        raise ValueError(
            f"unknown key {unknown[0]!r} in runtime_env[{key!r}]; valid keys: {', '.join(allowed)}"
        )
    packages = value.get("packages")
    if not (isinstance(packages, str) or _string_list(packages)):
        raise ValueError(
            f"runtime_env[{key!r}]['packages'] must be a list of requirements or the path "
            "of a requirements file"
        )


def _check_config(value: Any) -> None:
    if not isinstance(value, Mapping):
        raise ValueError("runtime_env['config'] must be a dict")
    unknown = sorted(str(k) for k in value if k not in _CONFIG_KEYS)
    if unknown:
        raise ValueError(
            f"unknown key {unknown[0]!r} in runtime_env['config']; valid keys: "
            + ", ".join(_CONFIG_KEYS)
        )
    timeout = value.get("setup_timeout_seconds")
    if timeout is not None and (
        isinstance(timeout, bool)
        or not isinstance(timeout, int)
        or (timeout <= 0 and timeout != -1)
    ):
        raise ValueError(
            "runtime_env['config']['setup_timeout_seconds'] must be a positive whole number "
            "of seconds, or -1 for no limit"
        )
    if "eager_install" in value and not isinstance(value["eager_install"], bool):
        raise ValueError("runtime_env['config']['eager_install'] must be true or false")
    if "log_files" in value and not _string_list(value["log_files"]):
        raise ValueError("runtime_env['config']['log_files'] must be a list of strings")
