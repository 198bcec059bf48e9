"""The soundness check of one program: traced == plain, and every saved version's slice,
run alone in a new process, recomputes that version's value (also under input variants).

How a slice's value is read back: the slice runs with a recording stand-in for
``linea_core``. If the slice kept the save call (a save inside a loop or a function,
where the value only exists there), the k-th recorded save of the artifact's name is
version k's value, pickled at the moment of the call. Otherwise (a top-level save,
whose line the slice drops) it is the variable of the artifact's name when the slice
ends; generated programs save a variable under its own name for that reason.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

from proof_client import Worker, values


class GeneratorBug(Exception):
    """A generated program fails as plain Python: the generator is wrong, not linea.

    Not an AssertionError, so an ``xfail(raises=AssertionError)`` class test does not
    take a broken generator for the known unsoundness."""


@dataclass(frozen=True)
class Program:
    """A generated program: source (imports linea as ``lineapy``), local modules it
    imports, and whole-line replacements under which every slice must still be right."""

    source: str
    files: tuple[tuple[str, str], ...] = ()
    variants: tuple[tuple[tuple[str, str], ...], ...] = ()

    def __repr__(self) -> str:  # hypothesis prints the shrunk example with this
        parts = ["Program(source=<<<\n" + self.source + ">>>"]
        for name, text in self.files:
            parts.append(f"file {name}=<<<\n{text}>>>")
        if self.variants:
            parts.append(f"variants={list(self.variants)!r}")
        return ",\n".join(parts) + ")"


def apply_variant(text: str, variant: tuple[tuple[str, str], ...]) -> str:
    lines = text.splitlines(keepends=True)
    for old, new in variant:
        lines = [
            line.replace(old, new, 1) if line.strip() == old.strip() else line for line in lines
        ]
    return "".join(lines)


@dataclass
class Outcome:
    """What checking one program found: problems (empty = sound) and sizes."""

    problems: list[str] = field(default_factory=list)
    slices: int = 0
    program_lines: int = 0
    slice_lines: list[int] = field(default_factory=list)


def _by_name(saves: list[tuple[str, Any]]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for name, value in saves:
        found.setdefault(name, []).append(value)
    return found


def slice_value(result: dict[str, Any], name: str, index: int) -> tuple[bool, Any]:
    """(found, value) of version ``index`` of ``name`` from a slice's run."""
    recorded = [v for n, v in result.get("saves", []) if n == name]
    if len(recorded) > index:
        return True, recorded[index]
    value = result.get("values", {}).get("value")
    if isinstance(value, values.Ref) and value.kind == "unbound":
        return False, value.name
    return True, value


def check_program(
    program: Program, runner: Worker, tracer: Worker, *, plain_failure_ok: bool = True
) -> Outcome:
    """Check ``program`` (see the module's docstring). ``plain_failure_ok``: under a
    variant, a slice may fail saying its save did not run (version k came from another
    save under those inputs), as the soundness rule allows."""
    files = dict(program.files)
    outcome = Outcome(program_lines=len(program.source.splitlines()))
    problems = outcome.problems
    (plain,) = runner.run([{"kind": "run", "code": program.source, "files": files, "final": True}])
    if plain["error"] is not None:
        raise GeneratorBug(f"{program!r}\nfails as plain python:\n{plain['error']}")
    (traced,) = tracer.run([{"kind": "trace", "code": program.source, "files": files}])
    if traced.get("error"):
        problems.append(f"the traced run raises:\n{traced['error']}")
        return outcome

    plain_final, traced_final = plain["final"], traced["final"]
    if set(plain_final) != set(traced_final):
        problems.append(
            f"traced run ends with names {sorted(traced_final)}, plain {sorted(plain_final)}"
        )
    for name in sorted(set(plain_final) & set(traced_final)):
        found = values.difference(traced_final[name], plain_final[name], name)
        if found:
            problems.append(f"traced run ends differently from plain python: {found}")

    plain_saves = _by_name(plain["saves"])
    versions = traced["versions"]
    traced_counts = {n: sum(1 for v in versions if v["name"] == n) for n in plain_saves}
    for name, saved in plain_saves.items():
        if traced_counts.get(name, 0) != len(saved):
            problems.append(
                f"{name}: plain python saved it {len(saved)} times, the traced run "
                f"{traced_counts.get(name, 0)} times"
            )

    runs = [("", None)] + [(f" under variant {list(v)}", v) for v in program.variants]
    expected: list[dict[str, list[Any]]] = [plain_saves]
    if program.variants:
        variant_plains = runner.run(
            [
                {"kind": "run", "code": apply_variant(program.source, v), "files": files}
                for v in program.variants
            ]
        )
        for v, result in zip(program.variants, variant_plains, strict=True):
            if result["error"] is not None:
                raise GeneratorBug(f"{program!r}\nvariant {v} fails:\n{result['error']}")
            expected.append(_by_name(result["saves"]))

    jobs, checks = [], []
    for version in versions:
        name, index, code = version["name"], version["index"], version["code"]
        saved = plain_saves.get(name, [])
        if code is None:
            problems.append(f"{name} version {index}: get_code() raises\n{version['code_error']}")
            continue
        if index < len(saved):
            found = values.difference(version["value"], saved[index], f"{name}[{index}]")
            if found:
                problems.append(f"stored value differs from plain python's save: {found}")
        outcome.slices += 1
        outcome.slice_lines.append(len(code.splitlines()))
        for (label, variant), wanted in zip(runs, expected, strict=True):
            if index >= len(wanted.get(name, [])):
                continue  # under this variant the save does not run that often
            text = apply_variant(code, variant) if variant else code
            jobs.append({"kind": "run", "code": text, "files": files, "exprs": {"value": name}})
            checks.append((name, index, label, text, wanted[name][index]))
    for result, (name, index, label, text, wanted) in zip(runner.run(jobs), checks, strict=True):
        where = f"slice of {name} version {index}{label}"
        if result["error"] and len([n for n, _ in result.get("saves", []) if n == name]) <= index:
            if label and plain_failure_ok and _SAID_PLAINLY in result["error"]:
                # Under other inputs the save the slice stops at did not run (version k
                # came from another save statement): the slice says so and fails, as
                # the rule allows; in the traced inputs' run that would be a failure.
                continue
            problems.append(f"{where} raises when run alone:\n{_code(text)}\n{result['error']}")
            continue
        found_value, value = slice_value(result, name, index)
        if not found_value:
            problems.append(f"{where} does not compute {name} ({value}):\n{_code(text)}")
            continue
        found = values.difference(value, wanted, name)
        if found:
            problems.append(f"{where} recomputes a different value: {found}\n{_code(text)}")
    return outcome


_SAID_PLAINLY = "did not run this time (the inputs took another path than when it was saved)"


def _code(text: str) -> str:
    return textwrap.indent(text, "    | ")
