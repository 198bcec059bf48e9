import json
import pandas as pd
df = pd.read_csv("../../data/iris.csv")
df["ratio"] = df["petal.length"] / df["petal.width"]
meta = {"rows": len(df), "columns": list(df.columns)}
with open("meta.json", "w") as fh:
    json.dump(meta, fh)
with open("meta.json") as fh:
    check = json.load(fh)
