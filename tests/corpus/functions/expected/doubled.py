calls = 0
def tracked(x):
    global calls
    calls += 1
    return x * 2
doubled = [tracked(i) for i in range(4)]
