# Shop sales: cleaning, monthly pivot, regional summary with a lookup table, customer segments.
# A notebook exported as a script, with displays, a plot and an abandoned analysis.
import linea_core as lineapy
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.cluster import KMeans

sales = pd.read_csv("../../data/sales.csv", parse_dates=["date"])
sales.info()
print(sales.isna().sum())
sales["units"] = sales["units"].fillna(0)
sales["revenue"] = sales["units"] * sales["unit_price"]
sales.loc[sales["returned"], "revenue"] = 0.0
sales["month"] = sales["date"].dt.to_period("M").astype(str)
sales.head()

monthly = sales.pivot_table(index="month", columns="region", values="revenue", aggfunc="sum", fill_value=0)
monthly.plot(kind="line", title="Revenue by region")
plt.close("all")

# Abandoned: top products did not lead anywhere
top_products = sales.groupby("product")["revenue"].sum().nlargest(3)
print(top_products)

regions = pd.DataFrame(
    {"region": ["north", "south", "east", "west"], "manager": ["Ana", "Ben", "Chen", "Dia"]}
)
by_region = sales.groupby("region", as_index=False)["revenue"].sum().merge(regions, on="region")
by_region = by_region.sort_values("revenue", ascending=False)
by_region.index = range(1, len(by_region) + 1)
by_region["share"] = by_region["revenue"] / by_region["revenue"].sum()
print(by_region)

customer = sales.groupby("customer").agg(
    orders=("units", "size"), units=("units", "sum"), revenue=("revenue", "sum")
)
customer = customer[customer["orders"] > 1].copy()
features = (customer - customer.mean()) / customer.std()
kmeans = KMeans(n_clusters=3, n_init=10, random_state=0)
customer["segment"] = kmeans.fit_predict(features)
segment_sizes = customer["segment"].value_counts().sort_index()
print(segment_sizes)

lineapy.save(monthly, "monthly_revenue")
lineapy.save(by_region, "regional_summary")
lineapy.save(customer, "customer_segments")
lineapy.save(kmeans, "segment_model")
