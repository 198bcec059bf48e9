"""Development tools run by ``make lint`` (not shipped in any distribution)."""
