point = (3, 0)
match point:
    case (0, 0):
        where = "origin"
    case (x, 0):
        where = f"x-axis at {x}"
    case _:
        where = "elsewhere"
