"""A messy notebook-as-script: exploration, plots and dead ends around one useful model.

`make demo` runs it under linea and shows that only the code behind the saved
artifacts survives in their slices.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
from sklearn.linear_model import LinearRegression

import linea_core as lineapy

df = pd.read_csv("tests/data/iris.csv")
print(df.head())

# Map each species to a color and look at the data (a dead end for the model)
color_map = {"Setosa": "green", "Versicolor": "blue", "Virginica": "red"}
plt.scatter(df["sepal.width"], df["petal.width"], c=df["variety"].map(color_map))
plt.savefig("demo_output/iris_scatter.png")

avg_length = df.groupby("variety")["petal.length"].mean()
print(avg_length)

# Dummy variables encoding species
df["d_versicolor"] = df["variety"].apply(lambda x: 1 if x == "Versicolor" else 0)
df["d_virginica"] = df["variety"].apply(lambda x: 1 if x == "Virginica" else 0)
lineapy.save(df, "iris_preprocessed")

model = LinearRegression()
model.fit(
    X=df[["petal.width", "d_versicolor", "d_virginica"]],
    y=df["sepal.width"],
)
print("R^2:", model.score(df[["petal.width", "d_versicolor", "d_virginica"]], df["sepal.width"]))
lineapy.save(model, "iris_model")
