"""Every hook is documented and exercised, and the documented example plugin works.

In the spirit of datasette's ``test_plugin_hooks_are_documented``: adding a hookspec
without documenting it in docs/hooks.md, or without a test that runs it through the
host, fails here.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from plugin_kit import make_plugin
from toys import JsonSerializer, MemoryBackend, ToyWriter

import linea_core
from linea_core.cli.main import make_cli
from linea_core.config.options import resolve_options
from linea_core.context import LineaContext, use_context
from linea_core.plugins import AnnotationPack, hookimpl, hookspecs
from linea_core.plugins.host import HOOK_NAMES, PluginHost

DOCS = Path(__file__).resolve().parents[2] / "docs"
HOOKS_MD = (DOCS / "hooks.md").read_text()
PLUGINS_MD = (DOCS / "plugins.md").read_text()
# The linea-archive example; the writer walkthrough after it has its own test
# (tests/pipeline/test_writer_walkthrough.py).
ARCHIVE_MD = PLUGINS_MD.split("## Writing a pipeline writer")[0]


def hook_signature(name: str) -> str:
    params = inspect.signature(getattr(hookspecs, name)).parameters
    return f"{name}({', '.join(params)})"


def test_hook_names_are_the_hookspecs() -> None:
    specs = {name for name, obj in vars(hookspecs).items() if hasattr(obj, "linea_spec")}
    assert set(HOOK_NAMES) == specs


@pytest.mark.parametrize("name", HOOK_NAMES)
def test_hook_is_documented_with_its_arguments(name: str) -> None:
    assert f"## `{hook_signature(name)}`" in HOOKS_MD
    assert getattr(hookspecs, name).__doc__, f"hookspec {name} needs a docstring"


def test_docs_describe_no_hook_that_does_not_exist() -> None:
    documented = set(re.findall(r"^## `(linea_\w+)\(", HOOKS_MD, flags=re.MULTILINE))
    assert documented == set(HOOK_NAMES)


# -- each hook exercised through the host ------------------------------------------------


def _exercise_storage_backends() -> None:
    @hookimpl
    def linea_register_storage_backends(register):
        register(MemoryBackend("mem"))

    host = PluginHost.from_modules(
        make_plugin("p", linea_register_storage_backends=linea_register_storage_backends)
    )
    backend = host.storage_backends()["mem"]
    stored = backend.write("a/b", lambda stream: stream.write(b"x"), options={})
    assert backend.open(stored, options={}).read() == b"x"


def _exercise_serializers() -> None:
    @hookimpl
    def linea_register_serializers(register):
        register(JsonSerializer("j", 1))

    host = PluginHost.from_modules(
        make_plugin("p", linea_register_serializers=linea_register_serializers)
    )
    assert [s.name for s in host.serializers()] == ["j"]


def _exercise_annotation_packs() -> None:
    @hookimpl
    def linea_register_annotation_packs(register):
        register(AnnotationPack(name="mine", text="- module: mylib\n  annotations: []\n"))

    host = PluginHost.from_modules(
        make_plugin("p", linea_register_annotation_packs=linea_register_annotation_packs)
    )
    assert [pack.name for pack in host.annotation_packs()] == ["mine"]


def _exercise_pipeline_writers() -> None:
    @hookimpl
    def linea_register_pipeline_writers(register):
        register(ToyWriter("Mixed"))

    host = PluginHost.from_modules(
        make_plugin("p", linea_register_pipeline_writers=linea_register_pipeline_writers)
    )
    assert list(host.pipeline_writers()) == ["MIXED"]


def _exercise_commands() -> None:
    @hookimpl
    def linea_register_commands(cli):
        cli.add_command(click.Command("hi", callback=lambda: click.echo("hi there")))

    host = PluginHost.from_modules(
        make_plugin("p", linea_register_commands=linea_register_commands)
    )
    assert CliRunner().invoke(make_cli(host), ["hi"]).output == "hi there\n"


EXERCISES: dict[str, Callable[[], None]] = {
    "linea_register_storage_backends": _exercise_storage_backends,
    "linea_register_serializers": _exercise_serializers,
    "linea_register_annotation_packs": _exercise_annotation_packs,
    "linea_register_pipeline_writers": _exercise_pipeline_writers,
    "linea_register_commands": _exercise_commands,
}


@pytest.mark.parametrize("name", HOOK_NAMES)
def test_hook_is_exercised(name: str) -> None:
    assert name in EXERCISES, f"add an exercise for the new hook {name} to this test"
    EXERCISES[name]()


# -- the complete example in docs/plugins.md ---------------------------------------------


def code_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


@pytest.fixture
def archive_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    [source] = [b for b in code_blocks(ARCHIVE_MD, "python") if b.startswith("# file: ")]
    relative = source.splitlines()[0].removeprefix("# file: ").strip()
    path = tmp_path / "src" / relative
    path.parent.mkdir(parents=True)
    (path.parent / "__init__.py").write_text("")
    path.write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    module_name = relative.removesuffix(".py").replace("/", ".")
    yield importlib.import_module(module_name)
    for name in [module_name, module_name.split(".")[0]]:
        sys.modules.pop(name, None)


def test_documented_pyproject_points_at_the_documented_module() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    [pyproject] = [b for b in code_blocks(ARCHIVE_MD, "toml") if "[project]" in b]
    data = tomllib.loads(pyproject)
    assert data["project"]["entry-points"]["linea"] == {"archive": "linea_archive.plugin"}
    assert "# file: linea_archive/plugin.py" in PLUGINS_MD


def test_documented_example_plugin_works(archive_plugin: object, tmp_path: Path) -> None:
    from linea_core.builtins import serializers, storage

    host = PluginHost()
    host.register(serializers)
    host.register(storage)
    host.register(archive_plugin, name="archive", distribution="linea-archive", version="1.0.0")
    archive_dir = tmp_path / "archive"

    context = LineaContext(resolve_options(), plugins=host)
    with use_context(context):
        linea_core.save(
            {"threshold": 0.7}, "settings", storage_backend="archive", archive_dir=str(archive_dir)
        )
        linea_core.save((1, 2), "pair", storage_backend="archive", archive_dir=str(archive_dir))
        assert linea_core.get("settings").get_value() == {"threshold": 0.7}
        assert linea_core.get("pair").get_value() == (1, 2)  # JSON declined: pickle
        serializers_used = {
            row["artifact_name"]: row["serializer"] for row in linea_core.artifact_store().export
        }
    context.close()
    assert serializers_used == {"settings": "json", "pair": "pickle"}
    stored = [p for p in archive_dir.rglob("*") if p.is_file()]
    assert len(stored) == 2 and b'{"threshold": 0.7}' in {p.read_bytes() for p in stored}

    cli = make_cli(host)
    usage = CliRunner().invoke(cli, ["archive", "usage", str(archive_dir)])
    assert usage.output.startswith("2 values, ")

    listing = CliRunner().invoke(cli, ["plugins", "list"]).output
    archive_block = listing[listing.index("archive  (") :].split("\n\n")[0].strip()
    documented = [b for b in code_blocks(PLUGINS_MD, "text") if b.startswith("archive  (")]
    assert documented == [archive_block + "\n"]
