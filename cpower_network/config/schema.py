"""Small helpers to check TOML tables against the keys a section allows.

Every problem is collected, never raised one at a time, so ``cpower validate`` can show
all configuration mistakes at once, each with the closest valid key as a suggestion.
:data:`TABLE_KEY` is what the key of a table of entries (a relation, focus group or wave)
may look like.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from rapidfuzz import process

#: The largest size any number in ``cpower.toml`` may have (unless a key says otherwise):
#: answer values, thresholds and targets are small numbers, and a number beyond this is a
#: typo, or would overflow once tie weights are summed.
LARGEST = 1_000_000


def number_words(value: float) -> str:
    """A bound as a reader writes it: ``1,000,000``, ``0.5``, ``-3``.

    >>> number_words(1_000_000), number_words(0.5), number_words(-3.0)
    ('1,000,000', '0.5', '-3')
    """
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:g}"


def range_text(at_least: float | None = None, above: float | None = None,
               at_most: float | None = None, *, noun: str = "a number") -> str:
    """What a bounded number must be, in words (``above`` replaces a lower ``at_least``).

    >>> range_text(0, None, 1)
    'a number from 0 to 1'
    >>> range_text(-LARGEST, 0, LARGEST)
    'a number above 0 and at most 1,000,000'
    >>> range_text(0, noun="a whole number")
    'a whole number, 0 or more'
    >>> range_text()
    'a finite number'
    """
    if above is not None and (at_least is None or at_least <= above):
        at_least = None
    if at_least is not None and at_most is not None:
        return f"{noun} from {number_words(at_least)} to {number_words(at_most)}"
    if at_least is not None and above is None and at_most is None:
        return f"{noun}, {number_words(at_least)} or more"
    parts = [f"{word} {number_words(bound)}" for word, bound in
             (("at least", at_least), ("above", above), ("at most", at_most))
             if bound is not None]
    return f"{noun} " + " and ".join(parts) if parts else f"a finite {noun.split()[-1]}"


def _shown(value: float) -> str:
    """A value as TOML writes it (``inf``, ``nan``, ``1e+308``, ``-1``)."""
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(value)


def _example(fix: float | None, default: float | None, at_least: float | None,
             above: float | None, at_most: float | None) -> str:
    """A value that would be accepted, for the fix: ``fix``, else the default, else the
    nearest bound."""
    for candidate in (fix, default):
        if candidate is not None:
            return number_words(candidate).replace(",", "_")
    if above is not None:
        return number_words(above + 1).replace(",", "_")
    for bound in (at_least, at_most):
        if bound is not None and abs(bound) < LARGEST:
            return number_words(bound).replace(",", "_")
    return "1"


def closest(word: str, choices: Iterable[str], *, cutoff: float = 60.0) -> str | None:
    """Return the choice most similar to ``word`` (rapidfuzz WRatio), or ``None``."""
    options = [c for c in choices if c]
    if not options:
        return None
    found = process.extractOne(word, options, score_cutoff=cutoff)
    return found[0] if found else None


class TableReader:
    """Reads one TOML table, recording every problem in a shared list.

    Parameters
    ----------
    table : mapping
        The parsed TOML table.
    where : str
        How the table is named in messages, e.g. ``"[roster]"``.
    problems : list of str
        Shared list that collects problem messages.
    """

    def __init__(self, table: Mapping[str, Any], where: str, problems: list[str]) -> None:
        self.table = table if isinstance(table, Mapping) else {}
        self.where = where
        self.problems = problems
        if not isinstance(table, Mapping):
            problems.append(f"{where} must be a table of keys, got {type(table).__name__}")

    def check_keys(self, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for key in self.table:
            if key not in allowed:
                hint = closest(key, allowed)
                tip = (f"; did you mean {hint!r}?" if hint
                       else f"; allowed keys: {', '.join(allowed)}")
                self.problems.append(f"unknown key {key!r} in {self.where}{tip}")

    def _typed(self, key: str, kinds: tuple[type, ...], label: str, default: Any) -> Any:
        if key not in self.table:
            return default
        value = self.table[key]
        if isinstance(value, bool) and bool not in kinds:
            self.problems.append(f"{self.where} {key} must be {label}, got {value!r}")
            return default
        if not isinstance(value, kinds):
            self.problems.append(f"{self.where} {key} must be {label}, got {value!r}")
            return default
        return value

    def text(self, key: str, default: str | None = None, *, required: bool = False) -> str | None:
        if required and key not in self.table:
            self.problems.append(f"{self.where} is missing the required key {key!r}")
        value = self._typed(key, (str,), "text in quotes", default)
        if isinstance(value, str) and required and not value.strip():
            self.problems.append(f"{self.where} {key} must not be empty")
        return value

    def number(self, key: str, default: float | None = None, *,
               at_least: float | None = -LARGEST, above: float | None = None,
               at_most: float | None = LARGEST, fix: float | None = None,
               expected: str | None = None) -> float | None:
        """The number at ``key``: finite, within the bounds given (by default within
        ±:data:`LARGEST`); else a problem naming the key, what was expected (``expected``
        says it in words of its own) and a value that works (``fix``), and ``default``."""
        value = self._typed(key, (int, float), "a number", default)
        if not self._given(key, (int, float)):
            return None if value is None else float(value)
        if not self._in_range(key, value, (at_least, above, at_most), fix, default,
                              expected or f"must be {range_text(at_least, above, at_most)}"):
            return default
        return float(value)

    def integer(self, key: str, default: int | None = None, *,
                at_least: int | None = None, at_most: int | None = None,
                fix: int | None = None, expected: str | None = None) -> int | None:
        """The whole number at ``key``, within the bounds given; else a problem naming
        the key, and ``default``."""
        value = self._typed(key, (int,), "a whole number", default)
        if not self._given(key, (int,)):
            return value
        expected = expected or "must be " + range_text(at_least, None, at_most,
                                                       noun="a whole number")
        if not self._in_range(key, value, (at_least, None, at_most), fix, default,
                              expected):
            return default
        return value

    def _given(self, key: str, kinds: tuple[type, ...]) -> bool:
        """Whether ``key`` is given with a value of ``kinds`` (never a bool)."""
        value = self.table.get(key)
        return isinstance(value, kinds) and not isinstance(value, bool)

    def _in_range(self, key: str, value: float,
                  bounds: tuple[float | None, float | None, float | None],
                  fix: float | None, default: float | None, expected: str) -> bool:
        """Whether ``value`` is finite and within ``bounds`` (at least, above, at most);
        a problem when not."""
        at_least, above, at_most = bounds
        inside = math.isfinite(value) and (at_least is None or value >= at_least) and (
            above is None or value > above) and (at_most is None or value <= at_most)
        if not inside:
            self.problems.append(
                f"{self.where} {key} {expected}, got "
                f"{_shown(value)}; fix: {key} = {_example(fix, default, *bounds)}")
        return inside

    def boolean(self, key: str, default: bool = False) -> bool:
        return self._typed(key, (bool,), "true or false", default)

    def choice(self, key: str, options: Iterable[str], default: str) -> str:
        options = list(options)
        value = self.text(key, default)
        if value not in options:
            hint = closest(str(value), options)
            tip = f"; did you mean {hint!r}?" if hint else ""
            self.problems.append(
                f"{self.where} {key} = {value!r} is not one of {', '.join(options)}{tip}"
            )
            return default
        return value

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self._typed(key, (list,), "a list of texts", [])
        if not all(isinstance(v, str) for v in value):
            self.problems.append(f"{self.where} {key} must be a list of texts in quotes")
            return ()
        return tuple(value)

    def table_of(self, key: str) -> Mapping[str, Any]:
        return self._typed(key, (dict,), "a table", {})


#: What a table key (a relation, focus group or wave key) may look like.
TABLE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")


def _check_key(key: str, where: str, problems: list[str]) -> None:
    if not TABLE_KEY.match(key):
        problems.append(f"{where} key {key!r} must start with a letter or digit and use only "
                        "letters, digits, '_' or '-'")
