"""Every pipeline_dag_config error of the RAY writer, message by message (runtime_env is
checked the way Ray checks it at ray.init), and LineaPy's older keys still accepted."""

from __future__ import annotations

from typing import Any

import pytest

from linea_core.pipeline import PipelineConfigError, TaskBreakdown
from linea_core.testing import LineaSandbox
from linea_core.testing.examples import iris_pipeline

ENV_KEYS = (
    "config, conda, env_vars, excludes, image_uri, java_jars, pip, py_executable, "
    "py_modules, uv, worker_process_setup_hook, working_dir"
)


def _env(message: str, given: Any) -> str:
    return f"pipeline_dag_config['runtime_env'] for RAY: {message} (got {given!r})"


ERRORS: list[tuple[dict[str, Any], str]] = [
    (
        {"runtime_envs": {}},
        "unknown pipeline_dag_config key 'runtime_envs' for RAY (did you mean 'runtime_env'?); "
        "valid keys: address, base_image, breakdown, copy_inputs, max_retries, num_cpus, "
        "num_gpus, runtime_env, use_workflow",
    ),
    (
        {"breakdown": "task"},
        "pipeline_dag_config['breakdown'] for RAY: Input should be 'artifact', 'session' or "
        "'pipeline' (got 'task')",
    ),
    (
        {"use_workflow": True},
        "pipeline_dag_config['use_workflow'] for RAY: ray.workflow was removed from Ray (last "
        "in 2.47); linea writes plain Ray tasks, which need no workflow storage: leave "
        "use_workflow out (got True)",
    ),
    (
        {"address": "http://head:8265"},
        "pipeline_dag_config['address'] for RAY: expected 'auto', 'local', 'ray://host:port' "
        "(Ray Client) or 'host:port' (the head node's GCS) (got 'http://head:8265')",
    ),
    (
        {"num_cpus": -1},
        "pipeline_dag_config['num_cpus'] for RAY: Input should be greater than or equal to 0 "
        "(got -1)",
    ),
    (
        {"num_gpus": "one"},
        "pipeline_dag_config['num_gpus'] for RAY: Input should be a valid number, unable to "
        "parse string as a number (got 'one')",
    ),
    (
        {"max_retries": -2},
        "pipeline_dag_config['max_retries'] for RAY: Input should be greater than or equal to "
        "-1 (got -2)",
    ),
    (
        {"copy_inputs": "sometimes"},
        "pipeline_dag_config['copy_inputs'] for RAY: Input should be a valid boolean, unable "
        "to interpret input (got 'sometimes')",
    ),
    (
        {"base_image": 3.11},
        "pipeline_dag_config['base_image'] for RAY: Input should be a valid string (got 3.11)",
    ),
    (
        {"runtime_env": ["pip"]},
        _env("runtime_env must be a dict such as {'pip': ['requests']}", ["pip"]),
    ),
    (
        {"runtime_env": {"pipp": ["requests"]}},
        _env(
            f"unknown runtime_env key 'pipp' (did you mean 'pip'?); valid keys: {ENV_KEYS}",
            {"pipp": ["requests"]},
        ),
    ),
    (
        {"runtime_env": {"pip": ["requests"], "conda": "base"}},
        _env(
            "runtime_env may set only one of pip, uv and conda (got conda and pip); list pip "
            "packages inside the conda environment instead",
            {"pip": ["requests"], "conda": "base"},
        ),
    ),
    (
        {"runtime_env": {"image_uri": "repo/image:1", "working_dir": "."}},
        _env(
            "runtime_env['image_uri'] runs the tasks in that image and goes only with env_vars "
            "and config (got working_dir too)",
            {"image_uri": "repo/image:1", "working_dir": "."},
        ),
    ),
    (
        {"runtime_env": {"working_dir": 3}},
        _env("runtime_env['working_dir'] must be a string", {"working_dir": 3}),
    ),
    (
        {"runtime_env": {"py_modules": "mylib"}},
        _env("runtime_env['py_modules'] must be a list of strings", {"py_modules": "mylib"}),
    ),
    (
        {"runtime_env": {"env_vars": ["A=1"]}},
        _env("runtime_env['env_vars'] must be a dict of strings", {"env_vars": ["A=1"]}),
    ),
    (
        {"runtime_env": {"env_vars": {"OMP_NUM_THREADS": 1}}},
        _env(
            "runtime_env['env_vars'] holds strings only: 'OMP_NUM_THREADS': 1 is not (write '1')",
            {"env_vars": {"OMP_NUM_THREADS": 1}},
        ),
    ),
    (
        {"runtime_env": {"pip": 3}},
        _env(
            "runtime_env['pip'] must be a list of requirements, the path of a requirements "
            "file, or a dict with 'packages'",
            {"pip": 3},
        ),
    ),
    (
        {"runtime_env": {"uv": {"packages": ["a"], "pip_check": True}}},
        _env(
            "unknown key 'pip_check' in runtime_env['uv']; valid keys: packages, uv_check, "
            "uv_pip_install_options, uv_version",
            {"uv": {"packages": ["a"], "pip_check": True}},
        ),
    ),
    (
        {"runtime_env": {"pip": {"pip_check": False}}},
        _env(
            "runtime_env['pip']['packages'] must be a list of requirements or the path of a "
            "requirements file",
            {"pip": {"pip_check": False}},
        ),
    ),
    (
        {"runtime_env": {"conda": ["numpy"]}},
        _env(
            "runtime_env['conda'] must be an environment's name, the path of an "
            "environment.yml, or the environment as a dict",
            {"conda": ["numpy"]},
        ),
    ),
    (
        {"runtime_env": {"config": {"timeout": 10}}},
        _env(
            "unknown key 'timeout' in runtime_env['config']; valid keys: eager_install, "
            "log_files, setup_timeout_seconds",
            {"config": {"timeout": 10}},
        ),
    ),
    (
        {"runtime_env": {"config": {"setup_timeout_seconds": 0}}},
        _env(
            "runtime_env['config']['setup_timeout_seconds'] must be a positive whole number of "
            "seconds, or -1 for no limit",
            {"config": {"setup_timeout_seconds": 0}},
        ),
    ),
    (
        {"runtime_env": {"config": {"eager_install": "yes"}}},
        _env(
            "runtime_env['config']['eager_install'] must be true or false",
            {"config": {"eager_install": "yes"}},
        ),
    ),
    (
        {"runtime_env": {"config": "fast"}},
        _env("runtime_env['config'] must be a dict", {"config": "fast"}),
    ),
    (
        {"runtime_env": {"conda": {"dependencies": [object]}}},
        _env(
            "runtime_env holds only plain values (strings, numbers, booleans, None, lists "
            "and dicts of them) that the generated program can spell out",
            {"conda": {"dependencies": [object]}},
        ),
    ),
]


