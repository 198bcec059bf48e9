squares = [n * n for n in range(6)]
evens = {n for n in squares if n % 2 == 0}
