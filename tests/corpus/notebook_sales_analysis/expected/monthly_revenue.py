import pandas as pd
sales = pd.read_csv("../../data/sales.csv", parse_dates=["date"])
sales["units"] = sales["units"].fillna(0)
sales["revenue"] = sales["units"] * sales["unit_price"]
sales.loc[sales["returned"], "revenue"] = 0.0
sales["month"] = sales["date"].dt.to_period("M").astype(str)
monthly = sales.pivot_table(index="month", columns="region", values="revenue", aggfunc="sum", fill_value=0)
