"""Code traced by the pipeline tests: the seed's iris notebook, as a script (shipped in
the test kit for plugin authors: :mod:`linea_core.testing.examples`)."""

from __future__ import annotations

from pathlib import Path

from linea_core.testing.examples import (
    IRIS_ARTIFACTS,
    IRIS_CODE,
    IRIS_DEPENDENCIES,
    IRIS_PARAMETERS,
    iris_code,
)

DATA = Path(__file__).resolve().parents[1] / "data"

__all__ = [
    "DATA",
    "IRIS_ARTIFACTS",
    "IRIS_CODE",
    "IRIS_DEPENDENCIES",
    "IRIS_PARAMETERS",
    "iris_code",
]
