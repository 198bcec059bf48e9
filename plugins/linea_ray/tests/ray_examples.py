"""A second example for the RAY writer's tests, besides LineaPy's iris session: two
sessions where Ray's own ways matter.

* ``prices`` saves a DataFrame, then changes it in place and saves it again: per
  artifact, the task computing ``raised`` receives ``prices`` from Ray's object store,
  where its numpy data is read-only (the writer's ``copy_inputs`` is what makes it work);
* ``label`` reads an environment variable that only the pipeline's ``runtime_env``
  sets where the tasks run, and the user's ``dependencies`` order it after ``raised``
  although no value flows between them (a "done" marker orders the Ray tasks).
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
"""

LABEL = """
import os
import linea_core as lineapy

label = os.environ.get("LINEA_RAY_LABEL", "unset") + "!"
lineapy.save(label, "run_label")
"""

SHOP_ARTIFACTS = ["prices", "raised", "run_label"]
SHOP_DEPENDENCIES = {"run_label": {"raised"}}
SHOP_PARAMETERS = ["rate"]
LABEL_VALUE = "from runtime_env"
SHOP_CONFIG = {"runtime_env": {"env_vars": {"LINEA_RAY_LABEL": LABEL_VALUE}}}


def trace_shop(sandbox: LineaSandbox, suffix: str = "", rate: float = 1.5) -> None:
    """Trace both sessions (artifact names + ``suffix``); ``run_label`` is stored as the
    runtime_env makes it, so a run reproduces it only if the runtime_env reached Ray."""
    prices = PRICES.replace("rate = 1.5", f"rate = {rate}")
    for name in ("prices", "raised"):
        prices = prices.replace(f'"{name}")', f'"{name}{suffix}")')
    sandbox.trace(prices, name=f"prices{suffix}")
    previous = os.environ.get("LINEA_RAY_LABEL")
    os.environ["LINEA_RAY_LABEL"] = LABEL_VALUE
    try:
        sandbox.trace(LABEL.replace('"run_label"', f'"run_label{suffix}"'), name=f"label{suffix}")
    finally:
        if previous is None:
            del os.environ["LINEA_RAY_LABEL"]
        else:
            os.environ["LINEA_RAY_LABEL"] = previous
