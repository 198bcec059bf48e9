"""Soundness figures for `make bench`: how often a slice run alone reproduces its value.

Two sources, both from the proof in tests/proof:

- the real-world corpus (tests/realworld, scripts written by others, run under
  ``linea python``): sound slices / slices checked, and the size of each slice against its
  script (lines);
- the generated programs of each class of unsound slice (tests/proof/programs.py) (``--proof-examples`` per class):
  programs with every slice sound / programs, slices, and time per program.

Measured, not asserted: the tests hold the xfail marks; this reports where things stand.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROOF_DIR = Path(__file__).resolve().parents[1] / "tests" / "proof"


def _import_proof() -> None:
    if str(PROOF_DIR) not in sys.path:
        sys.path.insert(0, str(PROOF_DIR))


def bench_realworld() -> dict[str, Any]:
    _import_proof()
    from proof_client import Worker
    from realworld import check_script, load_manifest

    scripts = load_manifest()
    worker, reader = Worker("heavy"), Worker("trace")
    started = time.perf_counter()
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="linea-bench-realworld-") as work:
            for script in scripts:
                outcome = check_script(script, Path(work) / script.name, worker, reader)
                rows.append(
                    {
                        "script": script.name,
                        "script_lines": outcome.script_lines,
                        "slice_lines": outcome.slice_lines,
                        "unsound": sorted(outcome.unsound),
                        "error": outcome.error,
                    }
                )
    finally:
        worker.close()
        reader.close()
    checked = [(r, n) for r in rows if not r["error"] for n in r["slice_lines"]]
    sound = sum(1 for r, n in checked if n not in r["unsound"])
    ratios = [r["slice_lines"][n] / r["script_lines"] for r, n in checked]
    return {
        "scripts": len(rows),
        "scripts_failing": [r["script"] for r in rows if r["error"]],
        "slices": len(checked),
        "sound": sound,
        "unsound": [f"{r['script']}:{n}" for r, n in checked if n in r["unsound"]],
        "mean_script_lines": statistics.mean(r["script_lines"] for r in rows) if rows else None,
        "mean_slice_lines": statistics.mean(r["slice_lines"][n] for r, n in checked)
        if checked
        else None,
        "median_slice_to_script": statistics.median(ratios) if ratios else None,
        "seconds": time.perf_counter() - started,
        "rows": rows,
    }


def bench_generated(examples: int) -> dict[str, Any]:
    _import_proof()
    import programs
    from proof_client import Worker

    classes = {
        "saves in compound statements": programs.compound_programs(functions=False),
        "saves in functions and main()": programs.compound_programs(compounds=(), functions=True),
        "branches not taken (input variants)": programs.compound_programs(variants=True),
        "aliasing through copies and containers": programs.aliasing_programs(),
        "global random state": programs.global_state_programs(features="random"),
        "module state, decimal, recursion limit": programs.global_state_programs(
            features="modules"
        ),
        "indirect calls": programs.indirect_programs(),
    }
    runner, tracer = Worker("run"), Worker("trace")
    try:
        return {
            label: _measure_class(strategy, examples, runner, tracer)
            for label, strategy in classes.items()
        }
    finally:
        runner.close()
        tracer.close()


def _measure_class(strategy: Any, examples: int, runner: Any, tracer: Any) -> dict[str, Any]:
    from hypothesis import HealthCheck, given, settings
    from soundness import check_program

    tally = {"programs": 0, "sound_programs": 0, "slices": 0, "program_lines": 0}
    slice_lines: list[int] = []

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def measure(program: Any) -> None:
        outcome = check_program(program, runner, tracer)
        tally["programs"] += 1
        tally["sound_programs"] += not outcome.problems
        tally["slices"] += outcome.slices
        tally["program_lines"] += outcome.program_lines
        slice_lines.extend(outcome.slice_lines)

    started = time.perf_counter()
    measure()
    seconds = time.perf_counter() - started
    return {
        **tally,
        "seconds_per_program": seconds / max(tally["programs"], 1),
        "mean_slice_lines": statistics.mean(slice_lines) if slice_lines else None,
    }


def render(results: dict[str, Any]) -> str:
    lines = ["\nSoundness: slices run alone in a new process, compared with the saved value"]
    real = results.get("realworld")
    if real:
        if "error" in real:
            lines.append(f"  real-world corpus: failed ({real['error']})")
        else:
            rate = real["sound"] / real["slices"] if real["slices"] else 0.0
            lines.append(
                f"  real-world corpus: {real['sound']}/{real['slices']} slices sound "
                f"({rate:.0%}) over {real['scripts']} scripts by others "
                f"({real['seconds']:.0f} s); mean script {real['mean_script_lines']:.0f} lines, "
                f"mean slice {real['mean_slice_lines']:.1f} lines, median slice/script "
                f"{real['median_slice_to_script']:.0%}"
            )
            if real["unsound"]:
                lines.append(f"    unsound: {', '.join(real['unsound'])}")
            if real["scripts_failing"]:
                lines.append(f"    failing under linea: {', '.join(real['scripts_failing'])}")
    generated = results.get("generated")
    if generated:
        if "error" in generated:
            lines.append(f"  generated programs: failed ({generated['error']})")
        for label, g in generated.items() if "error" not in generated else ():
            rate = g["sound_programs"] / g["programs"] if g["programs"] else 0.0
            lines.append(
                f"  generated, {label}: {g['sound_programs']}/{g['programs']} programs "
                f"with every slice sound ({rate:.0%}), {g['slices']} slices, "
                f"{g['seconds_per_program'] * 1000:.0f} ms per program"
            )
    return "\n".join(lines)
