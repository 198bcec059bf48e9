"""The scripts `make bench` runs, generated as source text.

Each workload is a complete script that runs the same under plain ``python`` and under
``linea python`` and ends with one ``lineapy.save`` (plain Python stores the value only;
under linea the save also flushes the graph, which is the cost upstream paid per node).
Sizes are chosen so plain Python takes about 1-3 s on a laptop-class machine: long
enough that start-up does not dominate the ratio.
"""

from __future__ import annotations

import random

NOTEBOOK = """\
# A pandas + scikit-learn notebook exported as a script: generated data, cleaning,
# feature engineering, a plot, two models, prints, an artifact.
import linea_core as lineapy
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

rng = np.random.default_rng(0)
n = 150_000
orders = pd.DataFrame({
    "customer": rng.integers(0, 8_000, n),
    "store": rng.choice(["north", "south", "east", "west", "online"], n),
    "amount": rng.gamma(2.0, 30.0, n).round(2),
    "items": rng.integers(1, 12, n),
    "day": rng.integers(0, 365, n),
})
orders.loc[rng.random(n) < 0.01, "amount"] = np.nan
print(orders.shape)
orders.head()
orders.describe()

orders["amount"] = orders["amount"].fillna(orders["amount"].median())
orders["unit_price"] = orders["amount"] / orders["items"]
orders["weekend"] = (orders["day"] % 7) >= 5
orders["month"] = orders["day"] // 31
by_store = orders.groupby("store")["amount"].agg(["sum", "mean", "count"])
print(by_store)
monthly = orders.pivot_table(index="month", columns="store", values="amount", aggfunc="sum")
monthly.plot(title="revenue by store")
plt.close("all")

customers = orders.groupby("customer").agg(
    spend=("amount", "sum"),
    visits=("amount", "size"),
    items=("items", "sum"),
    weekend_share=("weekend", "mean"),
    avg_price=("unit_price", "mean"),
)
customers["churned"] = (customers["visits"] < customers["visits"].median()).astype(int)
stores = orders.pivot_table(index="customer", columns="store", values="amount", aggfunc="sum", fill_value=0)
customers = customers.join(stores)
features = [c for c in customers.columns if c not in ("churned", "visits")]
X_train, X_test, y_train, y_test = train_test_split(
    customers[features], customers["churned"], test_size=0.25, random_state=0
)
scaler = StandardScaler()
X_train_s = scaler.fit_transform(X_train)
X_test_s = scaler.transform(X_test)
logit = LogisticRegression(max_iter=300)
logit.fit(X_train_s, y_train)
print("logit", accuracy_score(y_test, logit.predict(X_test_s)))
forest = RandomForestClassifier(n_estimators=20, max_depth=8, random_state=0, n_jobs=1)
forest.fit(X_train, y_train)
accuracy = accuracy_score(y_test, forest.predict(X_test))
print("forest", accuracy)
importance = pd.Series(forest.feature_importances_, index=features).sort_values()
importance.plot.barh()
plt.close("all")
lineapy.save(forest, "churn_model")
"""

LOOPS = """\
# Loop-heavy pure Python: top-level loops, a function called in a loop, containers
# growing inside loops, a while loop, string building.
import linea_core as lineapy

limit = 1_000_000
sieve = [True] * (limit + 1)
sieve[0] = sieve[1] = False
for i in range(2, int(limit ** 0.5) + 1):
    if sieve[i]:
        for j in range(i * i, limit + 1, i):
            sieve[j] = False
primes = [i for i, is_prime in enumerate(sieve) if is_prime]


def collatz(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


longest = (0, 0)
for start in range(1, 200_000):
    steps = collatz(start)
    if steps > longest[1]:
        longest = (start, steps)

counts = {}
for p in primes:
    last = p % 10
    counts[last] = counts.get(last, 0) + 1

words = []
total = 0
k = 0
while k < 500_000:
    total += k * k % 7
    if k % 1000 == 0:
        words.append(str(k))
    k += 1
text = ",".join(words)
summary = {"primes": len(primes), "longest": longest, "counts": counts, "total": total, "text": len(text)}
print(summary)
lineapy.save(summary, "loop_summary")
"""


def _calls(template: str, count: int) -> str:
    return "".join(template.format(i=i) + "\n" for i in range(count))


# 100 calls of a trivial function of the user's on a 2,000,000-item list, one call per
# top-level statement (a notebook calling a helper cell after cell): what tracing costs
# must not grow with the list.
BIG_LIST = (
    """\
# A helper of the user's called on a big list, statement after statement.
import linea_core as lineapy


def middle(xs):
    return xs[len(xs) // 2]


data = list(range(2_000_000))
"""
    + _calls("m{i} = middle(data)", 100)
    + """lineapy.save(m99, "middle")
"""
)

# 50 calls of a helper of the user's on a 1,000,000 x 20 DataFrame.
BIG_FRAME = (
    """\
# A helper of the user's called on a big DataFrame, statement after statement.
import linea_core as lineapy
import numpy as np
import pandas as pd


def column_stats(frame, column):
    values = frame[column]
    return values.mean(), values.std()


rng = np.random.default_rng(0)
df = pd.DataFrame(rng.random((1_000_000, 20)), columns=[f"c{k}" for k in range(20)])
"""
    + "".join(f's{i} = column_stats(df, "c{i % 20}")\n' for i in range(50))
    + """lineapy.save(s49, "stats")
"""
)


def simple_statements(count: int, seed: int = 0) -> str:
    """``count`` simple top-level statements: assignments, arithmetic, container updates,
    calls to a helper, string formatting; every one depends on earlier ones."""
    rng = random.Random(seed)
    lines = [
        "# Generated: many simple top-level statements (a long notebook, one line per cell).",
        "import linea_core as lineapy",
        "import math",
        "",
        "",
        "def combine(a, b):",
        "    return (a * 31 + b) % 1_000_003",
        "",
        "",
        "acc = []",
        "table = {}",
        "v0 = 1",
    ]
    ints = ["v0"]
    produced = 4
    while produced < count:
        kind = rng.choice(["arith", "arith", "call", "append", "dict", "math", "fmt", "tuple"])
        a, b = rng.choice(ints), rng.choice(ints)
        name = f"v{len(ints)}"
        if kind == "arith":
            lines.append(f"{name} = ({a} + {b} * {rng.randint(1, 9)}) % 1_000_003")
        elif kind == "call":
            lines.append(f"{name} = combine({a}, {b})")
        elif kind == "append":
            lines.append(f"acc.append({a})")
            produced += 1
            continue
        elif kind == "dict":
            lines.append(f'table["k{rng.randint(0, 50)}"] = {a}')
            produced += 1
            continue
        elif kind == "math":
            lines.append(f"{name} = int(math.sqrt({a} + 1)) + {b} % 97")
        elif kind == "fmt":
            lines.append(f'label_{len(ints)} = f"{{{a}}}-{{{b}}}"')
            produced += 1
            continue
        else:
            lines.append(f"{name}, _unused_{len(ints)} = {a} + 1, {b}")
        ints.append(name)
        produced += 1
    lines.append(f"result = ({ints[-1]}, len(acc), len(table))")
    lines.append('lineapy.save(result, "result")')
    return "\n".join(lines) + "\n"


def long_session(count: int) -> str:
    """A ``count``-statement session for get_code() latency: the saved value depends on a
    long chain through most of the session, mixed with unrelated work to prune."""
    return simple_statements(count, seed=1)
