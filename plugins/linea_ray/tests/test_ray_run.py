"""The generated Ray programs run on a real, local, single-node Ray and reproduce the
stored values.

One uv-built environment (cached by the test kit, keyed by the generated requirements:
Ray, pandas, scikit-learn), HOME and Ray's temp folder in a temp folder, usage stats
off, Ray bound to 127.0.0.1 (``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0`` makes Ray keep the
loopback address instead of resolving 127.0.0.1 to the machine's outside address).

Ray takes seconds to start, so one subprocess imports every generated program (checking
that importing started nothing), starts Ray once with the program's own ``init_ray``
(its runtime_env, plus two CPUs and no dashboard), runs each program's ``main`` with its
default parameters and with overridden ones, and compares every artifact with the value
stored when the session was traced (the overridden runs with sessions traced on the
same data subset and settings), then shuts Ray down in that process. A second test runs
one program as a command (``python shop_artifact_ray.py --rate 2.0``), which starts and
stops its own Ray.

The ``shop`` programs prove the rest: the ``run_label`` artifact only comes out right if
the runtime_env reached the workers, ``raised`` changes a DataFrame it receives in place
(which Ray's read-only zero-copy values refuse unless the task copies them: the program
generated with ``copy_inputs=False`` must fail), and ``run_label`` waits for ``raised``
without a value between them.

Run alone: ``pytest -m slow plugins/linea_ray``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from ray_examples import (
    SHOP_ARTIFACTS,
    SHOP_CONFIG,
    SHOP_DEPENDENCIES,
    SHOP_PARAMETERS,
    SHOP_VALUES,
    trace_shop,
)

from linea_core.testing import (
    LineaSandbox,
    TestEnv,
    assert_all_ok,
    cached_env,
    check_values,
    export_values,
    linea_sandbox,
)
from linea_core.testing.examples import (
    IRIS_ARTIFACTS,
    IRIS_DEPENDENCIES,
    IRIS_PARAMETERS,
    iris_code,
    iris_csv,
)

BREAKDOWNS = ("artifact", "session", "pipeline")
IRIS_OVERRIDE = {"test_size": 0.5, "random_state": 7}
SHOP_RATE = 2.0


@dataclass(frozen=True)
class Generated:
    sandbox: LineaSandbox
    programs: Path
    requirements: list[str]
    arguments: dict[str, dict[str, list[str]]]  # program -> default|override -> argv
    expected: dict[str, Path]  # "<program>/<default|override>/<artifact>" -> stored value


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    root = tmp_path_factory.mktemp("ray-run")
    with linea_sandbox(root) as sandbox:
        data = iris_csv().decode()
        subset = "".join(data.splitlines(keepends=True)[:121])  # header + 120 rows
        sandbox.write_files({"iris.csv": data, "iris_b.csv": subset})
        sandbox.trace(iris_code(), name="iris")
        sandbox.trace(
            iris_code(suffix="_b", **IRIS_OVERRIDE).replace(
                'url = "iris.csv"', 'url = "iris_b.csv"'
            ),
            name="iris, other settings",
        )
        trace_shop(sandbox)
        trace_shop(sandbox, suffix="_b", rate=SHOP_RATE)
        programs = sandbox.work / "ray"
        iris_argv = [
            "--url",
            str(sandbox.work / "iris_b.csv"),
            *(f"--{name}={value}" for name, value in IRIS_OVERRIDE.items()),
        ]
        arguments: dict[str, dict[str, list[str]]] = {}
        for breakdown in BREAKDOWNS:
            sandbox.to_pipeline(
                IRIS_ARTIFACTS,
                framework="RAY",
                pipeline_name=f"iris_{breakdown}",
                dependencies=IRIS_DEPENDENCIES,
                input_parameters=IRIS_PARAMETERS,
                output_dir=programs,
                pipeline_dag_config={"breakdown": breakdown},
            )
            arguments[f"iris_{breakdown}"] = {"default": [], "override": iris_argv}
        for name, config in [
            *((f"shop_{b}", {**SHOP_CONFIG, "breakdown": b}) for b in BREAKDOWNS),
            ("shop_uncopied", {**SHOP_CONFIG, "copy_inputs": False}),
        ]:
            sandbox.to_pipeline(
                SHOP_ARTIFACTS,
                framework="RAY",
                pipeline_name=name,
                dependencies=SHOP_DEPENDENCIES,
                input_parameters=SHOP_PARAMETERS,
                output_dir=programs,
                pipeline_dag_config=config,
            )
            if name != "shop_uncopied":
                arguments[name] = {"default": [], "override": ["--rate", str(SHOP_RATE)]}
        stored = sandbox.stored_values(IRIS_ARTIFACTS + SHOP_VALUES, root / "stored")
        stored_b = sandbox.stored_values(
            [f"{a}_b" for a in IRIS_ARTIFACTS + SHOP_VALUES], root / "stored_b"
        )
        expected = {}
        for program in arguments:
            for artifact in SHOP_VALUES if program.startswith("shop") else IRIS_ARTIFACTS:
                expected[f"{program}/default/{artifact}"] = stored[artifact]
                expected[f"{program}/override/{artifact}"] = stored_b[f"{artifact}_b"]
        expected.update(export_values({"shop_uncopied/read-only": True}, root / "refused"))
        requirements = sorted(
            {
                line
                for path in programs.glob("*_requirements.txt")
                for line in path.read_text().split()
            }
        )
        yield Generated(sandbox, programs, requirements, arguments, expected)


def ray_env(generated: Generated) -> TestEnv:
    return cached_env("ray", generated.requirements)


def ray_environ(env: TestEnv, scratch: Path) -> dict[str, str]:
    """Ray on this machine only: own HOME and temp folder, loopback, no usage stats."""
    environ = env.environ(
        {
            "HOME": str(scratch / "home"),
            # Ray's socket paths must stay short: a temp folder of its own under /tmp.
            "RAY_TMPDIR": tempfile.mkdtemp(prefix="ray-", dir="/tmp"),
            "RAY_USAGE_STATS_ENABLED": "0",
            "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
            "RAY_OVERRIDE_RESOURCES": json.dumps({"CPU": 2}),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    for name in ("RAY_ADDRESS", "LINEA_RAY_LABEL"):
        environ.pop(name, None)
    (scratch / "home").mkdir(parents=True, exist_ok=True)
    return environ


def check_on_ray(
    produce: str, expected: dict[str, Path], env: TestEnv, cwd: Path, environ: dict[str, str]
) -> dict[str, str]:
    """:func:`check_values` in the Ray environment, run again (twice at most) when Ray's
    start timed out: Ray waits a fixed 30 s for its raylet to register, which a machine
    busy with other tests (make test runs two at once) can exceed. A new process each
    time, so the half-started Ray dies with the old one. Any other failure fails."""
    for attempt in range(3):
        try:
            return check_values(
                produce, expected, python=env.python, cwd=cwd, env=environ, timeout=1800
            )
        except AssertionError as exc:
            if "timed out during startup" not in str(exc) or attempt == 2:
                raise
            print(f"Ray's start timed out (attempt {attempt + 1}); running again")
    raise AssertionError("unreachable")


RUN_EVERY_PROGRAM = """
import importlib, sys
import ray

