scores = {"ann": 1, "bob": 2, "cid": 3}
scores["dan"] = 4
del scores["bob"]
