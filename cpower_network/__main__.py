"""``python -m cpower_network`` runs the ``cpower`` command line."""

from .cli.commands import main

if __name__ == "__main__":
    main()
