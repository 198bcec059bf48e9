log = ["start"]
log.append("middle")
