# for / while loops with break, continue and else clauses; each artifact keeps only its own work.
import linea_core as lineapy

numbers = [4, 7, 1, 9, 3, 8]
target = 9
evens = []
odd_sum = 0
for n in numbers:
    if n % 2 == 0:
        evens.append(n)
        continue
    odd_sum += n
    print("odd", n)
for i, n in enumerate(numbers):
    if n == target:
        position = i
        break
else:
    position = None
    print("missing")
countdown = []
k = 3
while k > 0:
    countdown.append(k)
    k -= 1
else:
    countdown.append("liftoff")
attempts = 0
while True:
    attempts += 1
    if attempts * attempts > 50:
        break
    if attempts % 2:
        continue
    print("even attempt", attempts)

lineapy.save(evens, "evens")
lineapy.save(odd_sum, "odd_sum")
lineapy.save(position, "position")
lineapy.save(countdown, "countdown")
lineapy.save(attempts, "attempts")
