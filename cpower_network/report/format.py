"""Number formatting and wording for reports and the terminal (one place, so every view
reads the same): counts with the right noun, silos that are numeric codes, wave labels."""

from __future__ import annotations

import math


def missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def pct(value: float | None, digits: int = 0) -> str:
    """A share as a percentage.

    >>> pct(0.1834), pct(None), pct(0.5, 1)
    ('18 %', '–', '50.0 %')
    """
    return "–" if missing(value) else f"{value * 100:.{digits}f} %"


def num(value: float | None, digits: int = 2) -> str:
    """A number with fixed decimals (whole numbers without).

    >>> num(0.5832), num(3.0), num(float("nan")), num(12, 0)
    ('0.58', '3', '–', '12')
    """
    if missing(value):
        return "–"
    if float(value).is_integer() and digits <= 2:
        return str(int(value))
    return f"{value:.{digits}f}"


def signed(value: float | None, digits: int = 2) -> str:
    """A difference with its sign; small differences keep two significant digits.

    >>> signed(0.25), signed(-1.5), signed(None), signed(-0.0031)
    ('+0.25', '−1.50', '–', '−0.0031')
    """
    if missing(value):
        return "–"
    size = abs(value)
    if 0 < size < 0.1:
        digits = max(digits, 1 - math.floor(math.log10(size)))
    text = f"{size:.{digits}f}"
    return ("+" if value >= 0 else "−") + text


def p_value(value: float | None) -> str:
    """A permutation p-value.

    >>> p_value(0.0004), p_value(0.031), p_value(None)
    ('< 0.001', '0.031', '–')
    """
    if missing(value):
        return "–"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def q_value(value: float | None) -> str:
    """A Benjamini–Hochberg q-value (read like a p-value; "–" when untested).

    >>> q_value(0.0004), q_value(0.2), q_value(float("nan"))
    ('< 0.001', '0.200', '–')
    """
    return p_value(value)


def size_note(size: int, small: int) -> str:
    """The marker of a group with fewer than ``small`` members ("" otherwise).

    >>> size_note(4, 5), size_note(5, 5), size_note(1, 5), size_note(0, 5)
    ('n = 4, read with care', '', 'n = 1, read with care', 'no members')
    """
    if size >= small:
        return ""
    return f"n = {size}, read with care" if size else "no members"


def flagged(label: str, size: int, small: int) -> str:
    """A group's label with the small-group marker when it has fewer than ``small``
    members.

    >>> flagged("Funders", 4, 5), flagged("Parents", 12, 5)
    ('Funders (n = 4, read with care)', 'Parents')
    """
    note = size_note(size, small)
    return f"{label} ({note})" if note else label


def fdr_sentence(tests: int) -> str:
    """How many tests the p-values belong to, and the false discovery rate their
    q-values control ("" when the report ran none).

    >>> fdr_sentence(55)
    '55 tests, false discovery rate 5 %'
    >>> fdr_sentence(1), fdr_sentence(0)
    ('1 test, false discovery rate 5 %', '')
    """
    return family_of_tests(tests) if tests else ""


def score(value: float | None) -> str:
    """A 0–100 score.

    >>> score(57.6), score(None)
    ('58', '–')
    """
    return "–" if missing(value) else f"{value:.0f}"


# Wording helpers live in cpower_network.common.wording (no dependency: indicators and
# exports use them too); re-exported here for the report's templates and views.
from ..common.wording import (  # noqa: E402
    STARTS_WITH_WAVE,
    column_words,
    counted,
    family_of_tests,
    is_code,
    labelled_count,
    silo_name,
    wave_name,
)

__all__ = [
    "STARTS_WITH_WAVE",
    "column_words",
    "counted",
    "fdr_sentence",
    "flagged",
    "is_code",
    "labelled_count",
    "missing",
    "num",
    "p_value",
    "pct",
    "q_value",
    "score",
    "signed",
    "silo_name",
    "size_note",
    "wave_name",
]
