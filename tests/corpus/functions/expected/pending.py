pending = []
def enqueue(item):
    pending.append(item)
jobs = ["build", "test"]
for job in jobs:
    if job == "deploy":
        pending.clear()
        break
else:
    enqueue("all done")
