# The same object saved at several points: each artifact is the value at its save, not the final one.
import linea_core as lineapy

log = ["start"]
lineapy.save(log, "log_v1")
log.append("middle")
count = len(log)
lineapy.save(log, "log_v2")
log.append("end")
lineapy.save(count, "count")
lineapy.save(log, "log_v3")
