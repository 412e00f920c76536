"""Match what respondents wrote to roster members.

Order (SURVEYS.md): the exact member id, then the name normalised for case, whitespace
and accents, then the study's alias table. Fuzzy matching (rapidfuzz) only *suggests*
names in error messages; it never accepts one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process


def normalise_name(text: str) -> str:
    """Fold case, accents and whitespace.

    >>> normalise_name("  José   RUIZ ")
    'jose ruiz'
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split()).casefold()


@dataclass(frozen=True)
class Match:
    """The outcome of matching one piece of text.

    ``member`` is the matched id, or ``None``; ``how`` is ``id``, ``name``, ``alias``,
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
    (['m1', 'm2'], [])
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

    def match(self, text: str) -> Match:
        """Match one name, id or alias."""
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = self._match(text)
        return found

    def _match(self, text: str) -> Match:
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
        return Match(None, "unknown")

    def suggest(self, text: str, *, limit: int = 3) -> list[str]:
        """Closest roster names (and aliases) to ``text``, as ``"Name" (id)`` strings."""
        found = process.extract(text.strip(), list(self._choices), scorer=fuzz.WRatio,
                                processor=normalise_name, limit=limit, score_cutoff=60)
        return [f"{choice!r} ({self._choices[choice]})" for choice, _score, _ in found]

    def split(self, cell: str, separator: str) -> tuple[list[str], list[str]]:
        """Split a multi-select cell into member ids, matching against the roster.

        Names may themselves contain the separator ("Robert Lee, Jr." in a Google Forms
        cell joined with ", "), so the cell is cut into pieces at the separator and the
        pieces are re-joined into the segmentation where every part is a known member,
        preferring the fewest parts. Pieces that fit no member are returned unmatched.

        Returns
        -------
        (members, unmatched) : tuple of lists
        """
        # Pieces keep their own spaces, so re-joining "Robert Lee" and " Jr." with ","
        # gives back "Robert Lee, Jr." (stripping first would lose the space).
        pieces = [p for p in cell.split(separator) if p.strip()] if separator.strip() else \
            cell.split()
        joiner = separator if separator.strip() else " "
        n = len(pieces)
        # best[i]: (parts, members) for pieces[:i] fully matched, or None
        best: list[tuple[int, list[str]] | None] = [None] * (n + 1)
        best[0] = (0, [])
        for end in range(1, n + 1):
            for start in range(end - 1, -1, -1):
                previous = best[start]
                if previous is None:
                    continue
                found = self.match(joiner.join(pieces[start:end])).member
                if found is not None and (best[end] is None or previous[0] + 1 < best[end][0]):
                    best[end] = (previous[0] + 1, [*previous[1], found])
        if best[n] is not None:
            return best[n][1], []
        return self._greedy(pieces, joiner)

    def _greedy(self, pieces: list[str], joiner: str) -> tuple[list[str], list[str]]:
        members: list[str] = []
        unmatched: list[str] = []
        start = 0
        while start < len(pieces):
            for end in range(len(pieces), start, -1):
                found = self.match(joiner.join(pieces[start:end])).member
                if found is not None:
                    members.append(found)
                    start = end
                    break
            else:
                unmatched.append(pieces[start].strip())
                start += 1
        return members, unmatched


def duplicate_names(names: Mapping[str, str]) -> dict[str, list[str]]:
    """Normalised names shared by several members: name -> ids."""
    groups: dict[str, list[str]] = {}
    for member, name in names.items():
        groups.setdefault(normalise_name(name), []).append(member)
    return {name: ids for name, ids in groups.items() if len(ids) > 1}


def describe_ids(ids: Iterable[str], names: Mapping[str, str]) -> str:
    return ", ".join(f"{names.get(i, i)!r} ({i})" for i in ids)
