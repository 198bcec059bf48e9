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
carol = Savings("carol", 200)
carol.add_interest()
Savings.rate = 0.1
carol.add_interest()
