debug_value = 42
debug = f"{debug_value=}"
