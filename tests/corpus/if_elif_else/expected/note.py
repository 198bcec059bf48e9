temperature = 23
humidity = 0.7
alerts = []
if temperature > 30:
    alerts.append("heat")
elif temperature > 20:
    if humidity > 0.6:
        alerts.append("muggy")
elif temperature > 10:
    pass
else:
    alerts.append("frost")
note = "ok" if not alerts else "check"
