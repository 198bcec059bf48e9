"""Credentials given in storage_options never reach the database, the log or a message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from s3_test_server import S3

SCRIPT = """
import linea_core as lineapy
import numpy as np

weights = np.arange(1000, dtype=np.float64)
lineapy.save(weights, "weights")
print("loaded", lineapy.get("weights").get_value().sum())
print(lineapy.options)
print(lineapy.get("weights").get_metadata())
"""

BROKEN = """
import linea_core as lineapy
lineapy.save({"a": 1}, "elsewhere")
"""


def _linea(home: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("LINEA_")}
    env["LINEA_HOME_DIR"] = str(home)
    linea = Path(sys.executable).with_name("linea")
    return subprocess.run(
        [str(linea), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_secrets_appear_nowhere(s3: S3, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    config = {
        "artifact_storage_dir": f"s3://{s3.bucket}/values",
        "storage_options": s3.options(),
        "logging_level": "DEBUG",
    }
    (home / "linea_config.json").write_text(json.dumps(config))
    (tmp_path / "script.py").write_text(SCRIPT)
    (tmp_path / "broken.py").write_text(BROKEN)

    runs = [
        _linea(home, "python", "script.py", cwd=tmp_path),
        _linea(home, "artifacts", "list", cwd=tmp_path),
        _linea(home, "artifacts", "list", "--json", cwd=tmp_path),
        _linea(home, "artifacts", "gc", "--min-age", "0", cwd=tmp_path),
        _linea(home, "s3", "check", cwd=tmp_path),
        _linea(home, "s3", "uploads", "--min-age", "0", cwd=tmp_path),
        _linea(home, "--help", cwd=tmp_path),
    ]
    assert [run.returncode for run in runs] == [0] * len(runs), [r.stderr for r in runs]
    assert "loaded 499500.0" in runs[0].stdout
    assert "is readable and writable" in runs[4].stdout

    # Errors a user can cause, with the same credentials: a bucket that does not exist.
    config["artifact_storage_dir"] = "s3://no-such-bucket/values"
    (home / "linea_config.json").write_text(json.dumps(config))
    failures = [
        _linea(home, "python", "broken.py", cwd=tmp_path),
        _linea(home, "s3", "check", cwd=tmp_path),
    ]
    assert all(run.returncode != 0 for run in failures)
    assert "no-such-bucket" in failures[1].stderr and len(failures[1].stderr.splitlines()) == 1

    written: dict[str, bytes] = {
        str(path.relative_to(home)): path.read_bytes()
        for path in home.rglob("*")
        if path.is_file() and path.name != "linea_config.json"
    }
    assert any(name.startswith("db.sqlite") for name in written), sorted(written)
    for run in [*runs, *failures]:
        written[f"output of {run.args[1:]}"] = (run.stdout + run.stderr).encode()
    for secret in (s3.key, s3.secret):
        # the test's own strings are findable where they are meant to be
        assert secret.encode() in (home / "linea_config.json").read_bytes()
        leaks = [where for where, content in written.items() if secret.encode() in content]
        assert leaks == [], f"{secret} found in {leaks}"
