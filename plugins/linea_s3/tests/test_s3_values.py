"""Values saved to and loaded from S3 through linea's API, as users configure it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from s3_test_server import S3, multipart_uploads, objects, s3_linea

import linea_core as lineapy
from linea_core.context import LineaContext, use_context

MB = 2**20


def _value_keys(s3: S3, prefix: str = "values/") -> dict[str, int]:
    return {
        key: size for key, size in objects(s3.endpoint, s3.bucket).items() if key.startswith(prefix)
    }


@pytest.mark.parametrize(
    "make_value",
    [
        pytest.param(lambda: {"threshold": 0.7, "labels": ["a", "b"]}, id="small-dict"),
        pytest.param(lambda: b"\x00\x01" * (MB // 2), id="1MB-bytes"),
        pytest.param(lambda: np.arange(20 * MB // 8, dtype=np.float64), id="20MB-array"),
        # several parts of a multipart upload (linea sends 5 MiB parts by default)
        pytest.param(lambda: np.random.default_rng(1).random(130 * MB // 8), id="130MB-array"),
        # a .npy file of exactly two parts (a 128-byte header): nothing left for a last part
        pytest.param(
            lambda: np.random.default_rng(2).integers(0, 255, 10 * MB - 128, dtype=np.uint8),
            id="exactly-two-parts",
        ),
    ],
)
def test_values_of_several_sizes_round_trip(linea_on_s3: LineaContext, s3: S3, make_value) -> None:  # type: ignore[no-untyped-def]
    value = make_value()
    artifact = lineapy.save(value, "value")
    loaded = lineapy.get("value").get_value()
    if isinstance(value, np.ndarray):
        assert isinstance(loaded, np.ndarray) and np.array_equal(loaded, value)
        assert loaded.dtype == value.dtype
    else:
        assert loaded == value
    metadata = artifact.get_metadata()["lineapy"]
    assert metadata["storage_backend"] == "lineapy"
    assert metadata["storage_path"].startswith(f"s3://{s3.bucket}/values/")
    stored = _value_keys(s3)
    assert list(stored.values()) == [metadata["size"]]
    assert metadata["storage_path"].endswith(next(iter(stored)))
    assert multipart_uploads(s3.endpoint, s3.bucket) == []
    lineapy.delete("value", "all")
    assert _value_keys(s3) == {}


def test_default_credential_chain_and_aws_endpoint_url(
    s3: S3, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No storage_options at all: credentials and endpoint from the environment, as the
    AWS CLI and boto3 find them."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", s3.key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", s3.secret)
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3.endpoint)
    context = s3_linea(tmp_path / "home", f"s3://{s3.bucket}/from-env", None)
    with use_context(context):
        lineapy.save([1, 2, 3], "numbers")
        assert lineapy.get("numbers").get_value() == [1, 2, 3]
    context.close()
    assert len(_value_keys(s3, "from-env/")) == 1


def test_a_named_profile_is_used(s3: S3, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """storage_options {"profile": NAME}: credentials and endpoint from that profile of
    the shared AWS files, as `aws --profile NAME` would use them."""
    config = tmp_path / "aws-config"
    config.write_text(f"[profile linea-test]\nregion = us-east-1\nendpoint_url = {s3.endpoint}\n")
    credentials = tmp_path / "aws-credentials"
    credentials.write_text(
        f"[linea-test]\naws_access_key_id = {s3.key}\naws_secret_access_key = {s3.secret}\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    context = s3_linea(tmp_path / "home", f"s3://{s3.bucket}/profiled", {"profile": "linea-test"})
    with use_context(context):
        lineapy.save({"from": "profile"}, "profiled")
        assert lineapy.get("profiled").get_value() == {"from": "profile"}
    context.close()
    assert len(_value_keys(s3, "profiled/")) == 1


def test_a_database_keeps_reading_values_after_the_storage_dir_moves(
    linea_on_s3: LineaContext, s3: S3, tmp_path: Path
) -> None:
    """Each value records the S3 location it was written to, without credentials."""
    lineapy.save({"where": "s3"}, "kept")
    lineapy.options.set("artifact_storage_dir", str(tmp_path / "local-values"))
    lineapy.save({"where": "local"}, "local")
    assert lineapy.get("kept").get_value() == {"where": "s3"}
    assert lineapy.get("local").get_value() == {"where": "local"}
    assert (
        lineapy.get("kept")
        .get_metadata()["lineapy"]["storage_path"]
        .startswith(f"s3://{s3.bucket}/values/")
    )


def test_saves_share_one_filesystem_and_leave_storage_options_as_given(
    s3: S3, tmp_path: Path
) -> None:
    """botocore rewrites a ``config_kwargs`` "retries" dict in place; given linea's own
    options, that changed fsspec's cache key after the first save and every later save
    built another filesystem and S3 client."""
    import s3fs

    options = s3.options(config_kwargs={"read_timeout": 60, "retries": {"max_attempts": 2}})
    context = s3_linea(tmp_path / "home", f"s3://{s3.bucket}/values", options)
    with use_context(context):
        for number in range(3):
            lineapy.save({"number": number}, f"value{number}")
        assert [lineapy.get(f"value{n}").get_value() for n in range(3)] == [
            {"number": n} for n in range(3)
        ]
        assert lineapy.options.storage_options["config_kwargs"] == {
            "read_timeout": 60,
            "retries": {"max_attempts": 2},
        }
    context.close()
    assert len(s3fs.S3FileSystem._cache) == 1
