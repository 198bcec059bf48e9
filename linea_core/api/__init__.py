"""The public API's implementation (``save``, ``get``, ``delete``, ``artifact_store``).

``linea_core/__init__.py`` re-exports these names lazily; nothing here is imported by
``import linea_core`` itself.
"""
