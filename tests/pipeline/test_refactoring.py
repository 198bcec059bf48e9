"""Refactoring sessions into functions: exact structure where it can split, and values
always right, including where splitting would reorder a read past a change."""

from __future__ import annotations

import random

import pytest
from sources import DATA, IRIS_ARTIFACTS

import linea_core as lineapy
from linea_core.context import use_context
from linea_core.pipeline import FunctionKind
from linea_core.testing import LineaSandbox, assert_all_ok, assert_same_value, run_module_script


def values_of(sandbox: LineaSandbox, names: list[str], **arguments: object) -> dict[str, object]:
    """``get_function(names)()`` in the sandbox, checked against the stored values."""
    with use_context(sandbox.context), sandbox.in_work():
        computed = lineapy.get_function(names, **arguments)()  # type: ignore[arg-type]
        for name in names:
            assert_same_value(computed[name], lineapy.get(name).get_value(), name)
    return computed


def test_value_changed_after_its_save_is_snapshotted(linea_sandbox: LineaSandbox) -> None:
    linea_sandbox.trace(
        "import linea_core as lineapy\n"
        "items = [1, 2]\n"
        "lineapy.save(items, 'first')\n"
        "items.append(3)\n"
        "lineapy.save(items, 'second')\n"
    )
    pipeline = linea_sandbox.pipeline(["first", "second"])
    assert [(f.name, f.inputs, f.outputs) for f in pipeline.functions] == [
        ("get_first", (), ("items",)),
        ("get_second", ("items",), ("items",)),
    ]
    [session] = pipeline.sessions
    assert session.steps[0].copied == frozenset({"first"})
    values = values_of(linea_sandbox, ["first", "second"])
    assert values == {"first": [1, 2], "second": [1, 2, 3]}


def test_a_read_before_a_change_keeps_the_session_in_one_function(
    linea_sandbox: LineaSandbox,
) -> None:
    """Splitting would run ``items.append(2)`` (shared) before ``total = sum(items)``."""
    linea_sandbox.trace(
        "import linea_core as lineapy\n"
        "items = [1]\n"
        "total = sum(items)\n"
        "items.append(2)\n"
        "both = (total, list(items))\n"
        "lineapy.save(both, 'both')\n"
        "lineapy.save(items, 'items')\n"
    )
    pipeline = linea_sandbox.pipeline(["both", "items"])
    [function] = pipeline.functions
    assert function.artifacts == ("both", "items")
    assert function.kind is FunctionKind.ARTIFACT
    assert values_of(linea_sandbox, ["both", "items"]) == {"both": (1, [1, 2]), "items": [1, 2]}


def test_a_loop_two_artifacts_prune_differently_is_kept_for_both(
    linea_sandbox: LineaSandbox,
) -> None:
    linea_sandbox.trace(
        "import linea_core as lineapy\n"
        "a = 0\n"
        "b = 0\n"
        "for i in range(5):\n"
        "    a += i\n"
        "    b += 2 * i\n"
        "lineapy.save(a, 'a')\n"
        "lineapy.save(b, 'b')\n"
    )
    pipeline = linea_sandbox.pipeline(["a", "b"])
    bodies = "\n".join(f.body for f in pipeline.functions)
    assert bodies.count("for i in range(5):") == 1
    assert values_of(linea_sandbox, ["a", "b"]) == {"a": 10, "b": 20}


def test_values_computed_in_the_save_call_and_builtin_names(linea_sandbox: LineaSandbox) -> None:
    linea_sandbox.trace(
        "import linea_core as lineapy\n"
        "list = [3, 1, 2]\n"
        "lineapy.save(list, 'numbers')\n"
        "lineapy.save(sum(list) * 2, 'double total')\n"
    )
    pipeline = linea_sandbox.pipeline(["numbers", "double total"])
    double = pipeline.function("get_double_total")
    assert double.inputs == ("list",)
    assert double.body == "artifact_value = sum(list) * 2"
    assert values_of(linea_sandbox, ["numbers", "double total"]) == {
        "numbers": [3, 1, 2],
        "double total": 12,
    }


def test_code_under_a_main_guard_still_runs_from_the_module(linea_sandbox: LineaSandbox) -> None:
    linea_sandbox.trace(
        "import linea_core as lineapy\n"
        "scale = 3\n"
        "if __name__ == '__main__':\n"
        "    scale = scale * 10\n"
        "lineapy.save(scale, 'scale')\n"
    )
    output = linea_sandbox.to_pipeline(["scale"], pipeline_name="guarded")
    report = run_module_script(
        output / "guarded_module.py",
        expected=linea_sandbox.stored_values(["scale"]),
        cwd=linea_sandbox.work,
    )
    assert_all_ok(report)
    # Imported (get_function), the guard still sees the traced "__main__".
    assert values_of(linea_sandbox, ["scale"]) == {"scale": 30}


