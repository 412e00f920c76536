"""Match what respondents wrote to roster members.

Order: the exact member id, then the name normalised for case, whitespace
and accents, then the study's alias table. Fuzzy matching (rapidfuzz) only *suggests*
names in error messages; it never accepts one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
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
    text = str(text)
    if text.isascii():  # nothing to compose, no accents, no invisible characters
        spaced = " ".join(text.split())
        return spaced.casefold() if fold else spaced
    text = unicodedata.normalize("NFKD" if fold else "NFC", text)
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
        #: Every text a match is made on, as written and folded (for :meth:`reach`).
        self._keys = {*self._ids, *self._folded_ids, *self._by_name, *self._aliases,
                      *self.names.values(), *(aliases or {})}
        self._reach: dict[str, int | None] = {}
        self._longest = max(map(len, self._keys), default=0)

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

        A part is never longer than the longest name could be (see :meth:`reach`), so
        the work grows with the length of the cell, not with its square or cube.

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
        spans = _Spans(self, pieces, joiner, non_members)
        n = len(pieces)
        # best[i]: (parts, start of the last part, what it is) for pieces[:i] fully
        # matched, or None; a matched part is a member id, or None for a non-member choice
        # (kept by its text). The parts are read back from the end once all are known.
        best: list[tuple[int, int, str | None] | None] = [None] * (n + 1)
        best[0] = (0, 0, None)
        for end in range(1, n + 1):
            for start in spans.starts(end):
                previous = best[start]
                if previous is None:
                    continue
                found = spans.part(start, end)
                if found is not False and (best[end] is None or
                                           previous[0] + 1 < best[end][0]):
                    best[end] = (previous[0] + 1, start, found)
        if best[n] is None:
            return self._greedy(spans)
        parts: list[tuple[str | None, str]] = []
        end = n
        while end:
            _count, start, found = best[end]
            parts.append((found, spans.text(start, end).strip()))
            end = start
        parts.reverse()
        return ([m for m, _ in parts if m is not None], [],
                [t for m, t in parts if m is None])

    @property
    def longest(self) -> int:
        """The length of the longest name, id or alias (as written or folded)."""
        return self._longest

    def reach(self, joiner: str) -> int | None:
        """The most pieces (of a cell cut at ``joiner``) one member's name, id or alias
        can span, or ``None`` when that cannot be bounded (an unusual separator).

        Each piece after the first brings one ``joiner`` into the text, and matching
        keeps every separator character (it folds case, accents and runs of spaces), so
        a text with more separators than any name, id or alias holds cannot match one.

        >>> m = NameMatcher({"m1": "Ana Ruiz", "m2": "Robert Lee, Jr."})
        >>> m.reach(", "), m.reach(" "), m.reach(";")
        (2, 3, 1)
        """
        if joiner not in self._reach:
            self._reach[joiner] = _reach(joiner, self._keys)
        return self._reach[joiner]

    def _greedy(self, spans: _Spans) -> tuple[list[str], list[str], list[str]]:
        members: list[str] = []
        unmatched: list[str] = []
        others: list[str] = []
        start = 0
        n = len(spans.pieces)
        while start < n:
            for end in spans.ends(start):
                found = spans.part(start, end)
                if found is not False:
                    if found is None:
                        others.append(spans.text(start, end).strip())
                    else:
                        members.append(found)
                    start = end
                    break
            else:
                unmatched.append(spans.pieces[start].strip())
                start += 1
        return members, unmatched, others


#: Pieces a non-member choice may take beyond its wording's own separators: the trailing
#: "(please specify: a parent, a funder …)" that platforms add.
NON_MEMBER_SLACK = 8
#: Pieces that vanish when matched (a lone zero-width space between two spaces) one part
#: may take in, beyond the pieces that count.
INVISIBLE_SLACK = 8


class _Spans:
    """The parts of one cell a segmentation may use: ``pieces[start:end]`` re-joined,
    matched to a member when it is no longer than a name can be, or recognised as a
    non-member choice when no longer than one can be.

    A part's length counts its pieces, except (when the separator is a space, which
    matching folds away with them) pieces holding only invisible characters, of which a
    part takes in at most :data:`INVISIBLE_SLACK`.
    """

    def __init__(self, matcher: NameMatcher, pieces: list[str], joiner: str,
                 non_members: Callable[[str], bool] | None) -> None:
        self.matcher, self.pieces, self.joiner = matcher, pieces, joiner
        self.non_members = non_members
        n = len(pieces)
        members = matcher.reach(joiner)
        self.members = n if members is None else members
        self.others = 0
        if non_members is not None:
            phrases = getattr(non_members, "phrases", None)
            reach = None if phrases is None else _reach(joiner, phrases)
            self.others = n if reach is None else reach + NON_MEMBER_SLACK
        self.longest = max(self.members, self.others, 1)
        # counted[i]: pieces that count among pieces[:i]; hidden[i]: the others.
        self.counted, self.hidden = [0], [0]
        for piece in pieces:
            seen = bool(joiner.strip()) or bool(normalise_name(piece))
            self.counted.append(self.counted[-1] + seen)
            self.hidden.append(self.hidden[-1] + (not seen))

    def _fits(self, start: int, end: int) -> bool:
        return (self.counted[end] - self.counted[start] <= self.longest
                and self.hidden[end] - self.hidden[start] <= INVISIBLE_SLACK)

    def starts(self, end: int) -> Iterator[int]:
        """Where a part ending at ``end`` may start, nearest first."""
        start = end - 1
        while start >= 0 and self._fits(start, end):
            yield start
            start -= 1

    def ends(self, start: int) -> list[int]:
        """Where a part starting at ``start`` may end, farthest first."""
        end = start + 1
        while end < len(self.pieces) and self._fits(start, end + 1):
            end += 1
        return list(range(end, start, -1))

    def text(self, start: int, end: int) -> str:
        return self.joiner.join(self.pieces[start:end])

    def part(self, start: int, end: int) -> str | bool | None:
        """A member id, ``None`` for a non-member choice, ``False`` for neither."""
        span = self.counted[end] - self.counted[start]
        text = self.text(start, end)
        if span <= self.members:
            found = self.matcher.match(text).member
            if found is not None:
                return found
        if self.non_members is not None and span <= self.others and self.non_members(text):
            return None
        return False


def _reach(joiner: str, keys: Iterable[str]) -> int | None:
    """The most pieces cut at ``joiner`` that any of ``keys`` could be re-joined from, or
    ``None`` when separators may not survive matching (digits, or characters that case or
    accent folding changes)."""
    mark = joiner.strip()
    if not mark:
        return 1 + max((len(key.split()) - 1 for key in keys), default=0)
    if any(ch.isdigit() for ch in mark) or normalise_name(mark) != mark:
        return None
    return 1 + max((key.count(mark) for key in keys), default=0)


def duplicate_names(names: Mapping[str, str]) -> dict[str, list[str]]:
    """Normalised names shared by several members: name -> ids."""
    groups: dict[str, list[str]] = {}
    for member, name in names.items():
        groups.setdefault(normalise_name(name), []).append(member)
    return {name: ids for name, ids in groups.items() if len(ids) > 1}


def describe_ids(ids: Iterable[str], names: Mapping[str, str]) -> str:
    return ", ".join(f"{names.get(i, i)!r} ({i})" for i in ids)
