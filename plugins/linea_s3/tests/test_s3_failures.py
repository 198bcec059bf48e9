"""Saves that fail half-way through an upload leave the store as it was.

Each value below is a list whose middle item acts while the serializer streams the list
into S3: by then several parts of a multipart upload have been sent (the tests use 5 MB
parts), so the failure really happens mid-upload.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from linea_s3.commands import s3 as s3_command
from linea_s3.location import configured_location, unfinished_uploads
from s3_test_server import S3, Relay, multipart_uploads, objects, s3_client, s3_linea

import linea_core as lineapy
from linea_core.context import use_context

MB = 2**20
PART = 5 * MB
# Fail fast when the server is gone: one attempt per request, short timeouts.
IMPATIENT = {"retries": {"max_attempts": 1}, "connect_timeout": 2, "read_timeout": 10}


class CutsTheConnection:
    """Pickling it takes the server away (the list before it is already uploading)."""

    def __init__(self, relay: Relay) -> None:
        self.relay = relay

    def __reduce__(self) -> tuple[Any, ...]:
        self.relay.cut()
        return (str, ("cut",))


class Interrupts:
    def __reduce__(self) -> tuple[Any, ...]:
        raise KeyboardInterrupt


def _values(s3: S3) -> dict[str, int]:
    return {k: v for k, v in objects(s3.endpoint, s3.bucket).items() if k.startswith("values/")}


def test_server_failure_mid_upload_leaves_the_store_consistent(
    s3: S3, relay: Relay, tmp_path: Path
) -> None:
    options = s3.options(relay.endpoint, default_block_size=PART, config_kwargs=IMPATIENT)
    context = s3_linea(tmp_path / "home", f"s3://{s3.bucket}/values", options)
    with use_context(context):
        lineapy.save({"saved": "before"}, "before")
        kept = _values(s3)
        with pytest.raises(Exception) as failure:
            lineapy.save([b"a" * (4 * PART), CutsTheConnection(relay), b"b" * (4 * PART)], "big")
        relay.restore()
        # The storage's own error, not "no serializer could handle it".
        assert "serializer" not in str(failure.value)
        assert [a.name for a in lineapy.artifact_store().artifacts] == ["before"]
        with pytest.raises(Exception, match="No artifact named 'big'"):
            lineapy.get("big")
        assert lineapy.get("before").get_value() == {"saved": "before"}
        assert _values(s3) == kept  # no object for the failed save, complete or not
        # The abort could not reach the server either: the upload is still open, and
        # invisible. `linea s3 uploads --delete` finds and aborts it.
        left = multipart_uploads(s3.endpoint, s3.bucket)
        result = CliRunner().invoke(s3_command, ["uploads", "--min-age", "0", "--delete"])
        assert result.exit_code == 0, result.output
        assert f"Aborted {len(left)} upload(s)" in result.output or not left
        assert multipart_uploads(s3.endpoint, s3.bucket) == []
        lineapy.save({"saved": "after"}, "after")
        assert lineapy.get("after").get_value() == {"saved": "after"}
    context.close()


def test_an_interrupted_upload_is_aborted(s3: S3, tmp_path: Path) -> None:
    options = s3.options(default_block_size=PART)
    context = s3_linea(tmp_path / "home", f"s3://{s3.bucket}/values", options)
    with use_context(context):
        with pytest.raises(KeyboardInterrupt):
            lineapy.save([b"a" * (3 * PART), Interrupts(), b"b"], "interrupted")
        assert lineapy.artifact_store().artifacts == []
    context.close()
    assert _values(s3) == {}
    assert multipart_uploads(s3.endpoint, s3.bucket) == []


KILLED_SCRIPT = """
import os, signal
import linea_core as lineapy

class Dies:
    def __reduce__(self):
        os.kill(os.getpid(), signal.SIGKILL)

