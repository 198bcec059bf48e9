def countdown(n):
    while n > 0:
        yield n
        n -= 1
stream = countdown(5)
top = next(stream)