@pytest.mark.parametrize(("config", "message"), ERRORS, ids=[str(c) for c, _ in ERRORS])
def test_ray_config_error(linea_iris: LineaSandbox, config: dict[str, Any], message: str) -> None:
    with pytest.raises(PipelineConfigError) as raised:
        linea_iris.render(iris_pipeline(linea_iris), "RAY", config)
    assert str(raised.value) == message
    assert "\n" not in str(raised.value)


def test_to_pipeline_rejects_a_bad_runtime_env_before_writing_anything(
    linea_iris: LineaSandbox,
) -> None:
    from linea_core.testing.examples import IRIS_ARTIFACTS

    with pytest.raises(PipelineConfigError, match="only one of pip, uv and conda"):
        linea_iris.to_pipeline(
            IRIS_ARTIFACTS,
            framework="RAY",
            output_dir="never",
            pipeline_dag_config={"runtime_env": {"pip": ["x"], "uv": ["x"]}},
        )
    assert not (linea_iris.work / "never").exists()


def test_valid_runtime_envs_pass_unchanged() -> None:
    from linea_ray.options import RayOptions

    from linea_core.pipeline.options import validate_options

    for env in (
        {"pip": ["requests==2.32.3"], "env_vars": {"A": "1"}, "working_dir": "."},
        {"uv": {"packages": ["rich"], "uv_check": False}, "excludes": ["*.csv"]},
        {"conda": {"dependencies": ["numpy"]}, "config": {"setup_timeout_seconds": -1}},
        {"image_uri": "repo/image:1", "env_vars": {"B": "2"}, "config": {"eager_install": False}},
        {"pip": "requirements.txt", "py_modules": ["lib"], "py_executable": "python -X dev"},
    ):
        options: Any = validate_options(RayOptions, {"runtime_env": env}, "RAY")
        assert options.runtime_env == env


def test_lineapy_s_keys_still_work() -> None:
    from linea_ray.options import RayOptions

    from linea_core.pipeline.options import validate_options

    options: Any = validate_options(
        RayOptions, {"dag_flavor": "TaskPerSession", "use_workflow": False}, "RAY"
    )
    assert options.breakdown is TaskBreakdown.SESSION
    assert options.use_workflow is False


def test_defaults() -> None:
    from linea_ray.options import RayOptions

    from linea_core.pipeline.options import validate_options

    options: Any = validate_options(RayOptions, {}, "RAY")
    assert options.breakdown is TaskBreakdown.ARTIFACT
    assert (options.runtime_env, options.address, options.base_image) == (None, None, None)
    assert (options.num_cpus, options.num_gpus, options.max_retries) == (None, None, None)
    assert options.copy_inputs is True
