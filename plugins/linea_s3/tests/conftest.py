"""Fixtures of linea-s3's tests: one moto S3 server per test process, reset for each test,
and a linea whose artifact_storage_dir is a bucket on it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from s3_test_server import S3, MotoServer, Relay, s3_client, s3_linea

from linea_core.context import LineaContext, use_context

BUCKET = "linea-test"


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    server = MotoServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def s3(moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[S3]:
    """An empty bucket on a freshly reset server; AWS settings of the shell kept out."""
    import s3fs

    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    moto_server.reset()
    s3_client(moto_server.endpoint).create_bucket(Bucket=BUCKET)
    # fsspec caches filesystems by their options, not by the environment they read.
    s3fs.S3FileSystem.clear_instance_cache()
    yield S3(
        moto_server,
        BUCKET,
        key=f"AKIA{uuid.uuid4().hex[:16].upper()}",
        secret=f"linea-secret-{uuid.uuid4().hex}",
    )
    s3fs.S3FileSystem.clear_instance_cache()


@pytest.fixture
def relay(moto_server: MotoServer) -> Iterator[Relay]:
    """A way to the server that a test can cut (see :class:`Relay`)."""
    front = Relay(moto_server.port)
    try:
        yield front
    finally:
        front.close()


@pytest.fixture
def linea_on_s3(s3: S3, tmp_path: Path) -> Iterator[LineaContext]:
    """The current linea, storing values under s3://linea-test/values with explicit options."""
    context = s3_linea(tmp_path / "linea_home", f"s3://{s3.bucket}/values", s3.options())
    with use_context(context):
        yield context
    context.close()
