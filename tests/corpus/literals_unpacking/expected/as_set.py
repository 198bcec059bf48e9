head = [1, 2]
tail = (3, 4)
as_set = {*head, *tail}