sys.path.insert(0, {programs!r})
programs = {{name: importlib.import_module(name + "_ray") for name in {names!r}}}
uncopied = importlib.import_module("shop_uncopied_ray")
if ray.is_initialized():
    raise SystemExit("importing a generated program started Ray")
programs["shop_artifact"].init_ray(
    num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1"
)
actual = {{}}
try:
    for name, program in programs.items():
        for label, argv in {arguments!r}[name].items():
            for artifact, value in program.main(argv).items():
                actual[f"{{name}}/{{label}}/{{artifact}}"] = value
            print("ran", name, label, file=sys.stderr)
    if not ray.is_initialized():
        raise SystemExit("main() shut down a Ray it had not started")
    try:
        uncopied.main([])
    except Exception as exc:
        actual["shop_uncopied/read-only"] = "assignment destination is read-only" in str(exc)
finally:
    ray.shutdown()
"""


@pytest.mark.slow
def test_every_program_runs_on_ray_and_reproduces_the_stored_values(
    generated: Generated, tmp_path: Path
) -> None:
    env = ray_env(generated)
    environ = ray_environ(env, tmp_path)
    produce = RUN_EVERY_PROGRAM.format(
        programs=str(generated.programs),
        names=sorted(generated.arguments),
        arguments=generated.arguments,
    )
    try:
        report = check_on_ray(produce, generated.expected, env, generated.sandbox.work, environ)
    finally:
        shutil.rmtree(environ["RAY_TMPDIR"], ignore_errors=True)
    assert sorted(report) == sorted(generated.expected)
    assert_all_ok(report)


RUN_AS_A_COMMAND = """
import runpy, sys
import ray

sys.argv = [{program!r}, "--rate", {rate!r}]
sys.path.insert(0, {programs!r})
actual = runpy.run_path({program!r}, run_name="__main__")["artifacts"]
if ray.is_initialized():
    raise SystemExit("the program left Ray running")
"""


@pytest.mark.slow
def test_the_program_as_a_command_starts_and_stops_its_own_ray(
    generated: Generated, tmp_path: Path
) -> None:
    env = ray_env(generated)
    environ = ray_environ(env, tmp_path)
    produce = RUN_AS_A_COMMAND.format(
        program=str(generated.programs / "shop_artifact_ray.py"),
        programs=str(generated.programs),
        rate=str(SHOP_RATE),
    )
    expected = {a: generated.expected[f"shop_artifact/override/{a}"] for a in SHOP_VALUES}
    try:
        report = check_on_ray(produce, expected, env, generated.sandbox.work, environ)
    finally:
        shutil.rmtree(environ["RAY_TMPDIR"], ignore_errors=True)
    assert_all_ok(report)
