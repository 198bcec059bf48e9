# if / elif / else chains, nested ifs, conditional expressions; pruned per artifact.
import linea_core as lineapy

temperature = 23
humidity = 0.7
alerts = []
if temperature > 30:
    level = "hot"
    alerts.append("heat")
elif temperature > 20:
    level = "warm"
    if humidity > 0.6:
        alerts.append("muggy")
        print("muggy!")
elif temperature > 10:
    level = "mild"
    print("pleasant")
else:
    level = "cold"
    alerts.append("frost")
note = "ok" if not alerts else "check"

lineapy.save(level, "level")
lineapy.save(alerts, "alerts")
lineapy.save(note, "note")
