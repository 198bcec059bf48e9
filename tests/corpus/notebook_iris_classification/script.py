# Iris species classification: exploratory notebook exported as a script.
import linea_core as lineapy
import pandas as pd
import numpy as np
import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, confusion_matrix

df = pd.read_csv("../../data/iris.csv")
print(df["variety"].value_counts())
features = ["sepal.length", "sepal.width", "petal.length", "petal.width"]

# Explore: scatter plots of petal and sepal measurements per species
fig, axes = plt.subplots(1, 2, figsize=(8, 3))
for ax, (x_col, y_col) in zip(axes, [("petal.length", "petal.width"), ("sepal.length", "sepal.width")]):
    for variety, group in df.groupby("variety"):
        ax.scatter(group[x_col], group[y_col], label=variety)
    ax.set_xlabel(x_col)
axes[0].legend()
plt.close(fig)

# Clean: drop the duplicated row, add a ratio feature
print(df.duplicated().sum())
df = df.drop_duplicates().reset_index(drop=True)
df["petal.ratio"] = df["petal.length"] / df["petal.width"]
features.append("petal.ratio")

X = df[features]
y = df["variety"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=42, stratify=y)

scaler = StandardScaler()
X_train_s = scaler.fit_transform(X_train)
X_test_s = scaler.transform(X_test)

# Dead end: a random forest, kept around for comparison
forest = RandomForestClassifier(n_estimators=50, random_state=0)
forest.fit(X_train, y_train)
forest_acc = accuracy_score(y_test, forest.predict(X_test))
print("forest", forest_acc)

clf = LogisticRegression(max_iter=500)
clf.fit(X_train_s, y_train)
pred = clf.predict(X_test_s)
accuracy = accuracy_score(y_test, pred)
cm = confusion_matrix(y_test, pred, labels=clf.classes_)
print(cm)

importance = pd.Series(np.abs(clf.coef_).mean(axis=0), index=features).sort_values(ascending=False)
importance.plot.bar()
plt.close("all")

lineapy.save(clf, "iris_classifier")
lineapy.save(accuracy, "iris_accuracy")
lineapy.save(importance, "feature_importance")
lineapy.save(scaler, "iris_scaler")
