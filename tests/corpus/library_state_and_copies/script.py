# Library state no name holds (numpy's global generator) and a shallow copy sharing
# its items with the original. (Pyplot's current figure: tests/engine/test_soundness_library_state.py.)
import linea_core as lineapy
import numpy as np
import copy

np.random.seed(0)
noise = np.random.rand(3)  # advances the generator: part of every later draw's history
weights = np.random.normal(0, 1, size=(2, 2))
scale = 2
scaled = weights * scale
lineapy.save(scaled, "scaled")

config = {"layers": [8, 4], "name": "net"}
trial = copy.copy(config)
trial["layers"].append(2)  # the list is config's too
trial.update(name="trial")  # trial's own slot
lineapy.save(config, "config")

