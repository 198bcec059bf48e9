"""Lineage pictures: valid SVG naming the artifact's statements, files by extension, clear errors."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import linea_core as lineapy
from linea_core.drawing import DrawingError
from linea_core.errors import LineaError

SCRIPT = """
import linea_core as lineapy
rows = [3, 1, 2]
print(len(rows))
unused = "a dead end"
rows.sort()
top = rows[-1] * 10
lineapy.save(top, "top")
"""


def svg_texts(svg: str) -> str:
    root = ET.fromstring(svg)  # raises on invalid XML
    assert root.tag.endswith("svg")
    return "\n".join(t for t in root.itertext())


def test_artifact_picture_is_svg_naming_its_statements(tmp_path: Path) -> None:
    result = lineapy.trace(SCRIPT)
    target = tmp_path / "top.svg"
    result.artifacts["top"].visualize(str(target))
    text = svg_texts(target.read_text())
    for statement in ("rows = [3, 1, 2]", "rows.sort()", "top = rows[-1] * 10"):
        assert statement in text
    assert "top" in text and "version 0" in text
    assert 'unused = "a dead end"' in text  # the rest of the session, drawn around the slice
    # the slice is filled, the rest pale
    svg = target.read_text()
    assert svg.count("#cfe8ff") == 4  # three kept statements and the save


def test_png_and_pdf_by_extension_and_a_clear_error_otherwise(tmp_path: Path) -> None:
    artifact = lineapy.trace(SCRIPT).artifacts["top"]
    artifact.visualize(str(tmp_path / "top.png"))
    artifact.visualize(str(tmp_path / "top.pdf"))
    assert (tmp_path / "top.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "top.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(DrawingError, match=r"ending in \.svg, \.png, \.pdf"):
        artifact.visualize(str(tmp_path / "top.jpg"))
    with pytest.raises(LineaError, match="no notebook"):
        artifact.visualize()  # no notebook here to show it in


def test_missing_dot_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    artifact = lineapy.trace(SCRIPT).artifacts["top"]
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without graphviz's dot
    with pytest.raises(DrawingError) as raised:
        artifact.visualize(str(tmp_path / "top.svg"))
    message = str(raised.value)
    assert "`dot` was not found" in message and "apt-get install graphviz" in message
    assert "\n" not in message
    assert not (tmp_path / "top.svg").exists()
    assert os.environ["PATH"] == str(tmp_path)


def test_long_statements_are_shortened() -> None:
    from linea_core.drawing import shorten

    long = "value = " + " + ".join(str(i) for i in range(40))
    label = shorten(long)
    assert len(label) <= 48 and label.endswith("…")
    assert shorten("a = 1\nb = 2\nc = 3\nd = 4").splitlines() == ["a = 1", "b = 2", "c = 3 …"]
