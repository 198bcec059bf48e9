with open("notes.txt") as fh:
    lines = [line.strip() for line in fh]
header = lines[0]
