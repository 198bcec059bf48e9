head = [1, 2]
tail = (3, 4)
combined = [*head, *tail, 5]
