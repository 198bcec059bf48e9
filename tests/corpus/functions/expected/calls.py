calls = 0
def tracked(x):
    global calls
    calls += 1
    return x * 2
doubled = [tracked(i) for i in range(4)]
for i in range(3):
    if i % 2 == 0:
        tracked(i)
