"""Example sessions for writer tests: LineaPy's iris tutorial as a script, with its data.

The seed's "Building a Pipeline" example: three artifacts of one session (a
preprocessed DataFrame, a fitted model, its evaluation report), a computation two of
them share (the train/test split) and three literal assignments to turn into
parameters. Every pipeline writer can be run on it::

    linea_sandbox.write_files({"iris.csv": iris_csv()})
    linea_sandbox.trace(iris_code())
    pipeline = linea_sandbox.pipeline(IRIS_ARTIFACTS, pipeline_name="iris_pipeline",
                                      dependencies=IRIS_DEPENDENCIES,
                                      input_parameters=IRIS_PARAMETERS)

It needs pandas, scikit-learn and matplotlib where it is traced.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linea_core.pipeline import Pipeline
    from linea_core.testing.sandbox import LineaSandbox

IRIS_CODE = """
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report
from sklearn.model_selection import train_test_split

import linea_core as lineapy

url = "iris.csv"
df = pd.read_csv(url)
df.plot.scatter("petal.length", "petal.width")
plt.savefig("scatter.png")
plt.close("all")
color_map = {{"Setosa": "green", "Versicolor": "blue", "Virginica": "red"}}
df["variety_color"] = df["variety"].map(color_map)
num_map = {{"Setosa": 0, "Versicolor": 1, "Virginica": 2}}
df["variety_num"] = df["variety"].map(num_map)
lineapy.save(df, "iris_preprocessed{suffix}")
X = df[["petal.length", "petal.width"]]
y = df["variety_num"]
test_size = {test_size}
random_state = {random_state}
split_samples = train_test_split(X, y, test_size=test_size, random_state=random_state)
X_train = split_samples[0]
X_test = split_samples[1]
y_train = split_samples[2]
y_test = split_samples[3]
mod = LogisticRegression()
mod.fit(X_train, y_train)
y_train_pred = mod.predict(X_train)
mod_eval_train = classification_report(y_train, y_train_pred, digits=3)
print(mod_eval_train)
lineapy.save(mod, "iris_model{suffix}")
y_test_pred = mod.predict(X_test)
mod_eval_test = classification_report(y_test, y_test_pred, digits=3)
print(mod_eval_test)
lineapy.save(mod_eval_test, "iris_model_evaluation{suffix}")
"""

IRIS_ARTIFACTS = ["iris_preprocessed", "iris_model", "iris_model_evaluation"]
IRIS_DEPENDENCIES = {
    "iris_model_evaluation": {"iris_model"},
    "iris_model": {"iris_preprocessed"},
}
IRIS_PARAMETERS = ["url", "test_size", "random_state"]


def iris_code(*, suffix: str = "", test_size: float = 0.33, random_state: int = 42) -> str:
    """The iris session; ``suffix`` is appended to the artifact names."""
    return IRIS_CODE.format(suffix=suffix, test_size=test_size, random_state=random_state)


def iris_csv() -> bytes:
    """The iris data set (150 rows) the session reads as ``iris.csv``."""
    return resources.files("linea_core.testing").joinpath("data").joinpath("iris.csv").read_bytes()


def iris_pipeline(sandbox: LineaSandbox, name: str = "iris_pipeline") -> Pipeline:
    """The seed's iris pipeline model (its dependencies and three parameters) from a
    sandbox where :func:`iris_code` was traced (the ``linea_iris`` fixture)."""
    return sandbox.pipeline(
        IRIS_ARTIFACTS,
        pipeline_name=name,
        dependencies=IRIS_DEPENDENCIES,
        input_parameters=IRIS_PARAMETERS,
    )
