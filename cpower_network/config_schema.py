"""Small helpers to check TOML tables against the keys a section allows.

Every problem is collected, never raised one at a time, so ``cpower validate`` can show
all configuration mistakes at once, each with the closest valid key as a suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rapidfuzz import process


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

    def number(self, key: str, default: float | None = None) -> float | None:
        value = self._typed(key, (int, float), "a number", default)
        return float(value) if value is not None else None

    def integer(self, key: str, default: int | None = None) -> int | None:
        return self._typed(key, (int,), "a whole number", default)

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
