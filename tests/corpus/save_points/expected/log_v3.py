log = ["start"]
log.append("middle")
log.append("end")
