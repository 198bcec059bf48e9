"""``python -m linea_core``: the same as the ``linea`` command."""

from linea_core.cli.main import main

if __name__ == "__main__":
    main()
