grid = [[0] * 3 for _ in range(3)]
grid[1][1] = 5
grid[0] = [9, 9, 9]
grid[2][0:2] = [7, 7]
