# with: a user-defined context manager that mutates itself, file reading, several items in one with.
import linea_core as lineapy


class Recorder:
    def __init__(self):
        self.events = []

    def __enter__(self):
        self.events.append("enter")
        return self

    def __exit__(self, exc_type, exc, tb):
        self.events.append("exit")
        return False


recorder = Recorder()
with recorder as rec:
    rec.events.append("body")
    print("inside")
with open("notes.txt") as fh:
    lines = [line.strip() for line in fh]
    print(len(lines))
header = lines[0]
with open("notes.txt") as a, open("numbers.txt") as b:
    merged = a.read().split() + b.read().split()

lineapy.save(recorder.events, "events")
lineapy.save(header, "header")
lineapy.save(merged, "merged")
