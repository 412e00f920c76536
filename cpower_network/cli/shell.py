"""What every command does around its work: errors turned into messages, lines printed.

:func:`handle_errors` turns cpower's typed errors, Ctrl-C and a refused file into one
``Error: …`` (or ``Interrupted; …``) line and an exit code; :func:`echo` and
:func:`progress` print results on stdout and progress on stderr, survey text escaped.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from ..errors import EXIT_DATA, CpowerError


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a :class:`CpowerError` into ``Error: …`` on stderr and its exit code; Ctrl-C
    into ``Interrupted; …`` and exit 130; the system refusing a file (no permission, a
    full or read-only disk) into a one-line error naming it, exit 1. Survey text in a
    message is shown escaped (:func:`~cpower_network.common.terminal.safe`)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..common.files import WRITTEN
        from ..common.terminal import safe
        from ..errors import EXIT_INTERRUPTED
        from .console import interrupted, os_error

        before = len(WRITTEN)
        try:
            return command(*args, **kwargs)
        except CpowerError as error:
            click.echo(f"Error: {safe(error.message)}", err=True)
            for problem in error.problems:
                click.echo(f"  - {safe(problem)}", err=True)
            sys.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo(interrupted(WRITTEN[before:]), err=True)
            sys.exit(EXIT_INTERRUPTED)
        except OSError as error:
            message = os_error(error)
            if message is None:
                raise
            click.echo(f"Error: {message}", err=True)
            sys.exit(EXIT_DATA)

    return wrapper


def echo(text: object = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` for every line the commands print: survey text (names, silos,
    labels, study names, paths) shown escaped by :func:`~cpower_network.common.terminal.safe`,
    cpower's own line breaks kept."""
    from ..common.terminal import safe

    click.echo(safe(text, newlines=True), err=err, nl=nl)


def progress(message: str) -> None:
    """A progress line on stderr (stdout stays for results), survey text escaped."""
    from ..common.terminal import safe

    echo(f"… {safe(message)}", err=True)
