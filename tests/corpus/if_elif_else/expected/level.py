temperature = 23
if temperature > 30:
    level = "hot"
elif temperature > 20:
    level = "warm"
elif temperature > 10:
    level = "mild"
else:
    level = "cold"
