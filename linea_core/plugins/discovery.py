"""Finding the ``linea`` entry points of the installed distributions, cheaply.

Every ``linea`` command and every traced script looks its plugins up once. The
standard library's ``importlib.metadata`` gives the answer, but importing it pulls in
``email``, ``zipfile`` and ``csv`` (about as long as starting Python itself), to read
what is, for each installed distribution, one small ``entry_points.txt``. This module
reads those files the way ``importlib.metadata.entry_points`` does (same search
order along ``sys.path``, same first-wins rule for a distribution installed twice,
same file format) for the layout every installer produces: ``*.dist-info`` and
``*.egg-info`` folders in plain directories. Anything else on ``sys.path`` (a zip
archive, an ``.egg``) makes :func:`entry_points` return ``None`` so the caller asks
``importlib.metadata`` instead. A test compares the two on the real environment.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

# importlib.metadata.EntryPoint's pattern for "module:attr [extras]".
_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


@dataclass(frozen=True)
class EntryPointRef:
    """One entry point and the metadata folder of the distribution declaring it."""

    name: str
    value: str
    group: str
    dist_path: str

    def load(self) -> Any:
        """Import the object the entry point names (as ``EntryPoint.load`` does)."""
        match = _VALUE.match(self.value)
        if match is None:
            raise ValueError(f"malformed entry point value {self.value!r}")
        obj: Any = importlib.import_module(match.group("module"))
        for part in filter(None, (match.group("attr") or "").split(".")):
            obj = getattr(obj, part)
        return obj

    @property
    def dist(self) -> Any:
        """The distribution (reading its name and version parses its METADATA)."""
        from importlib.metadata import PathDistribution
        from pathlib import Path

        return PathDistribution(Path(self.dist_path))


def entry_points(group: str, path: Sequence[str] | None = None) -> list[EntryPointRef] | None:
    """Every entry point of ``group`` along ``path`` (``sys.path``), or None to fall back."""
    found: list[EntryPointRef] = []
    seen: set[str] = set()
    for entry in sys.path if path is None else path:
        root = entry or "."
        if root.lower().endswith(".egg") or os.path.isfile(root):
            return None  # zip archives and eggs: importlib.metadata knows them
        try:
            children = os.listdir(root)
        except OSError:
            continue  # missing folders on sys.path are normal
        for child in children:
            low = child.lower()
            if not low.endswith((".dist-info", ".egg-info")):
                continue
            name = _normalize(low.rpartition(".")[0].partition("-")[0])
            if name in seen:
                continue  # the first copy on sys.path is the one Python imports
            seen.add(name)
            dist_path = os.path.join(root, child)
            try:
                with open(os.path.join(dist_path, "entry_points.txt"), encoding="utf-8") as f:
                    text = f.read()
            except OSError:
                continue
            for ep_name, value in _section(text, group):
                found.append(EntryPointRef(ep_name, value, group, dist_path))
    return found


def _normalize(name: str) -> str:
    """PEP 503 normalization plus dashes as underscores (``importlib.metadata.Prepared``)."""
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def _section(text: str, group: str) -> Iterator[tuple[str, str]]:
    """``name = value`` pairs of ``[group]`` in an ``entry_points.txt``."""
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line.strip("[]")
            continue
        if current == group:
            name, _, value = line.partition("=")
            yield name.strip(), value.strip()
