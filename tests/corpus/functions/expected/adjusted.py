rate = 1
def bump(step):
    global rate
    rate += step
adjusted = {}
if rate > 0:
    bump(2)
    adjusted["rate"] = rate
