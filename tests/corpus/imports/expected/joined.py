import os.path
joined = os.path.join("a", "b")
