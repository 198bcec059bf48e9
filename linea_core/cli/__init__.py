"""The ``linea`` command line.

Commands are imported only when they run (see :mod:`linea_core.cli.main`), so
``linea --help`` stays fast and a command owned by another module or plugin can be
missing or broken without breaking the others.
"""
