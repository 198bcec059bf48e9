"""Maintenance: choose which variables of each real-world script the proof saves.

Run by hand after adding scripts (``python tests/proof/choose_realworld_saves.py``): each
script listed in MANIFEST.json runs twice as plain Python (each run in a new process);
data values (arrays, frames, numbers, fitted estimators, containers) that both runs
compute identically are candidates, and up to ``--per-script`` of them, spread over the
script (first bound to last), are written back as the script's ``saves``. A script
with no such value is reported. The choice is data, reviewed like any other change.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from proof_client import Worker, values  # noqa: E402
from realworld import REALWORLD  # noqa: E402

MAX_PICKLE = 2_000_000


def candidates(final_a: dict[str, object], final_b: dict[str, object]) -> list[str]:
    found = []
    for name, value in final_a.items():
        if name.startswith("_") or name not in final_b or isinstance(value, values.Ref):
            continue
        if values.difference(value, final_b[name], name) is not None:
            continue
        module = type(value).__module__
        if not (
            module.split(".")[0] in ("numpy", "pandas", "sklearn", "builtins", "scipy")
            and not callable(value)
        ):
            continue
        if value is None or isinstance(value, (str, bool)):
            continue
        try:
            if len(pickle.dumps(value)) > MAX_PICKLE:
                continue
        except Exception:
            continue
        found.append(name)
    return found


def spread(names: list[str], count: int) -> list[str]:
    if len(names) <= count:
        return names
    step = (len(names) - 1) / (count - 1)
    return sorted({names[round(i * step)] for i in range(count)}, key=names.index)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-script", type=int, default=4)
    args = parser.parse_args()
    manifest_path = REALWORLD / "MANIFEST.json"
    manifest = json.loads(manifest_path.read_text())
    worker = Worker("heavy")
    try:
        for script in manifest["scripts"]:
            path = REALWORLD / f"{script['name']}.py"
            job = {"kind": "run", "path": str(path), "cwd": str(REALWORLD), "final": True}
            first, second = worker.run([job, job], timeout=600)
            if first["error"] or second["error"]:
                print(f"{script['name']}: fails\n{first['error'] or second['error']}")
                script["saves"] = []
                continue
            script["saves"] = spread(candidates(first["final"], second["final"]), args.per_script)
            print(f"{script['name']}: {script['saves']}")
    finally:
        worker.close()
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
