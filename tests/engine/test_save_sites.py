"""Saves anywhere: inside loops, ``if __name__ == "__main__":``, functions, ``try``/``with``.

Every saved version's code, run alone in a fresh interpreter, must recompute that
version's value (a checkpoint saved every epoch: version k is the value at epoch k),
and running it must save nothing (the store is the same afterwards).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.engine


def _trace(tmp_path: Path, source: str, monkeypatch: pytest.MonkeyPatch, **files: str) -> None:
    import linea_core

    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    for name, text in files.items():
        (work / name).write_text(textwrap.dedent(text))
    script = work / "script.py"
    script.write_text(textwrap.dedent(source))
    monkeypatch.chdir(work)
    linea_core.trace(str(script))


def _versions() -> list[Any]:
    import linea_core

    return sorted(linea_core.artifact_store(), key=lambda a: (a.name, a.version))


def _value_source(artifact: Any) -> str:
    from linea_core.slicing import Slicer

    graph, root = artifact._graph_and_root()
    source = Slicer(graph).slice(root, artifact_name=artifact.name).value_source
    assert source is not None
    return str(source)


def _run_alone(code: str, expression: str, workdir: Path) -> Any:
    """Run ``code`` as a script in a new interpreter (same linea home); its value."""
    out = workdir / "value.pickle"
    runner = workdir / "slice_alone.py"
    runner.write_text(
        code + f"\nimport pickle as _p\n_p.dump({expression}, open({str(out)!r}, 'wb'))\n"
    )
    done = subprocess.run(
        [sys.executable, str(runner)],
        cwd=workdir,
        capture_output=True,
        text=True,
        env=dict(os.environ, MPLBACKEND="Agg"),
        timeout=300,
    )
    assert done.returncode == 0, f"the slice fails alone:\n{code}\n{done.stderr}"
    return pickle.loads(out.read_bytes())


def _check_every_version(tmp_path: Path) -> dict[str, str]:
    """Each version's code alone reproduces its value; nothing is saved by running it."""
    versions = _versions()
    assert versions
    count = len(versions)
    codes = {}
    for artifact in versions:
        code = artifact.get_code()
        codes[f"{artifact.name}:{artifact.version}"] = code
        value = _run_alone(code, _value_source(artifact), tmp_path / "work")
        assert value == artifact.get_value(), (
            f"{artifact.name} version {artifact.version}: the slice computes {value!r}, "
            f"the artifact is {artifact.get_value()!r}\n{code}"
        )
        assert artifact.execute() == artifact.get_value()
    assert len(_versions()) == count, "running slices saved artifacts"
    return codes


def test_save_under_main_guard_is_the_value_at_the_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _trace(
        tmp_path,
        """
        import linea_core as lineapy
        x = 5
        y = [1, 2]
        noise = [0]
        if __name__ == "__main__":
            noise.append(1)
            y.append(x * 2)
            lineapy.save(y, "y")
            y.append(99)
        """,
        monkeypatch,
    )
    codes = _check_every_version(tmp_path)
    assert "noise" not in codes["y:0"]
    assert "lineapy" not in codes["y:0"]


def test_save_inside_functions_called_from_the_main_guard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _trace(
        tmp_path,
        """
        import linea_core as lineapy
        base = 3
        unrelated = [99]

        def train(rate):
            model = {"w": base * rate}
            lineapy.save(model, "model")
            model["w"] = -1
            return model

        def main():
            unrelated.append(1)
            total = base * 2
            lineapy.save(total, "total")
            train(0.5)

        if __name__ == "__main__":
            main()
        """,
        monkeypatch,
    )
    codes = _check_every_version(tmp_path)
    # main() is kept whole (with what its body reads), its own save does not run
    assert "lineapy" not in codes["model:0"]
    assert "linea_value_ready(model)" in codes["model:0"]


def test_checkpoint_every_epoch_each_version_is_its_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _trace(
        tmp_path,
        """
        import linea_core as lineapy
        weights = [0]
        losses = []
        for epoch in range(4):
            weights.append(weights[-1] + epoch)
            losses.append(epoch * 0.5)
            lineapy.save(weights, "checkpoint")
            print("epoch", epoch)
        i = 0
        acc = 1
        while i < 3:
            acc = acc * 2
            i += 1
            lineapy.save(acc, "acc")
        lineapy.save(len(weights), "n")
        """,
        monkeypatch,
    )
    codes = _check_every_version(tmp_path)
    assert len([k for k in codes if k.startswith("checkpoint:")]) == 4
    assert "losses" not in codes["checkpoint:2"]
    assert "LineaValueReady.runs == 3" in codes["checkpoint:2"]
    assert "acc" not in codes["n:0"]


def test_saves_in_try_with_nested_functions_and_comprehensions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _trace(
        tmp_path,
        '''
        import io
        import linea_core as lineapy
        try:
            v = int("12")
            lineapy.save(v, "v")
        except ValueError:
            v = 0
        with io.StringIO("abc") as f:
            text = f.read()
            lineapy.save(
                text.upper(),
                "text",
            )
        def outer():
            note = """a
        multi-line string"""
            def inner(k):
                r = k + len(note)
                lineapy.save(r, "r")
            inner(4)
        outer()
        doubled = [lineapy.save(x * 2, "doubled") for x in range(3)]
        ''',
        monkeypatch,
    )
    _check_every_version(tmp_path)


