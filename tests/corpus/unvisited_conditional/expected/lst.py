lst = []
var = 10
if var > 5:
    lst.append(10)
else:
    lst.append(20)