lineapy.save({"saved": "first"}, "first")
lineapy.save([b"a" * (4 * 5 * 2**20), Dies(), b"b"], "killed")
"""


def test_a_save_killed_mid_upload_leaves_no_artifact_and_its_parts_are_cleaned_up(
    s3: S3, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    config = {
        "artifact_storage_dir": f"s3://{s3.bucket}/values",
        "storage_options": s3.options(default_block_size=PART),
    }
    (home / "linea_config.json").write_text(json.dumps(config))
    (tmp_path / "killed.py").write_text(KILLED_SCRIPT)
    env = {key: value for key, value in os.environ.items() if not key.startswith("LINEA_")}
    env["LINEA_HOME_DIR"] = str(home)
    linea = str(Path(sys.executable).with_name("linea"))
    killed = subprocess.run(
        [linea, "python", "killed.py"], cwd=tmp_path, env=env, capture_output=True, timeout=300
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert len(multipart_uploads(s3.endpoint, s3.bucket)) == 1  # parts were sent

    listed = subprocess.run(
        [linea, "artifacts", "list", "--json"], env=env, capture_output=True, text=True
    )
    assert [a["artifact_name"] for a in json.loads(listed.stdout)] == ["first"]
    dry = subprocess.run(
        [linea, "s3", "uploads", "--min-age", "0"], env=env, capture_output=True, text=True
    )
    assert "Would abort 1 unfinished upload(s)" in dry.stdout, dry.stderr
    assert len(multipart_uploads(s3.endpoint, s3.bucket)) == 1
    # The grace period protects a save in progress. (moto reports one fixed "Initiated"
    # date for every upload, so "now" is set relative to it rather than the clock.)
    location = configured_location(config["artifact_storage_dir"], config["storage_options"])
    [upload] = unfinished_uploads(location, min_age_s=0)
    a_minute_later = upload.initiated + 60
    assert unfinished_uploads(location, min_age_s=3600, now=a_minute_later) == []
    assert unfinished_uploads(location, min_age_s=30, now=a_minute_later) == [upload]
    done = subprocess.run(
        [linea, "s3", "uploads", "--min-age", "0", "--delete"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert "Aborted 1 upload(s)" in done.stdout, done.stderr
    assert multipart_uploads(s3.endpoint, s3.bucket) == []
    gc = subprocess.run(
        [linea, "artifacts", "gc", "--min-age", "0"], env=env, capture_output=True, text=True
    )
    assert "Nothing to remove" in gc.stdout, gc.stdout + gc.stderr


def test_gc_removes_values_no_artifact_refers_to(s3: S3, tmp_path: Path) -> None:
    """A value object whose record never committed (a crash between upload and commit)
    is found and removed by `linea artifacts gc`; referenced values and objects that are
    not linea's are left alone."""
    home = tmp_path / "home"
    home.mkdir()
    config = {"artifact_storage_dir": f"s3://{s3.bucket}/values", "storage_options": s3.options()}
    (home / "linea_config.json").write_text(json.dumps(config))
    env = {key: value for key, value in os.environ.items() if not key.startswith("LINEA_")}
    env["LINEA_HOME_DIR"] = str(home)
    context = s3_linea(home, config["artifact_storage_dir"], s3.options())
    with use_context(context):
        lineapy.save({"kept": True}, "kept")
    context.close()
    client = s3_client(s3.endpoint)
    orphan = "values/ab/ab" + "0" * 30
    client.put_object(Bucket=s3.bucket, Key=orphan, Body=b"an orphaned value")
    client.put_object(Bucket=s3.bucket, Key="values/notes.txt", Body=b"not linea's")
    linea = str(Path(sys.executable).with_name("linea"))

    def gc(*flags: str) -> str:
        done = subprocess.run(
            [linea, "artifacts", "gc", "--min-age", "0", *flags],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    dry = gc()
    assert f"s3://{s3.bucket}/{orphan}" in dry and "Would remove 1 file(s)" in dry
    assert orphan in _values(s3)
    assert "Removed 1 file(s)" in gc("--delete")
    assert orphan not in _values(s3) and "values/notes.txt" in _values(s3)
    with use_context(s3_linea(home, config["artifact_storage_dir"], s3.options())) as again:
        assert lineapy.get("kept").get_value() == {"kept": True}
        again.close()
