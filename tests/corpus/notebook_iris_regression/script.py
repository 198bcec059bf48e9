# Iris: predict sepal width from petal width and species.
# An exploratory notebook exported as a script: displays, plots, a dead end, two models.
import linea_core as lineapy
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.linear_model import LinearRegression

# Load data
url = "../../data/iris.csv"
df = pd.read_csv(url)
df.head()
print(df.shape)
df.describe()

# Map each species to a color
color_map = {"Setosa": "green", "Versicolor": "blue", "Virginica": "red"}
df["variety_color"] = df["variety"].map(color_map)

# Plot petal vs. sepal width by species
df.plot.scatter("petal.width", "sepal.width", c="variety_color")
plt.show()

# Dead end: a log transform did not help
import numpy as np
df_log = df.copy()
df_log["log_petal"] = np.log(df_log["petal.width"])
print(df_log["log_petal"].corr(df_log["sepal.width"]))

# Create dummy variables encoding species
df["d_versicolor"] = df["variety"].apply(lambda x: 1 if x == "Versicolor" else 0)
df["d_virginica"] = df["variety"].apply(lambda x: 1 if x == "Virginica" else 0)

# Quick sanity check
print(df[["d_versicolor", "d_virginica"]].sum())

# Initiate the model
mod = LinearRegression()

# Fit the model
mod.fit(
    X=df[["petal.width", "d_versicolor", "d_virginica"]],
    y=df["sepal.width"],
)
print(mod.coef_)

# A second model on petal width only, for comparison
mod_simple = LinearRegression()
mod_simple.fit(X=df[["petal.width"]], y=df["sepal.width"])
print(mod_simple.score(df[["petal.width"]], df["sepal.width"]))
plt.close("all")

df_processed = df[["petal.width", "d_versicolor", "d_virginica", "sepal.width"]]
lineapy.save(df_processed, "iris_preprocessed")
lineapy.save(mod, "iris_model")
r2 = mod.score(df[["petal.width", "d_versicolor", "d_virginica"]], df["sepal.width"])
lineapy.save(r2, "iris_r2")
