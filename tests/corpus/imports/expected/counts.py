from collections import Counter, defaultdict
counts = Counter("mississippi")
