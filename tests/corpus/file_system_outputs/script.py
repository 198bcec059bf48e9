# lineapy.file_system as an artifact: its slice is the code that wrote files; a value read back
# from a file written earlier depends on the writer.
import linea_core as lineapy
import json
import pandas as pd

df = pd.read_csv("../../data/iris.csv")
df["ratio"] = df["petal.length"] / df["petal.width"]
summary = df.groupby("variety")["ratio"].mean()
print(summary)
summary.to_csv("summary.csv")
meta = {"rows": len(df), "columns": list(df.columns)}
with open("meta.json", "w") as fh:
    json.dump(meta, fh)
preview = df.head(3)
with open("notes.txt", "w") as out:
    out.write("rows: ")
    out.write(str(len(df)))
    print(preview)
with open("meta.json") as fh:
    check = json.load(fh)

lineapy.save(lineapy.file_system, "outputs")
lineapy.save(check, "meta_check")
