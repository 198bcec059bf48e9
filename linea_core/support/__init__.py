"""Small standard-library helpers every layer may use: atomic files, retries, masking.

The lowest layer after :mod:`linea_core.errors`; nothing here imports the rest of linea,
so the same helper serves the store, the annotation cache and the command line.
"""
