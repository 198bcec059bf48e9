# Second session: loads an artifact with lineapy.get; its slices keep the get instead of
# inlining the first session's code.
import linea_core as lineapy
import statistics

art = lineapy.get("scaled_numbers")
scaled = art.get_value()
print(len(scaled))
mean = statistics.mean(scaled)
shifted = [v - mean for v in scaled]
top = lineapy.get("scaled_numbers").get_value()[-1]
report = {"mean": mean, "top": top}

lineapy.save(shifted, "shifted_numbers")
lineapy.save(report, "report")
