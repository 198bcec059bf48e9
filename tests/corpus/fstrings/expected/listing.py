items = ["a", "b", "c"]
listing = f"items: {', '.join(items)} ({len(items)} total)"