def test_a_site_reached_before_its_save_statement_counts_from_that_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _trace(
        tmp_path,
        """
        import linea_core as lineapy
        def step(w):
            w.append(len(w))
            lineapy.save(w, "w")
        w = []
        step(w)
        step(w)
        for _ in range(2):
            step(w)
        """,
        monkeypatch,
    )
    _check_every_version(tmp_path)


def test_other_saves_in_kept_code_do_not_run_in_a_slice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _trace(
        tmp_path,
        """
        import linea_core as lineapy
        data = [1]
        for k in range(2):
            data.append(k)
            lineapy.save(k, "step")
        def grow(values):
            values.append(10)
            lineapy.save(values, "grown")
            lineapy.save(len(values), "size")
        grow(data)
        lineapy.save(data, "data")
        """,
        monkeypatch,
    )
    codes = _check_every_version(tmp_path)
    assert "lineapy.save" not in codes["data:0"]
    assert "linea_value_ready" not in codes["data:0"]


def test_a_save_linea_cannot_locate_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linea_core.slicing import SliceExecutionError, UnreproducibleSliceWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _trace(
            tmp_path,
            """
            import saving_helper
            result = saving_helper.compute_and_save(4)
            """,
            monkeypatch,
            **{
                "saving_helper.py": """
                import linea_core as lineapy

                def compute_and_save(n):
                    value = n * 3
                    lineapy.save(value, "tripled")
                    return value
                """
            },
        )
    assert any(issubclass(w.category, UnreproducibleSliceWarning) for w in caught)
    (artifact,) = _versions()
    code = artifact.get_code()
    assert code.startswith("# linea: this code does not reproduce the artifact's value: ")
    assert "compute_and_save" in code.splitlines()[0]
    with pytest.raises(SliceExecutionError, match="compute_and_save"):
        artifact.execute()


def test_slices_of_loop_checkpoints_read_like_the_script(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The form is documented (docs/architecture.md, slicing/save_sites.py): exact text."""
    _trace(
        tmp_path,
        """
        import linea_core as lineapy
        weights = [0]
        for epoch in range(3):
            weights.append(weights[-1] + epoch)
            lineapy.save(weights, "ckpt")
        """,
        monkeypatch,
    )
    (first, second, _) = _versions()
    assert second.get_code() == textwrap.dedent(
        '''\
        weights = [0]
        class LineaValueReady(BaseException):
            """linea: the saved value is ready the 2nd time the save runs; stop there."""

            runs = 0

            def __init__(self, value):
                self.value = value


        def linea_value_ready(value):
            LineaValueReady.runs += 1
            if LineaValueReady.runs == 2:
                raise LineaValueReady(value)
        try:
            for epoch in range(3):
                weights.append(weights[-1] + epoch)
                linea_value_ready(weights)
        except LineaValueReady as ready:
            ckpt = ready.value
        else:
            raise RuntimeError("linea: the save of 'ckpt' did not run this time (the inputs took another path than when it was saved), so this code cannot produce that value")
        '''
    )


def test_a_get_in_a_traced_script_reads_the_version_it_read_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _trace(
        tmp_path,
        """
        import linea_core as lineapy
        lineapy.save(1, "source")
        x = lineapy.get("source").get_value()
        lineapy.save(2, "source")
        y = x + 1
        lineapy.save(y, "y")
        """,
        monkeypatch,
    )
    codes = _check_every_version(tmp_path)
    assert 'lineapy.get("source", version=0)' in codes["y:0"]
    import linea_core

    assert linea_core.get("y").get_code(use_lineapy_serialization=False).count("source") == 0


def test_a_handler_catching_base_exception_around_the_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user's ``except BaseException:`` (or bare ``except:``, here in a function the
    loop calls) would swallow the slice's stop: the handler lets it through first."""
    _trace(
        tmp_path,
        """
        import linea_core as lineapy
        total = 0
        def checkpoint(value):
            try:
                lineapy.save(value, "total")
            except: pass
        for step in range(3):
            total += step
            try:
                checkpoint(total)
            except (ValueError, BaseException) as error:
                if step > 5:
                    print(error)
        """,
        monkeypatch,
    )
    codes = _check_every_version(tmp_path)
    assert "except: linea_pass_ready(); pass" in codes["total:1"]
    assert "as error:\n            linea_pass_ready()\n            if step" in codes["total:1"]


def test_a_function_defined_and_called_in_one_statement_rebinds_its_globals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _trace(
        tmp_path,
        """
        import linea_core as lineapy
        a = 3
        if a > 0:
            def double():
                global a
                a = a + a
            double()
        lineapy.save(a, "a")
        """,
        monkeypatch,
    )
    _check_every_version(tmp_path)
