"""A second example for the RAY writer's tests, besides LineaPy's iris session: two
sessions where Ray's own ways matter.

* ``prices`` saves a DataFrame, then changes it in place and saves it again: per
  artifact, the task computing ``raised`` receives ``prices`` from Ray's object store,
  where its numpy data is read-only (the writer's ``copy_inputs`` is what makes it work);
  It also writes ``raised.csv`` (``raised_csv``, an artifact without a value);
* ``label`` reads an environment variable that only the pipeline's ``runtime_env``
  sets where the tasks run (``run_label``) and the file (``total``); the user's
  ``dependencies`` order them after ``raised`` and ``raised_csv`` although no value
  flows between them ("done" markers order the Ray tasks).
"""

from __future__ import annotations

import os

from linea_core.testing import LineaSandbox

PRICES = """
import pandas as pd
import linea_core as lineapy

rate = 1.5
prices = pd.DataFrame({"item": ["a", "b", "c"], "price": [1.0, 2.0, 3.0]})
lineapy.save(prices, "prices")
prices.loc[0, "price"] = prices.loc[0, "price"] * rate
lineapy.save(prices, "raised")
prices.to_csv("raised.csv", index=False)
lineapy.save(lineapy.file_system, "raised_csv")
"""

LABEL = """
import os
import pandas as pd
import linea_core as lineapy

label = os.environ.get("LINEA_RAY_LABEL", "unset") + "!"
lineapy.save(label, "run_label")
total = float(pd.read_csv("raised.csv")["price"].sum())
lineapy.save(total, "total")
"""

SHOP_ARTIFACTS = ["prices", "raised", "raised_csv", "run_label", "total"]
SHOP_VALUES = ["prices", "raised", "run_label", "total"]  # raised_csv is a file
SHOP_DEPENDENCIES = {"run_label": {"raised"}, "total": {"raised_csv"}}
SHOP_PARAMETERS = ["rate"]
LABEL_VALUE = "from runtime_env"
SHOP_CONFIG = {"runtime_env": {"env_vars": {"LINEA_RAY_LABEL": LABEL_VALUE}}}


def trace_shop(sandbox: LineaSandbox, suffix: str = "", rate: float = 1.5) -> None:
    """Trace both sessions (artifact names + ``suffix``); ``run_label`` is stored as the
    runtime_env makes it, so a run reproduces it only if the runtime_env reached Ray."""
    prices = PRICES.replace("rate = 1.5", f"rate = {rate}")
    for name in ("prices", "raised", "raised_csv"):
        prices = prices.replace(f'"{name}")', f'"{name}{suffix}")')
    label = LABEL
    for name in ("run_label", "total"):
        label = label.replace(f'"{name}")', f'"{name}{suffix}")')
    sandbox.trace(prices, name=f"prices{suffix}")
    previous = os.environ.get("LINEA_RAY_LABEL")
    os.environ["LINEA_RAY_LABEL"] = LABEL_VALUE
    try:
        sandbox.trace(label, name=f"label{suffix}")
    finally:
        if previous is None:
            del os.environ["LINEA_RAY_LABEL"]
        else:
            os.environ["LINEA_RAY_LABEL"] = previous