def test_reused_artifacts_are_loaded_not_recomputed(iris: LineaSandbox) -> None:
    pipeline = iris.pipeline(IRIS_ARTIFACTS, reuse_pre_computed_artifacts=["iris_preprocessed"])
    reused = pipeline.function("get_iris_preprocessed")
    assert reused.kind is FunctionKind.REUSED and reused.arguments == ()
    assert reused.body.startswith("df = read_linea_value(")
    assert reused.body.endswith(", 'pandas')")
    assert [h.splitlines()[0] for h in pipeline.helpers] == [
        "def read_linea_value(path: str, serializer: str) -> object:"
    ]
    assert pipeline.artifact("iris_preprocessed").reused
    (iris.work / "iris.csv").unlink()  # the data is not read any more
    output = iris.to_pipeline(
        IRIS_ARTIFACTS, pipeline_name="reused", reuse_pre_computed_artifacts=["iris_preprocessed"]
    )
    assert_all_ok(
        run_module_script(
            output / "reused_module.py",
            expected=iris.stored_values(IRIS_ARTIFACTS),
            cwd=iris.work,
        )
    )


def test_non_slice_code_as_comments(iris: LineaSandbox) -> None:
    pipeline = iris.pipeline(["iris_preprocessed"], include_non_slice_as_comment=True)
    body = pipeline.function("get_iris_preprocessed").body
    assert '# df.plot.scatter("petal.length", "petal.width")' in body
    assert '# plt.savefig("scatter.png")' in body
    assert values_of(iris, ["iris_preprocessed"]) is not None


def test_stored_pipeline_definitions(iris: LineaSandbox) -> None:
    with use_context(iris.context), iris.in_work():
        created = lineapy.create_pipeline(
            IRIS_ARTIFACTS[:2],
            pipeline_name="iris daily",
            dependencies={"iris_model": {"iris_preprocessed"}},
            input_parameters=["test_size"],
        )
        assert created.name == "iris_daily"
        again = lineapy.get_pipeline("iris_daily")
        assert again.artifacts == IRIS_ARTIFACTS[:2]
        assert again.dependencies == {"iris_model": {"iris_preprocessed"}}
        assert again.input_parameters == ["test_size"]
        output = again.write(iris.root / "daily")
    assert sorted(p.name for p in output.iterdir()) == [
        "iris_daily_Dockerfile",
        "iris_daily_module.py",
        "iris_daily_requirements.txt",
    ]


# -- generated programs -------------------------------------------------------------------


def generated_program(seed: int) -> tuple[str, list[str]]:
    """A straight-line program over ints and lists with mutations, rebinding, and saves
    at random points; returns the code and the artifact names it saves."""
    rng = random.Random(seed)
    lines = ["import linea_core as lineapy"]
    ints: list[str] = []
    lists: list[str] = []
    saved: list[str] = []
    for step in range(rng.randint(6, 14)):
        choice = rng.random()
        if choice < 0.2 or not (ints or lists):
            name = rng.choice(["a", "b", "c", "d"])
            lines.append(f"{name} = {rng.randint(0, 9)}")
            ints.append(name)
        elif choice < 0.35:
            name = rng.choice(["xs", "ys", "zs"])
            lines.append(f"{name} = [{rng.randint(0, 9)}, {rng.randint(0, 9)}]")
            lists.append(name)
        elif choice < 0.55 and lists:
            target = rng.choice(lists)
            source = rng.choice(ints) if ints else "1"
            lines.append(f"{target}.append({source})")
        elif choice < 0.7 and (ints or lists):
            name = rng.choice(["a", "b", "c", "d", "e"])
            parts = [rng.choice(ints) for _ in range(rng.randint(1, 2)) if ints]
            parts += [f"sum({rng.choice(lists)})" for _ in range(rng.randint(0, 1)) if lists]
            lines.append(f"{name} = {' + '.join(parts) or '0'}")
            ints.append(name)
        else:
            variable = rng.choice(ints + lists)
            artifact = f"art{step}"
            if variable in lists and rng.random() < 0.3:
                lines.append(f"lineapy.save(list({variable}), {artifact!r})")
            else:
                lines.append(f"lineapy.save({variable}, {artifact!r})")
            saved.append(artifact)
    if not saved:
        variable = (ints + lists)[-1]
        lines.append(f"lineapy.save({variable}, 'last')")
        saved.append("last")
    return "\n".join(lines) + "\n", saved


@pytest.mark.parametrize("seed", range(40))
def test_generated_programs_pipelines_reproduce_every_artifact(
    linea_sandbox: LineaSandbox, seed: int
) -> None:
    code, names = generated_program(seed)
    linea_sandbox.trace(code)
    try:
        values_of(linea_sandbox, names)
    except AssertionError as exc:
        module = lineapy_module(linea_sandbox, names)
        raise AssertionError(f"{exc}\n--- program ---\n{code}--- module ---\n{module}") from None


def lineapy_module(sandbox: LineaSandbox, names: list[str]) -> str:
    with use_context(sandbox.context):
        return lineapy.get_module_definition(names)


def test_generated_programs_are_varied() -> None:
    """The generator produces splits, shared functions and rebinding, not one shape."""
    codes = [generated_program(seed)[0] for seed in range(40)]
    assert sum(".append(" in code for code in codes) >= 15
    assert sum(code.count("lineapy.save(") >= 3 for code in codes) > 10
    assert DATA.exists()
