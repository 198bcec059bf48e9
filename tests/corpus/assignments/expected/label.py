[p, q] = "pq"
label = p + q
