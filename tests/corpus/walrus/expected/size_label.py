data = [5, 3, 8, 1, 9, 2]
if (n := len(data)) > 3:
    size_label = "big"
else:
    size_label = "small"
