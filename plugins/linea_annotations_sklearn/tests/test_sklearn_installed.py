"""The pack as users meet it: through its entry point, then switched off.

``LINEA_DISABLE_PLUGINS=annotations_sklearn`` is linea's way to run as if the plugin
were not installed (the entry point is never loaded): `linea plugins list` must no
longer show it, and `linea python` must still slice the same script to the same code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import numpy as np
import linea_core as lineapy
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

rng = np.random.RandomState(0)
X = rng.normal(size=(100, 3))
y = (X[:, 0] > 0).astype(int)
scaler = StandardScaler()
X_scaled = scaler.fit_transform(X)
model = LogisticRegression()
model.fit(X_scaled, y)
unused = LogisticRegression(C=3.0).fit(X, y)
lineapy.save(model, "model")
"""

LINEA = str(Path(sys.executable).with_name("linea"))


def _env(home: Path, disabled: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINEA_")}
    env["LINEA_HOME_DIR"] = str(home)
    if disabled:
        env["LINEA_DISABLE_PLUGINS"] = "annotations_sklearn"
    return env


def _run(args: list[str], env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run(
        [LINEA, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_listed_when_installed_and_gone_when_disabled(tmp_path: Path) -> None:
    listed = {}
    for disabled in (False, True):
        output = _run(["plugins", "list", "--json"], _env(tmp_path / "home", disabled), tmp_path)
        listed[disabled] = {plugin["name"]: plugin for plugin in json.loads(output)}
    enabled = listed[False]["annotations_sklearn"]
    assert enabled["distribution"] == "linea-annotations-sklearn"
    assert enabled["provides"]["annotation_packs"] == ["sklearn"]
    assert "annotations_sklearn" not in listed[True]


def test_the_same_slice_with_and_without_it(tmp_path: Path) -> None:
    (tmp_path / "script.py").write_text(SCRIPT)
    slices = {}
    for disabled in (False, True):
        env = _env(tmp_path / f"home-{disabled}", disabled)
        _run(["python", "script.py"], env, tmp_path)
        code = subprocess.run(
            [sys.executable, "-c", "import linea_core as l; print(l.get('model').get_code())"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        slices[disabled] = code
    assert slices[False] == slices[True]
    assert "scaler.fit_transform(X)" in slices[False] and "unused" not in slices[False]
