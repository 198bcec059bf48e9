countdown = []
k = 3
while k > 0:
    countdown.append(k)
    k -= 1
else:
    countdown.append("liftoff")
