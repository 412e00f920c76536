"""Match what respondents wrote to roster members.

Order: the exact member id, then the name normalised for case, whitespace
and accents, then the study's alias table. Fuzzy matching (rapidfuzz) only *suggests*
names in error messages; it never accepts one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

#: A member id or answer that is a plain number.
_DIGITS = re.compile(r"[0-9]+")


def normalise_name(text: str, *, fold: bool = True) -> str:
    r"""Fold case, accents, whitespace and invisible characters.

    Format characters (Unicode category ``Cf``: zero-width spaces and joiners, a byte
    order mark inside the text, soft hyphens, left-to-right marks) are dropped, and
    every Unicode space (no-break, narrow, ideographic …) counts as a space.

    Parameters
    ----------
    text : str
    fold : bool
        ``False`` keeps case and accents and only composes the text (NFC), drops
        invisible characters and collapses spaces: for column headers.

    Examples
    --------
    >>> normalise_name("  José   RUIZ ")
    'jose ruiz'
    >>> normalise_name("\ufeffAna\u200b\u00a0Ruiz\u00ad", fold=False)
    'Ana Ruiz'
    """
    text = unicodedata.normalize("NFKD" if fold else "NFC", str(text))
    kept = "".join(ch for ch in text if unicodedata.category(ch) != "Cf"
                   and not (fold and unicodedata.combining(ch)))
    spaced = " ".join(kept.split())
    return spaced.casefold() if fold else spaced


@dataclass(frozen=True)
class Match:
    """The outcome of matching one piece of text.

    ``member`` is the matched id, or ``None``; ``how`` is ``id``, ``name``, ``alias``,
    ``id-zeros`` (a number matched to the one id it equals without leading zeros),
    ``ambiguous`` or ``unknown``; ``candidates`` holds the ids an ambiguous name could be.
    """

    member: str | None
    how: str
    candidates: tuple[str, ...] = ()


class NameMatcher:
    """Matches survey text to member ids.

    Parameters
    ----------
    names : mapping of member id to display name
    aliases : mapping of alias text to member id (already checked against the roster)

    Examples
    --------
    >>> m = NameMatcher({"m1": "Ana Ruiz", "m2": "Robert Lee, Jr."}, {"Bobby": "m2"})
    >>> m.match("ana ruiz").member, m.match("m2").how, m.match("bobby").member
    ('m1', 'id', 'm2')
    >>> m.split("Ana Ruiz, Robert Lee, Jr.", ", ")
    (['m1', 'm2'], [], [])
    """

    def __init__(self, names: Mapping[str, str], aliases: Mapping[str, str] | None = None):
        self.names = dict(names)
        self._ids = {str(i).strip(): i for i in self.names}
        self._folded_ids = {normalise_name(i): i for i in self.names}
        self._by_name: dict[str, list[str]] = {}
        for member, name in self.names.items():
            self._by_name.setdefault(normalise_name(name), []).append(member)
        self._aliases = {normalise_name(a): m for a, m in (aliases or {}).items()}
        self._choices = {**{name: member for member, name in self.names.items()},
                         **{alias: member for alias, member in (aliases or {}).items()}}
        self._cache: dict[str, Match] = {}
        self._by_digits: dict[str, list[str]] = {}
        for folded, member in self._folded_ids.items():
            if _DIGITS.fullmatch(folded):
                self._by_digits.setdefault(folded.lstrip("0") or "0", []).append(member)
        #: (text, member) of every number matched only after dropping leading zeros.
        self.zero_matches: list[tuple[str, str]] = []

    def match(self, text: str) -> Match:
        """Match one name, id or alias."""
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = self._match(text)
        if found.how == "id-zeros":  # every time, not once: each file is told
            self.zero_matches.append((text.strip(), found.member))
        return found

    def _match(self, text: str) -> Match:
        """Id, then normalised id, roster name, alias; last a number that lost its
        leading zeros ("7" for the id "007", ``how="id-zeros"``)."""
        raw = text.strip()
        if raw in self._ids:
            return Match(self._ids[raw], "id")
        folded = normalise_name(raw)
        if folded in self._folded_ids:
            return Match(self._folded_ids[folded], "id")
        members = self._by_name.get(folded, [])
        if len(members) == 1:
            return Match(members[0], "name")
        if len(members) > 1:
            return Match(None, "ambiguous", tuple(members))
        if folded in self._aliases:
            return Match(self._aliases[folded], "alias")
        if _DIGITS.fullmatch(folded):
            return self._match_zeros(folded)
        return Match(None, "unknown")

    def _match_zeros(self, digits: str) -> Match:
        """Match a number to the one id that equals it without leading zeros."""
        members = self._by_digits.get(digits.lstrip("0") or "0", [])
        if len(members) > 1:
            return Match(None, "ambiguous", tuple(members))
        if not members:
            return Match(None, "unknown")
        return Match(members[0], "id-zeros")

    def zero_padding_notes(self) -> list[tuple[str, str]]:
        """Numbers matched to an id only after leading zeros were dropped.

        Returns
        -------
        list of (text, member id)
            Sorted and unique: each spelling once, e.g. ``[("7", "007")]``, for a
            warning that a spreadsheet probably dropped the zeros.
        """
        return sorted(set(self.zero_matches))

    def suggest(self, text: str, *, limit: int = 3) -> list[str]:
        """Closest roster names (and aliases) to ``text``, as ``"Name" (id)`` strings."""
        found = process.extract(text.strip(), list(self._choices), scorer=fuzz.WRatio,
                                processor=normalise_name, limit=limit, score_cutoff=60)
        return [f"{choice!r} ({self._choices[choice]})" for choice, _score, _ in found]

    def split(self, cell: str, separator: str,
              non_members: Callable[[str], bool] | None = None
              ) -> tuple[list[str], list[str], list[str]]:
        """Split a multi-select cell into member ids, matching against the roster.

        Names may themselves contain the separator ("Robert Lee, Jr." in a Google Forms
        cell joined with ", "), and so may non-member choices ("Other, please specify"),
        so the cell is cut into pieces at the separator and the pieces are re-joined
        into the segmentation where every part is a known member or (when
        ``non_members`` recognises it) a non-member choice, preferring the fewest parts.
        Pieces that fit neither are returned unmatched.

        Returns
        -------
        (members, unmatched, others) : tuple of lists
            Member ids, unmatched texts, and non-member choices, in cell order.
        """
        # Pieces keep their own spaces, so re-joining "Robert Lee" and " Jr." with ","
        # gives back "Robert Lee, Jr." (stripping first would lose the space).
        pieces = [p for p in cell.split(separator) if p.strip()] if separator.strip() else \
            cell.split()
        joiner = separator if separator.strip() else " "
        n = len(pieces)
        # best[i]: (parts, matched) for pieces[:i] fully matched, or None; a matched part
        # is a member id, or None for a non-member choice (kept by its text).
        best: list[tuple[int, list[tuple[str | None, str]]] | None] = [None] * (n + 1)
        best[0] = (0, [])
        for end in range(1, n + 1):
            for start in range(end - 1, -1, -1):
                previous = best[start]
                if previous is None:
                    continue
                text = joiner.join(pieces[start:end])
                found = self._part(text, non_members)
                if found is not False and (best[end] is None or
                                           previous[0] + 1 < best[end][0]):
                    best[end] = (previous[0] + 1, [*previous[1], (found, text.strip())])
        if best[n] is not None:
            parts = best[n][1]
            return ([m for m, _ in parts if m is not None], [],
                    [t for m, t in parts if m is None])
        return self._greedy(pieces, joiner, non_members)

    def _part(self, text: str, non_members: Callable[[str], bool] | None) -> str | bool | None:
        """A member id, ``None`` for a non-member choice, ``False`` for neither."""
        found = self.match(text).member
        if found is not None:
            return found
        if non_members is not None and non_members(text):
            return None
        return False

    def _greedy(self, pieces: list[str], joiner: str,
                non_members: Callable[[str], bool] | None
                ) -> tuple[list[str], list[str], list[str]]:
        members: list[str] = []
        unmatched: list[str] = []
        others: list[str] = []
        start = 0
        while start < len(pieces):
            for end in range(len(pieces), start, -1):
                text = joiner.join(pieces[start:end])
                found = self._part(text, non_members)
                if found is not False:
                    if found is None:
                        others.append(text.strip())
                    else:
                        members.append(found)
                    start = end
                    break
            else:
                unmatched.append(pieces[start].strip())
                start += 1
        return members, unmatched, others


def duplicate_names(names: Mapping[str, str]) -> dict[str, list[str]]:
    """Normalised names shared by several members: name -> ids."""
    groups: dict[str, list[str]] = {}
    for member, name in names.items():
        groups.setdefault(normalise_name(name), []).append(member)
    return {name: ids for name, ids in groups.items() if len(ids) > 1}


def describe_ids(ids: Iterable[str], names: Mapping[str, str]) -> str:
    return ", ".join(f"{names.get(i, i)!r} ({i})" for i in ids)
