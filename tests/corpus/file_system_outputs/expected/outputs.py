import json
import pandas as pd
df = pd.read_csv("../../data/iris.csv")
df["ratio"] = df["petal.length"] / df["petal.width"]
summary = df.groupby("variety")["ratio"].mean()
summary.to_csv("summary.csv")
meta = {"rows": len(df), "columns": list(df.columns)}
with open("meta.json", "w") as fh:
    json.dump(meta, fh)
with open("notes.txt", "w") as out:
    out.write("rows: ")
    out.write(str(len(df)))
