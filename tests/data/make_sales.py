"""Regenerate tests/data/sales.csv, the shop-sales table the corpus notebooks analyse.

The CSV is committed; this script documents where it came from and rebuilds it
byte-for-byte (fixed seed, explicit number formatting). It is deliberately a bit
dirty, like real exports: some missing unit counts and a few returned orders.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np

PRODUCTS = {
    "kettle": 34.0,
    "toaster": 27.5,
    "blender": 59.0,
    "mixer": 89.0,
    "grinder": 45.0,
    "juicer": 72.0,
    "scale": 19.5,
    "timer": 9.0,
}
REGIONS = ["north", "south", "east", "west"]


def main(rows: int = 400, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    start = dt.date(2023, 1, 1)
    names = list(PRODUCTS)
    out = Path(__file__).with_name("sales.csv")
    with out.open("w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(
            ["date", "region", "product", "customer", "units", "unit_price", "returned"]
        )
        for _ in range(rows):
            day = start + dt.timedelta(days=int(rng.integers(0, 365)))
            product = names[int(rng.integers(0, len(names)))]
            region = REGIONS[int(rng.choice(4, p=[0.35, 0.25, 0.25, 0.15]))]
            customer = f"C{int(rng.integers(1, 61)):03d}"
            units = "" if rng.random() < 0.03 else str(int(rng.integers(1, 21)))
            price = PRODUCTS[product] * float(rng.uniform(0.9, 1.1))
            returned = "True" if rng.random() < 0.05 else "False"
            writer.writerow(
                [day.isoformat(), region, product, customer, units, f"{price:.2f}", returned]
            )


if __name__ == "__main__":
    main()
