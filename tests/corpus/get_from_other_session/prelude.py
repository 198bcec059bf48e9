# First session: computes and saves an artifact that the second session (script.py) loads.
import linea_core as lineapy

raw = [4, 8, 15, 16, 23, 42]
scaled = [v * 10 for v in raw]
noise = sum(raw)
lineapy.save(scaled, "scaled_numbers")
