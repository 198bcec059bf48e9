"""Core's built-ins load through the ``linea`` entry point like any other plugin."""

from __future__ import annotations

import warnings

from linea_core.plugins.host import LineaPluginWarning, PluginHost


def test_builtins_load_from_the_entry_point_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", LineaPluginWarning)
        host = PluginHost.from_entry_points()
        infos = {info.name: info for info in host.plugins()}
    builtins = infos["linea_core_builtins"]
    assert builtins.ok, builtins.error
    assert (builtins.distribution, builtins.module) == ("linea-core", "linea_core.builtins")
    assert builtins.provides["storage_backends"] == ("lineapy",)
    assert {"pickle", "cloudpickle"} <= {s.name for s in host.serializers()}
    assert "lineapy" in host.storage_backends()
    assert {"builtins", "stdlib", "numpy", "pandas", "matplotlib"} <= {
        pack.name for pack in host.annotation_packs()
    }
    assert set(builtins.hooks) == {
        "linea_register_annotation_packs",
        "linea_register_serializers",
        "linea_register_storage_backends",
    }
