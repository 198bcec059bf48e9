"""``linea annotate add | list | delete`` through the real command line group."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from annotation_kit import PYPERCLIP
from click.testing import CliRunner, Result

from linea_core.annotations.index import AnnotationIndex
from linea_core.builtins import annotation_packs
from linea_core.cli.main import make_cli
from linea_core.plugins.host import PluginHost

BROKEN = """\
- module: pyperclip
  annotations:
    - criteria:
        function_names: [copy]
      side_effects:
        - mutated_value:
            self_ref: SELF
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "my_annotations"
    monkeypatch.setenv("LINEA_CUSTOMIZED_ANNOTATION_FOLDER", str(target))
    return target


@pytest.fixture
def cli() -> click.Group:
    return make_cli(PluginHost.from_modules(annotation_packs))


def run(cli: click.Group, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def pack_file(tmp_path: Path, text: str, name: str = "pyperclip.annotations.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_add_list_delete(cli: click.Group, folder: Path, tmp_path: Path) -> None:
    source = pack_file(tmp_path, PYPERCLIP)
    added = run(cli, "annotate", "add", str(source), "--name", "pyperclip_annotations")
    assert added.exit_code == 0, added.output
    target = folder / "pyperclip_annotations.annotations.yaml"
    assert target.read_text() == PYPERCLIP  # copied as written, comments included
    assert "Added annotation pack 'pyperclip_annotations'" in added.output

    listed = run(cli, "annotate", "list")
    assert listed.exit_code == 0
    assert "pyperclip_annotations" in listed.output and "1 annotations: pyperclip" in listed.output
    rows = json.loads(run(cli, "annotate", "list", "--json").output)
    assert rows == [
        {
            "name": "pyperclip_annotations",
            "path": str(target),
            "source": "user",
            "modules": ["pyperclip"],
            "annotations": 1,
            "error": None,
        }
    ]

    # A session built from the folder sees the pack.
    index = AnnotationIndex.from_packs([], folder)
    assert index.pending_modules() == ["pyperclip"]

    deleted = run(cli, "annotate", "delete", "--name", "pyperclip_annotations")
    assert deleted.exit_code == 0 and not target.exists()
    assert "No user annotation packs" in run(cli, "annotate", "list").output


def test_add_defaults_the_name_to_the_file_name(cli, folder: Path, tmp_path: Path) -> None:
    result = run(cli, "annotate", "add", str(pack_file(tmp_path, PYPERCLIP)))
    assert result.exit_code == 0, result.output
    assert (folder / "pyperclip.annotations.yaml").is_file()


def test_add_refuses_an_invalid_pack_with_the_loader_message(
    cli: click.Group, folder: Path, tmp_path: Path
) -> None:
    source = pack_file(tmp_path, BROKEN, "broken.yaml")
    result = run(cli, "annotate", "add", str(source), "--name", "broken")
    assert result.exit_code == 1
    assert str(source) in result.output
    assert "entry #1 (module 'pyperclip'), annotation #1" in result.output
    assert "'self_ref' must be 'SELF_REF', not 'SELF'" in result.output
    assert not folder.exists() or not any(folder.iterdir())  # nothing was copied


def test_add_refuses_a_missing_file(cli: click.Group, folder: Path, tmp_path: Path) -> None:
    result = run(cli, "annotate", "add", str(tmp_path / "nope.yaml"), "--name", "x")
    assert result.exit_code == 1 and "does not exist" in result.output


def test_add_refuses_an_existing_name_unless_forced(
    cli: click.Group, folder: Path, tmp_path: Path
) -> None:
    source = pack_file(tmp_path, PYPERCLIP)
    assert run(cli, "annotate", "add", str(source), "--name", "clip").exit_code == 0
    newer = pack_file(tmp_path, PYPERCLIP.replace("          - paste\n", ""), "newer.yaml")
    refused = run(cli, "annotate", "add", str(newer), "--name", "clip")
    assert refused.exit_code == 1
    assert "already exists" in refused.output and "--force" in refused.output
    assert "paste" in (folder / "clip.annotations.yaml").read_text()
    forced = run(cli, "annotate", "add", str(newer), "--name", "clip", "--force")
    assert forced.exit_code == 0
    assert "paste" not in (folder / "clip.annotations.yaml").read_text()
    assert [path.name for path in folder.iterdir()] == ["clip.annotations.yaml"]


def test_add_refuses_bad_names(cli: click.Group, folder: Path, tmp_path: Path) -> None:
    source = pack_file(tmp_path, PYPERCLIP)
    for name in ("../escape", "a/b", ".hidden", "x.yaml"):
        result = run(cli, "annotate", "add", str(source), "--name", name)
        assert result.exit_code == 1 and "cannot be an annotation pack name" in result.output
    assert not folder.exists() or not any(folder.iterdir())


def test_delete_unknown_name_suggests(cli: click.Group, folder: Path, tmp_path: Path) -> None:
    run(cli, "annotate", "add", str(pack_file(tmp_path, PYPERCLIP)), "--name", "pyperclip")
    result = run(cli, "annotate", "delete", "--name", "pyperclp")
    assert result.exit_code == 1
    assert "no annotation pack named 'pyperclp'" in result.output
    assert "Did you mean 'pyperclip'?" in result.output
    assert (folder / "pyperclip.annotations.yaml").exists()


def test_list_shows_invalid_packs_and_plugin_packs(cli: click.Group, folder: Path) -> None:
    folder.mkdir()
    (folder / "handmade.yaml").write_text(BROKEN)
    listed = run(cli, "annotate", "list", "--all")
    assert (
        "handmade" in listed.output and "[INVALID: 'self_ref' must be 'SELF_REF'" in listed.output
    )
    for name in annotation_packs.CORE_PACKS:
        assert f"\n{name}  " in listed.output
