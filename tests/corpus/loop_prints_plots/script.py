# Loops that also print and plot: the prints and plot calls inside the visited loops are sliced out.
import linea_core as lineapy
import matplotlib.pyplot as plt

values = [3, 1, 4, 1, 5, 9, 2, 6]
fig, ax = plt.subplots()
running = []
total = 0
for step, v in enumerate(values):
    total += v
    running.append(total)
    print(f"step {step}: total={total}")
    print("so far:", running)
    ax.plot(step, total, "o")
    ax.annotate(str(total), (step, total))
peak = 0
for v in running:
    if v > peak:
        peak = v
    print("peak so far", peak)
ax.set_title("Running total")
plt.close(fig)

lineapy.save(running, "running")
lineapy.save(total, "total")
lineapy.save(peak, "peak")
