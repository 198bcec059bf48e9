"""Capture: run user code block by block and record what each statement did."""
