"""The test side of :mod:`proof_worker`: start a fork server, send it batches of jobs."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import cloudpickle
from proof_worker import load_values_module, read_message, write_message

WORKER_PATH = Path(__file__).resolve().with_name("proof_worker.py")
values = load_values_module()


class Worker:
    """One fork server process (mode ``run``, ``heavy`` or ``trace``), stopped by pid."""

    def __init__(self, mode: str) -> None:
        env = dict(os.environ)
        env.update(
            MPLBACKEND="Agg",
            OPENBLAS_NUM_THREADS="1",
            OMP_NUM_THREADS="1",
            MKL_NUM_THREADS="1",
            LINEA_LOAD_PLUGINS="",
            PYTHONWARNINGS="ignore",
        )
        self.mode = mode
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER_PATH), mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self.process.stdin and self.process.stdout
        ready = read_message(self.process.stdout)  # type: ignore[arg-type]
        self.preloaded: set[str] = set(ready["ready"])

    def run(self, jobs: list[dict[str, Any]], timeout: float = 60) -> list[dict[str, Any]]:
        """Each job in its own forked process, in order; their results."""
        assert self.process.stdin and self.process.stdout
        write_message(
            self.process.stdin,  # type: ignore[arg-type]
            pickle.dumps({"jobs": jobs, "timeout": timeout}),
        )
        try:
            replies = read_message(self.process.stdout)  # type: ignore[arg-type]
        except EOFError:
            raise AssertionError(f"the {self.mode} fork server died") from None
        return [cloudpickle.loads(r) for r in replies]

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
