"""Core's built-in plugins: local storage, pickle/cloudpickle, core annotation packs.

Each module here is a plugin registered by module name (``BUILTIN_PLUGINS`` in
:mod:`linea_core.plugins.host`), before any installed plugin, through exactly the
hooks an outside plugin implements: the same checks, failure isolation and
``linea plugins list`` output.
"""
