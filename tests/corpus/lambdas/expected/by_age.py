people = [("ann", 31), ("bob", 25), ("cid", 40)]
by_age = sorted(people, key=lambda p: p[1])
