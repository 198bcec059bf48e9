"""Running a measuring child process, for every benchmark: a fresh interpreter per
measurement, whose figures are the JSON object its last line of output prints."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


class ChildFailed(RuntimeError):
    """The child exited with an error; the message is the last line it wrote to stderr."""


def run_child(args: list[str], env: dict[str, str], cwd: Path | None = None) -> dict[str, Any]:
    """``python *args`` in ``env`` (and ``cwd``); the JSON object its last line prints."""
    proc = subprocess.run([sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        raise ChildFailed(lines[-1][:300] if lines else f"failed (exit status {proc.returncode})")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))
