"""Fixtures for the command-line tests: a host with core's own plugins, and the CLI on it."""

from __future__ import annotations

import click
import pytest

from linea_core.builtins import serializers as builtin_serializers
from linea_core.builtins import storage as builtin_storage
from linea_core.cli.main import make_cli
from linea_core.plugins.host import PluginHost


@pytest.fixture
def host() -> PluginHost:
    """Core's serializers and local storage, without entry-point discovery."""
    return PluginHost.from_modules(builtin_serializers, builtin_storage)


@pytest.fixture
def cli(host: PluginHost) -> click.Group:
    return make_cli(host)
