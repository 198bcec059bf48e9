import linea_core as lineapy
import statistics
art = lineapy.get("scaled_numbers", version=0)
scaled = art.get_value()
mean = statistics.mean(scaled)
top = lineapy.get("scaled_numbers", version=0).get_value()[-1]
report = {"mean": mean, "top": top}
