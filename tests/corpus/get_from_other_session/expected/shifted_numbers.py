import linea_core as lineapy
import statistics
art = lineapy.get("scaled_numbers", version=0)
scaled = art.get_value()
mean = statistics.mean(scaled)
shifted = [v - mean for v in scaled]
