class Tally:
    created = 0

    def __init__(self):
        Tally.created += 1
t1 = Tally()
t2 = Tally()
created = Tally.created
