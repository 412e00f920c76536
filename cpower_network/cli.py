"""The ``cpower`` command line (thin shell over the library)."""

import click


@click.group()
def main() -> None:
    """cpower: coalition surveys to networks and power-sharing reports."""
