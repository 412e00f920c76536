"""Find roster grids: runs of columns whose headers name a member.

A header names a member when it ends (or starts) with a member's name or id after a
separator: Qualtrics ``Question - Ana Ruiz`` (in the question-text row), Google Forms
``Question [Ana Ruiz]``, SurveyMonkey ``Question - Ana Ruiz``, KoboToolbox
``group/question_m001`` or ``group/question/m001``. Columns whose header gives the same
pattern once the member is replaced by ``{member}`` form one grid; columns that fit the
pattern but name nobody on the roster stay in it (validation reports them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from ..config.surveys import MEMBER_SLOT
from ..ingest.columns import pattern_regex
from ..ingest.names import NameMatcher
from ..ingest.tables import Column, RawTable
from .scales import CellKinds, classify

DELIMITERS = frozenset(" -_/[(:|.#–")
MIN_MEMBERS = 2


@dataclass
class Grid:
    """Columns sharing one ``{member}`` header pattern.

    Attributes
    ----------
    row : {"id", "text"}
        The header row the pattern was found in.
    pattern : str
    hits : list of (Column, token, member id or None)
    """

    row: str
    pattern: str
    hits: list[tuple[Column, str, str | None]] = field(default_factory=list)

    @property
    def indexes(self) -> set[int]:
        return {column.index for column, _, _ in self.hits}

    @property
    def unmatched(self) -> list[str]:
        """Header tokens that name nobody on the roster."""
        return [token for _, token, member in self.hits if member is None]

    def first(self) -> int:
        return min(self.indexes)

    def shown(self, matcher: NameMatcher) -> str:
        """The pattern with ``{member}`` shown as ``<name>`` or ``<id>``."""
        by_id = sum(matcher.match(token).how == "id" for _, token, _ in self.hits)
        slot = "<id>" if by_id * 2 > len(self.hits) else "<name>"
        return self.pattern.replace(MEMBER_SLOT, slot)

    def kinds(self, table: RawTable, matcher: NameMatcher) -> CellKinds:
        """What the grid's cells hold (a tick may be the column's own option text)."""
        options = {}
        for column, token, member in self.hits:
            options[column.index] = (token, matcher.names[member]) if member else (token,)
        return classify((row[index], texts) for row in table.rows
                        for index, texts in options.items())


def header_rows(column: Column) -> Iterator[tuple[str, str]]:
    """(row, header) to look for member names in: the question text first."""
    if column.text and column.text != column.id:
        yield "text", column.text
    if column.id:
        yield "id", column.id


def split_member(header: str, matcher: NameMatcher, *,
                 skip_numbers: bool = False) -> tuple[str, str, str] | None:
    """``(pattern, token, member)`` when ``header`` ends or starts with a member.

    Parameters
    ----------
    skip_numbers : bool
        Ignore tokens made of digits only (Qualtrics ids ``Q1_1`` number the choices,
        not the members).

    Examples
    --------
    >>> m = NameMatcher({"m01": "Ana Ruiz", "m02": "Robert Lee, Jr."})
    >>> split_member("How often? - Robert Lee, Jr.", m)
    ('How often? - {member}', 'Robert Lee, Jr.', 'm02')
    >>> split_member("Work with [Ana Ruiz]", m)[0], split_member("net/collab_m01", m)[0]
    ('Work with [{member}]', 'net/collab_{member}')
    >>> split_member("m01_trust", m)[0], split_member("Ana Ruiz", m)
    ('{member}_trust', None)
    """
    text = header.strip()
    trimmed = len(text.rstrip("]) "))
    # Alphanumerics before each position, so the text around a token is counted in one
    # step; and no token longer than a member's name could be (with room for spaces):
    # each try then costs the token's length, not the header's, and a header of 60,000
    # characters takes a moment, not minutes.
    alnum = [0, *accumulate(ch.isalnum() for ch in text)]
    cap = 4 * matcher.longest + 32
    for end in dict.fromkeys((len(text), trimmed)):
        for start in _starts(text, end, cap):
            found = _fit(text, start, end, matcher, skip_numbers, alnum)
            if found:
                return found
    for end in _ends(text, cap):
        found = _fit(text, 0, end, matcher, skip_numbers, alnum)
        if found:
            return found
    return None


def _starts(text: str, end: int, cap: int) -> Iterator[int]:
    for start in range(max(end - cap, 0), end):
        if not text[start].isspace() and (start == 0 or text[start - 1] in DELIMITERS):
            yield start


def _ends(text: str, cap: int) -> Iterator[int]:
    for end in range(min(len(text) - 1, cap), 0, -1):
        if text[end] in DELIMITERS and not text[end - 1].isspace():
            yield end


def _fit(text: str, start: int, end: int, matcher: NameMatcher, skip_numbers: bool,
         alnum: list[int]) -> tuple[str, str, str] | None:
    token = text[start:end].strip()
    if not token or (skip_numbers and token.isdigit()):
        return None
    # the pattern's literal text: the header without the token (and any "{member}")
    if MEMBER_SLOT in text:
        literal = (text[:start] + MEMBER_SLOT + text[end:]).replace(MEMBER_SLOT, "")
        if sum(ch.isalnum() for ch in literal) < 2:
            return None
    elif alnum[-1] - (alnum[end] - alnum[start]) < 2:
        return None
    member = matcher.match(token).member
    return (text[:start] + MEMBER_SLOT + text[end:], token, member) if member else None


def fits(pattern: str, header: str) -> str | None:
    """The member token when ``header`` fits ``pattern`` (also after KoboToolbox group
    prefixes, as ``cpower validate`` reads it).

    >>> fits("collab_{member}", "network/collab_m09"), fits("collab_{member}", "other")
    ('m09', None)
    """
    regex = pattern_regex(pattern)
    parts = header.split("/")
    for start in range(len(parts)):
        found = regex.fullmatch("/".join(parts[start:]))
        if found:
            return found.group("member").strip()
    return None


def find_grids(table: RawTable, matcher: NameMatcher, exclude: set[int]) -> list[Grid]:
    """Every grid of ``table``, left to right; a column belongs to one grid at most."""
    skip_numbers = table.platform == "qualtrics"
    groups: dict[tuple[str, str], list[tuple[Column, str, str | None]]] = {}
    for column in table.columns:
        if column.index in exclude:
            continue
        for row, header in header_rows(column):
            found = split_member(header, matcher, skip_numbers=skip_numbers and row == "id")
            if found:
                pattern, token, member = found
                groups.setdefault((row, pattern), []).append((column, token, member))
                break
    grids: list[Grid] = []
    claimed = set(exclude)
    for (row, pattern), hits in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        free = [hit for hit in hits if hit[0].index not in claimed]
        if len({member for _, _, member in free}) < MIN_MEMBERS:
            continue
        grid = Grid(row, pattern, free)
        _extend(grid, table, matcher, claimed)
        claimed |= grid.indexes
        grids.append(grid)
    return sorted(grids, key=Grid.first)


def _extend(grid: Grid, table: RawTable, matcher: NameMatcher, claimed: set[int]) -> None:
    """Add the columns that fit the pattern but name nobody on the roster."""
    taken = grid.indexes | claimed
    for column in table.columns:
        if column.index in taken:
            continue
        header = column.text if grid.row == "text" else column.id
        token = fits(grid.pattern, header) if header else None
        if token:
            grid.hits.append((column, token, matcher.match(token).member))
    grid.hits.sort(key=lambda hit: hit[0].index)


def needs_text_header(grid: Grid, table: RawTable) -> bool:
    """``True`` when a text-row pattern also fits some column id (``header = "text"``
    must then be written, or ``auto`` would read the ids)."""
    return grid.row == "text" and any(fits(grid.pattern, c.id) for c in table.columns
                                      if c.id)


def holds_names(grid: Grid, table: RawTable, matcher: NameMatcher) -> bool:
    """``True`` when most answers in the grid are members' names: numbered name boxes
    whose numbers happen to be member ids, not a grid about members."""
    cells = [row[column.index].strip() for row in table.rows for column, _, _ in grid.hits]
    cells = [cell for cell in cells if cell]
    named = sum(matcher.match(cell).member is not None for cell in cells)
    options = {token for _, token, _ in grid.hits}
    return named * 2 > len(cells) > 0 and not set(cells) <= options
