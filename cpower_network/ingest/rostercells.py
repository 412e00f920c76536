"""How one roster cell is read: yes/no flags, lists of values, numbers, a group's rule.

The rules of :class:`~cpower_network.config.roster.FocusGroup` (yes/no, a list of values,
a numeric threshold) applied to one cell as written; :func:`parse_flag` also reads the
ticks of survey choice columns. Nothing here reports a problem: a cell that fits no rule
is returned as such (:class:`Reading`), and the roster reader reports it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from ..config.roster import FocusGroup
from .names import normalise_name

TRUE_WORDS = {"yes", "y", "true", "1", "x", "✓", "si", "sí", "oui"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
#: What joins several values in one cell.
SEPARATORS = re.compile(r"[|;]")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
YES_NO_EXPECTED = "yes/no, true/false, 1/0, x or blank"


def parse_flag(text: str) -> bool | None:
    """``True``/``False`` for yes/no-like text, ``None`` when it is neither.

    >>> parse_flag("Yes"), parse_flag(" 0 "), parse_flag(""), parse_flag("maybe")
    (True, False, False, None)
    """
    folded = normalise_name(text)
    if folded in TRUE_WORDS:
        return True
    if folded in FALSE_WORDS:
        return False
    return None


def split_cell(text: str) -> list[str]:
    """The values of a cell that may hold several, joined by ``|`` or ``;``.

    >>> split_cell(" Partner | core partner;;"), split_cell("  ")
    (['Partner', 'core partner'], [])
    """
    return [part.strip() for part in SEPARATORS.split(text) if part.strip()]


def cell_number(text: str) -> float | None:
    """The number a cell holds (``2``, ``-1.5``, ``.5``), or ``None``.

    >>> cell_number(" 2 "), cell_number("2.50"), cell_number("1,5"), cell_number("nan")
    (2.0, 2.5, None, None)
    """
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def value_key(text: str) -> str:
    """How a listed value and a cell value are compared: case, accents and spacing
    ignored, numbers by value.

    >>> value_key(" Core  PARTNER "), value_key("02"), value_key("2.0"), value_key("2.5")
    ('core partner', '2', '2', '2.5')
    """
    number = cell_number(text)
    if number is None:
        return normalise_name(text)
    return str(int(number)) if number.is_integer() else repr(number)


@lru_cache(maxsize=64)
def value_keys(values: tuple[str, ...]) -> frozenset[str]:
    """The :func:`value_key` of each listed value, folded once per list (not per cell)."""
    return frozenset(value_key(v) for v in values)


@dataclass(frozen=True)
class Reading:
    """What one roster cell says about one group.

    Attributes
    ----------
    member : bool
        The member is in the group (``False`` for a blank cell or one that fits no rule).
    blank : bool
        The cell was blank: not known.
    fits : bool
        The cell fits the group's rule (``False`` is an error).
    """

    member: bool
    blank: bool = False
    fits: bool = True


def read_cell(group: FocusGroup, text: str) -> Reading:
    """Read one cell by ``group``'s rule (yes/no, a list of values or a threshold).

    Parameters
    ----------
    group : FocusGroup
        The group (or leadership) rule.
    text : str
        The roster cell as written.

    Returns
    -------
    Reading
        In the group or not; blank (not known); and whether the cell fits the rule (a
        value list never fails: a value it does not name is simply not in the group).

    Examples
    --------
    >>> partners = FocusGroup("partners", "status", "Partners",
    ...                       values=("partner", "core partner"))
    >>> read_cell(partners, "ally | Core  Partner"), read_cell(partners, "parnter").member
    (Reading(member=True, blank=False, fits=True), False)
    >>> low = FocusGroup("low", "LEVEL", "Low income", at_most=2)
    >>> read_cell(low, "2").member, read_cell(low, "3").member, read_cell(low, "n/a").fits
    (True, False, False)
    >>> read_cell(low, " "), read_cell(FocusGroup("g", "g", "G"), "maybe").fits
    (Reading(member=False, blank=True, fits=True), False)
    """
    if not text.strip():
        return Reading(False, blank=True)
    if group.rule == "values":
        listed = value_keys(group.values)
        return Reading(any(value_key(v) in listed for v in split_cell(text)))
    if group.rule == "threshold":
        number = cell_number(text)
        if number is None:
            return Reading(False, fits=False)
        low = -math.inf if group.at_least is None else group.at_least
        high = math.inf if group.at_most is None else group.at_most
        return Reading(low <= number <= high)
    flag = parse_flag(text)
    return Reading(bool(flag), fits=flag is not None)
