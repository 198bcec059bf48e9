"""A local module next to the script (imported by plain `import` and `from ... import`)."""

CONSTANT = 21


def normalize(values):
    total = sum(values)
    return [v / total for v in values]


class Scaler:
    def __init__(self, factor):
        self.factor = factor

    def apply(self, values):
        return [v * self.factor for v in values]
