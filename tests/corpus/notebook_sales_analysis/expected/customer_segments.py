import pandas as pd
from sklearn.cluster import KMeans
sales = pd.read_csv("../../data/sales.csv", parse_dates=["date"])
sales["units"] = sales["units"].fillna(0)
sales["revenue"] = sales["units"] * sales["unit_price"]
sales.loc[sales["returned"], "revenue"] = 0.0
sales["month"] = sales["date"].dt.to_period("M").astype(str)
customer = sales.groupby("customer").agg(
    orders=("units", "size"), units=("units", "sum"), revenue=("revenue", "sum")
)
customer = customer[customer["orders"] > 1].copy()
features = (customer - customer.mean()) / customer.std()
kmeans = KMeans(n_clusters=3, n_init=10, random_state=0)
customer["segment"] = kmeans.fit_predict(features)
