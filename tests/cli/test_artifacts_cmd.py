"""``linea artifacts list | show | delete`` against a real store."""

from __future__ import annotations

import json
from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner, Result

import linea_core
from linea_core.config.options import resolve_options
from linea_core.context import LineaContext, use_context
from linea_core.plugins.host import PluginHost


@pytest.fixture
def saved(host: PluginHost) -> Iterator[None]:
    """nums:0 = [1, 2], nums:1 = {"a": 1}, three:0 = 3, saved through the public API."""
    context = LineaContext(resolve_options(), plugins=host)
    with use_context(context):
        linea_core.save([1, 2], "nums")
        linea_core.save({"a": 1}, "nums")
        linea_core.save(3, "three")
    context.close()
    yield


def run(cli: click.Group, *args: str) -> Result:
    return CliRunner().invoke(cli, ["artifacts", *args])


def assert_user_error(result: Result, *needles: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ")
    for needle in needles:
        assert needle in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_list_on_an_empty_store(cli: click.Group) -> None:
    result = run(cli, "list")
    assert result.exit_code == 0 and result.output == "No artifacts saved yet.\n"


@pytest.mark.usefixtures("saved")
def test_list_prints_one_line_per_version(cli: click.Group) -> None:
    lines = run(cli, "list").stdout.splitlines()
    assert [line.split(" created on ")[0] for line in lines] == ["nums:0", "nums:1", "three:0"]


@pytest.mark.usefixtures("saved")
def test_list_json(cli: click.Group) -> None:
    rows = json.loads(run(cli, "list", "--json").stdout)
    assert [(row["artifact_name"], row["artifact_version"]) for row in rows] == [
        ("nums", 0),
        ("nums", 1),
        ("three", 0),
    ]
    assert all(row["date_created"] for row in rows)


@pytest.mark.usefixtures("saved")
def test_show_latest_and_a_given_version(cli: click.Group) -> None:
    latest = run(cli, "show", "nums").stdout
    assert "name: nums\nversion: 1\n" in latest
    assert "metadata: {" in latest and "value:" not in latest
    old = run(cli, "show", "nums", "--version", "0", "--value").stdout
    assert "version: 0\n" in old and old.endswith("value: [1, 2]\n")
    assert "version: 1\n" in run(cli, "show", "nums", "--version", "latest").stdout


@pytest.mark.usefixtures("saved")
def test_show_errors(cli: click.Group) -> None:
    assert_user_error(run(cli, "show", "numz"), "numz", "nums")
    assert_user_error(run(cli, "show", "nums", "--version", "7"), "nums")
    assert_user_error(run(cli, "show", "nums", "--version", "newest"), "Invalid version 'newest'")


@pytest.mark.usefixtures("saved")
def test_delete_one_version_then_all(cli: click.Group) -> None:
    result = run(cli, "delete", "nums", "--version", "0")
    assert result.exit_code == 0 and result.stdout == "Deleted Artifact: nums version: 0\n"
    assert "nums:0" not in run(cli, "list").stdout
    result = run(cli, "delete", "nums", "--version", "all")
    assert result.stdout == "Deleted Artifact: nums version: 1\n"
    assert run(cli, "list").stdout.startswith("three:0 created on ")


@pytest.mark.usefixtures("saved")
def test_delete_errors(cli: click.Group) -> None:
    assert_user_error(run(cli, "delete", "ghost", "--version", "0"), "ghost")
    assert_user_error(run(cli, "delete", "nums", "--version", "x"), "Invalid version 'x'")
    assert run(cli, "delete", "nums").exit_code == 2  # --version is required
    assert len(run(cli, "list").stdout.splitlines()) == 3  # nothing was deleted
