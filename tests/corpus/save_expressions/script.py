# Values computed inside the save call: the slice ends by computing them into a variable
# named after the artifact; a plain attribute reference needs no line of its own.
import linea_core as lineapy
import statistics
import types

scores = [3, 5, 8]
scores.append(13)
print(max(scores))
report = types.SimpleNamespace(title="weekly")
report.title = report.title.upper()

lineapy.save(statistics.mean(scores), "mean_score")
lineapy.save(
    [s * 2 for s in scores
     if s > 4],
    "doubled",
)
lineapy.save(report.title, "title")
