nested = {"inner": []}
inner = nested["inner"]
inner.append(1)
