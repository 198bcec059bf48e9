def fill(bucket, n):
    for i in range(n):
        bucket.append(i)
    return len(bucket)
box = []
filled = fill(box, 3)
