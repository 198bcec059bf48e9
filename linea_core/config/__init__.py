"""Linea's configuration: the items, where their values come from, and their checks.

:mod:`linea_core.config.options` holds THE table of configuration items (the body of
:class:`~linea_core.config.options.Options`), their resolution (command line > environment
> file > default) and the checked, immutable result; :mod:`linea_core.config.items` what
an item is (its columns and kinds of values). Both use only the standard library, so
``linea --help`` builds its global options from the table at no cost. The public
``linea_core.options`` object is :mod:`linea_core.api.options`.
"""
