import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
df = pd.read_csv("../../data/iris.csv")
features = ["sepal.length", "sepal.width", "petal.length", "petal.width"]
df = df.drop_duplicates().reset_index(drop=True)
df["petal.ratio"] = df["petal.length"] / df["petal.width"]
features.append("petal.ratio")
X = df[features]
y = df["variety"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=42, stratify=y)
scaler = StandardScaler()
X_train_s = scaler.fit_transform(X_train)
clf = LogisticRegression(max_iter=500)
clf.fit(X_train_s, y_train)
importance = pd.Series(np.abs(clf.coef_).mean(axis=0), index=features).sort_values(ascending=False)
