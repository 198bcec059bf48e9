# Library state no name holds (numpy's global generator, pyplot's current figure) and
# a shallow copy sharing its items with the original.
import linea_core as lineapy
import numpy as np
import matplotlib.pyplot as plt
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

xs = [1, 2, 3]
plt.plot(xs, [v * 2 for v in xs])  # draws on the current figure
plt.title("doubled")
plt.savefig("doubled.png")
lineapy.save(lineapy.file_system, "plot_file")
