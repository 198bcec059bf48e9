"""Core's built-ins are plugins registered by module name, before installed plugins,
through the same hooks; which installed plugins load is the user's choice."""

from __future__ import annotations

import warnings

import pytest
from plugin_kit import SitePackages

from linea_core.plugins.host import (
    BUILTIN_PLUGINS,
    DISABLE_PLUGINS_ENV,
    LOAD_PLUGINS_ENV,
    LineaPluginWarning,
    PluginHost,
    PluginSelection,
)

WRITER_PLUGIN = """
from linea_core.plugins import hookimpl

class Writer:
    framework = "{framework}"
    def options_model(self):
        return None
    def render(self, pipeline, options):
        return []

@hookimpl
def linea_register_pipeline_writers(register):
    register(Writer())
"""


def test_builtins_load_without_warnings_and_provide_cores_kinds() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", LineaPluginWarning)
        host = PluginHost.installed(selection=PluginSelection(only=frozenset()))
        infos = {info.name: info for info in host.plugins()}
    assert list(infos) == list(BUILTIN_PLUGINS)
    for name in BUILTIN_PLUGINS:
        assert infos[name].ok, infos[name].error
        assert (infos[name].distribution, infos[name].module) == ("linea-core", name)
    assert infos["linea_core.builtins.storage"].provides["storage_backends"] == ("lineapy",)
    assert infos["linea_core.writers.script"].provides["pipeline_writers"] == ("SCRIPT",)
    assert {"pickle", "cloudpickle"} <= {s.name for s in host.serializers()}
    assert {"builtins", "stdlib", "numpy", "pandas", "matplotlib"} <= {
        pack.name for pack in host.annotation_packs()
    }


def _two_plugins(site: SitePackages) -> None:
    for dist, name, framework in (
        ("linea-alpha", "alpha", "ALPHA"),
        ("linea-beta", "beta", "BETA"),
    ):
        site.install(
            dist,
            "1.0",
            {name: f"linea_{name}_plugin"},
            {f"linea_{name}_plugin": WRITER_PLUGIN.format(framework=framework)},
        )


def test_installed_plugins_come_after_the_builtins(site: SitePackages) -> None:
    _two_plugins(site)
    host = PluginHost.installed(group=site.group, selection=PluginSelection())
    names = [info.name for info in host.plugins()]
    assert names == [*BUILTIN_PLUGINS, "alpha", "beta"]
    assert set(host.pipeline_writers()) == {"SCRIPT", "ALPHA", "BETA"}


@pytest.mark.parametrize(
    ("environ", "frameworks"),
    [
        ({}, {"SCRIPT", "ALPHA", "BETA"}),
        ({LOAD_PLUGINS_ENV: ""}, {"SCRIPT"}),
        ({LOAD_PLUGINS_ENV: "alpha"}, {"SCRIPT", "ALPHA"}),
        ({LOAD_PLUGINS_ENV: "linea-beta"}, {"SCRIPT", "BETA"}),  # a distribution name
        ({LOAD_PLUGINS_ENV: " Alpha , linea_beta "}, {"SCRIPT", "ALPHA", "BETA"}),
        ({DISABLE_PLUGINS_ENV: "beta"}, {"SCRIPT", "ALPHA"}),
        ({DISABLE_PLUGINS_ENV: "LINEA-ALPHA"}, {"SCRIPT", "BETA"}),
        ({DISABLE_PLUGINS_ENV: "*"}, {"SCRIPT"}),
        ({LOAD_PLUGINS_ENV: "alpha,beta", DISABLE_PLUGINS_ENV: "alpha"}, {"SCRIPT", "BETA"}),
    ],
)
def test_plugin_selection_from_the_environment(
    site: SitePackages, environ: dict[str, str], frameworks: set[str]
) -> None:
    _two_plugins(site)
    selection = PluginSelection.from_environment(environ)
    host = PluginHost.installed(group=site.group, selection=selection)
    assert set(host.pipeline_writers()) == frameworks


def test_a_left_out_plugin_is_not_even_imported(site: SitePackages) -> None:
    site.install(
        "linea-boom", "1.0", {"boom": "linea_boom_plugin"}, {"linea_boom_plugin": "1 / 0\n"}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", LineaPluginWarning)
        host = PluginHost.installed(
            group=site.group, selection=PluginSelection(disabled=frozenset({"boom"}))
        )
        assert [info.name for info in host.plugins()] == list(BUILTIN_PLUGINS)


def test_the_environment_selects_for_the_default_host(
    site: SitePackages, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_plugins(site)
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "beta")
    host = PluginHost.installed(group=site.group)
    assert set(host.pipeline_writers()) == {"SCRIPT", "BETA"}


def test_core_tests_run_with_builtins_only() -> None:
    """tests/conftest.py sets LINEA_LOAD_PLUGINS="" so that core's tests do not depend
    on the plugins installed next to linea-core."""
    host = PluginHost.installed()
    assert [info.name for info in host.plugins()] == list(BUILTIN_PLUGINS)


def test_builtin_plugin_list_names_plugin_modules() -> None:
    """Each module the host registers by name exists and implements linea hooks."""
    import importlib

    from linea_core.plugins.host import HOOK_NAMES

    for name in BUILTIN_PLUGINS:
        module = importlib.import_module(name)
        hooks = [hook for hook in HOOK_NAMES if callable(getattr(module, hook, None))]
        assert hooks, f"{name} is listed in BUILTIN_PLUGINS but implements no linea hook"
