"""Linea's configuration: the items, where their values come from, and the ``options`` object.

This package stays cheap to import: :mod:`linea_core.config.items` (the table of items)
has no dependencies, so the CLI can build ``--help`` without loading pydantic; the
validated model lives in :mod:`linea_core.config.options`.
"""
