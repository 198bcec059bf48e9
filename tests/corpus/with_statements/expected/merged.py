with open("notes.txt") as a, open("numbers.txt") as b:
    merged = a.read().split() + b.read().split()
