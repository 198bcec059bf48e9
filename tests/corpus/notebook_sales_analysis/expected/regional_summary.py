import pandas as pd
sales = pd.read_csv("../../data/sales.csv", parse_dates=["date"])
sales["units"] = sales["units"].fillna(0)
sales["revenue"] = sales["units"] * sales["unit_price"]
sales.loc[sales["returned"], "revenue"] = 0.0
sales["month"] = sales["date"].dt.to_period("M").astype(str)
regions = pd.DataFrame(
    {"region": ["north", "south", "east", "west"], "manager": ["Ana", "Ben", "Chen", "Dia"]}
)
by_region = sales.groupby("region", as_index=False)["revenue"].sum().merge(regions, on="region")
by_region = by_region.sort_values("revenue", ascending=False)
by_region.index = range(1, len(by_region) + 1)
by_region["share"] = by_region["revenue"] / by_region["revenue"].sum()
