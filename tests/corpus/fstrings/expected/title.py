name = "linea"
count = 7
ratio = 0.4567
width = 12
title = f"{name!r:>{width}}|{count:03d}|{ratio:.1%}"
