singletons = [None, True, False, ...]
