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
first = Counter("first")
first.hit().hit(3)
