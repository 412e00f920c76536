"""One exception family for everything a user can get wrong.

The command line turns a :class:`CpowerError` into a message and an exit code; nothing
in this family should ever reach a user as a traceback.

Exit codes (shared by every command):

* ``0`` success, data clean
* ``1`` problems in the data (:class:`DataError` and its kin), or an output that cannot
  be written (:class:`OutputError`: no permission, a full disk, a path under a file)
* ``2`` bad usage or configuration (:class:`ConfigError`, :class:`UsageError`)
* ``130`` stopped by Ctrl-C (nothing half-written is left behind)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2


@dataclass(frozen=True)
class Problem:
    """One problem found in a study's files, located as precisely as possible.

    Parameters
    ----------
    severity : {"error", "warning"}
        Errors make ``cpower validate`` exit 1; warnings are reported and counted.
    code : str
        Stable machine-readable kind, e.g. ``"unknown-name"`` or ``"off-scale"``.
    message : str
        What is wrong, in plain words.
    file, row, column, value : optional
        Where: the file (as written in the config), the spreadsheet row number
        (1-based, header rows included, as a spreadsheet program shows it),
        the column header, and the offending value.
    expected : str, optional
        What would have been accepted.
    fix : str, optional
        How to fix it.
    cells : tuple of str, optional
        Every cell a problem reported once stands for.
    """

    severity: str
    code: str
    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None
    fix: str | None = None
    #: Every cell one problem stands for, when it is reported once for many cells (a
    #: question's numeric codes): "row 4, column 'Q1_2': '1'", … (``--verbose`` lists them).
    cells: tuple[str, ...] = ()

    @property
    def cell(self) -> str:
        """Where inside the file: ``row 4, column 'Q1'`` (either part may be missing)."""
        parts = []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    @property
    def location(self) -> str:
        return ", ".join(part for part in (self.file, self.cell) if part)

    def __str__(self) -> str:
        text = self.message
        if self.value is not None and repr(self.value) not in text:
            text += f" (value {clip(self.value)!r})"
        return self.framed(text, self.location)

    def framed(self, text: str, where: str | None) -> str:
        """``text`` with what was expected and the fix after it, ``where`` before it."""
        if self.expected:
            text += f". Expected: {self.expected}"
        if self.fix:
            text += f". Fix: {self.fix}"
        return f"{where}: {text}" if where else text


def clip(value: str, limit: int = 80) -> str:
    """``value`` cut to ``limit`` characters, with an ellipsis when cut."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


class CpowerError(Exception):
    """Base of every error cpower raises for a user mistake."""

    exit_code = EXIT_DATA

    def __init__(self, message: str, *, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)

    def lines(self) -> list[str]:
        """The message followed by one line per problem."""
        return [self.message, *(f"  - {p}" for p in self.problems)]

    def __str__(self) -> str:
        return "\n".join(self.lines())


class ConfigError(CpowerError):
    """The study configuration (``cpower.toml``) is missing, malformed or inconsistent."""

    exit_code = EXIT_USAGE


class UsageError(CpowerError):
    """A command or function was called with options that cannot work together."""

    exit_code = EXIT_USAGE


class DataError(CpowerError):
    """The study's data files contain problems (see :attr:`problems`)."""

    exit_code = EXIT_DATA


class GraphError(CpowerError):
    """A measure was asked of a graph it cannot be computed on (e.g. a missing attribute)."""

    exit_code = EXIT_DATA


def config_error(problems: Iterable[str], *, source: str) -> ConfigError:
    """Build one :class:`ConfigError` listing every configuration problem at once."""
    found = [Problem("error", "config", text, file=source) for text in problems]
    noun = "problem" if len(found) == 1 else "problems"
    return ConfigError(f"{source}: {len(found)} configuration {noun}", problems=found)


class ExportError(UsageError):
    """An export cannot be written as it was asked (exit code 2)."""


class OutputError(CpowerError):
    """A file cpower was asked to write could not be written (no permission, a read-only
    or full disk, …). Nothing half-written is left: an earlier file of that name is kept
    as it was."""

    exit_code = EXIT_DATA


#: Exit code of a command stopped by Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130
