head = [1, 2]
tail = (3, 4)
def pos(*args):
    return args
spread = pos(*head, *tail)
