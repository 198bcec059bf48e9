from math import pi as PI, sqrt
area = PI * sqrt(16)
