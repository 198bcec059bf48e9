# Writes on a branch that did not run are still history: on another input that branch runs.
import linea_core as lineapy

a = 10
if a < 20:
    b = 10
else:
    a += 20
lineapy.save(a, "a")

var = 20
mode = "default"
if var > 18:
    mode = "large"
    label = "big"
lineapy.save(mode, "mode")

flags = {"seen": [1]}
count = 0
if count > 0:
    flags["seen"] = [2]
    flags["extra"] = count
lineapy.save(flags, "flags")

spare = "kept"
if count > 5:
    del spare
lineapy.save(spare, "spare")
