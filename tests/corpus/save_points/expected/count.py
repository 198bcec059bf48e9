log = ["start"]
log.append("middle")
count = len(log)
