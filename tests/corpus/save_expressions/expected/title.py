import types
report = types.SimpleNamespace(title="weekly")
report.title = report.title.upper()
