# Classes: methods mutating instances, class attributes changed from __init__ and from outside,
# properties, classmethods, staticmethods, inheritance.
import linea_core as lineapy


class Tally:
    created = 0

    def __init__(self):
        Tally.created += 1


class Counter:
    def __init__(self, label):
        self.label = label
        self.hits = []

    def hit(self, n=1):
        self.hits.append(n)
        return self

    @property
    def total(self):
        return sum(self.hits)

    @classmethod
    def from_text(cls, text):
        return cls(text.strip())

    @staticmethod
    def describe(n):
        return f"{n} hits"


class Account:
    rate = 0.05

    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance

    def deposit(self, amount):
        self.balance += amount


class Savings(Account):
    def add_interest(self):
        self.deposit(self.balance * self.rate)


t1 = Tally()
t2 = Tally()
created = Tally.created
first = Counter("first")
second = Counter.from_text("  second ")
first.hit().hit(3)
second.hit(10)
first_total = first.total
label = Counter.describe(first_total)
carol = Savings("carol", 200)
carol.add_interest()
Savings.rate = 0.1
carol.add_interest()
dave = Account("dave", 10)
dave.deposit(5)
print(first.total, second.total, carol.balance, dave.balance)

lineapy.save(created, "created")
lineapy.save(first, "first")
lineapy.save(first_total, "first_total")
lineapy.save(label, "label")
lineapy.save(carol.balance, "carol_balance")
lineapy.save(dave, "dave")
