count = 7
nested = f"{f'{count * 2}'!s:*^8}"
