"""Entry-point discovery agrees with importlib.metadata, and falls back where it must."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from plugin_kit import SitePackages

from linea_core.plugins import discovery
from linea_core.plugins.host import PluginHost


def _stdlib(group: str, path: list[str]) -> list[tuple[str, str, str]]:
    distributions = importlib.metadata.distributions(path=path)
    seen: set[str] = set()
    found = []
    for dist in distributions:  # the same first-wins rule as entry_points()
        key = dist._normalized_name  # type: ignore[attr-defined]
        if key in seen:
            continue
        seen.add(key)
        found += [(ep.name, ep.value, ep.group) for ep in dist.entry_points.select(group=group)]
    return sorted(found)


@pytest.mark.parametrize("group", ["console_scripts", "pytest11", "linea", "no-such-group"])
def test_agrees_with_importlib_metadata_on_this_environment(group: str) -> None:
    ours = discovery.entry_points(group)
    assert ours is not None
    assert sorted((ep.name, ep.value, ep.group) for ep in ours) == _stdlib(group, sys.path)
    assert sorted((ep.name, ep.value) for ep in ours) == sorted(
        (ep.name, ep.value) for ep in importlib.metadata.entry_points(group=group)
    )


def test_first_copy_on_the_path_wins_and_names_normalize(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for root, target in ((first, "mod_a"), (second, "mod_b")):
        kit = SitePackages(root, "g")
        root.mkdir()
        kit.install("My.Plugin", "1.0", {"p": target})
    # A differently spelled copy of the same distribution further down the path.
    (second / "My.Plugin-1.0.dist-info").rename(second / "MY_PLUGIN-2.0.dist-info")
    path = [str(first), str(second), str(tmp_path / "missing")]
    found = discovery.entry_points("g", path)
    assert found is not None
    assert [(ep.name, ep.value) for ep in found] == [("p", "mod_a")]
    assert sorted((n, v) for n, v, _ in _stdlib("g", path)) == [("p", "mod_a")]
    assert found[0].dist.name == "My.Plugin"


def test_entry_points_file_format(tmp_path: Path) -> None:
    info = tmp_path / "x-1.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text(
        "# comment\n[other]\na = nope\n\n[g]\n  one = pkg.mod:obj.attr [extra]\n"
        "two=pkg.mod\n# three = skipped\n"
    )
    found = discovery.entry_points("g", [str(tmp_path)])
    assert [(ep.name, ep.value) for ep in found or []] == [
        ("one", "pkg.mod:obj.attr [extra]"),
        ("two", "pkg.mod"),
    ]
    assert sorted((n, v) for n, v, _ in _stdlib("g", [str(tmp_path)])) == [
        ("one", "pkg.mod:obj.attr [extra]"),
        ("two", "pkg.mod"),
    ]


def test_load_resolves_module_and_attribute_path() -> None:
    ref = discovery.EntryPointRef("x", "os.path:join [extra]", "g", "/nowhere")
    import os.path

    assert ref.load() is os.path.join
    assert discovery.EntryPointRef("x", "os.path", "g", "/").load() is os.path
    with pytest.raises(ValueError, match="malformed"):
        discovery.EntryPointRef("x", "not valid!", "g", "/").load()


def test_zip_archives_on_the_path_fall_back_to_importlib_metadata(tmp_path: Path) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("z-1.dist-info/entry_points.txt", "[g]\nz = zmod\n")
        zf.writestr("z-1.dist-info/METADATA", "Name: z\nVersion: 1\n")
    assert discovery.entry_points("g", [str(archive)]) is None
    assert discovery.entry_points("g", [str(tmp_path / "thing.egg")]) is None


def test_host_finds_plugins_in_a_zip_on_sys_path(tmp_path: Path) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("zipped_plugin.py", "from linea_core.plugins import hookimpl\n")
        zf.writestr(
            "zipped_plugin-1.dist-info/entry_points.txt", "[linea-zip]\nzp = zipped_plugin\n"
        )
        zf.writestr("zipped_plugin-1.dist-info/METADATA", "Name: zipped-plugin\nVersion: 1.0\n")
    snippet = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from linea_core.plugins.host import PluginHost\n"
        "[info] = PluginHost.from_entry_points('linea-zip').plugins()\n"
        "print(info.name, info.distribution, info.version)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", snippet, str(archive)], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["zp", "zipped-plugin", "1.0"]


def test_discovery_does_not_import_importlib_metadata() -> None:
    snippet = (
        "import sys\n"
        "from linea_core.plugins.host import PluginHost\n"
        "host = PluginHost.from_entry_points()\n"
        "host.serializers()\n"
        "print('importlib.metadata' in sys.modules, 'email' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", snippet], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "False"]


def test_host_names_distribution_lazily(tmp_path: Path) -> None:
    kit = SitePackages(tmp_path, "lazy-group")
    kit.install("lazy-dist", "4.5", {"lp": "lazy_mod"}, {"lazy_mod": "x = 1\n"})
    sys.path.insert(0, str(tmp_path))
    try:
        [info] = PluginHost.from_entry_points("lazy-group").plugins()
    finally:
        sys.path.remove(str(tmp_path))
    assert (info.name, info.distribution, info.version) == ("lp", "lazy-dist", "4.5")
