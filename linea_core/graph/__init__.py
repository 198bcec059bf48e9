"""The session graph: what ran, in which block, and what each statement needed."""
