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
by_region.sort_values("revenue", ascending=False, inplace=True)
by_region.reset_index(drop=True, inplace=True)
