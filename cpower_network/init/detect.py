"""Look at one survey export: platform columns, who answered, and what each other
column holds (names of members, Likert labels, yes/no, numbers, free text)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..ingest.filecontext import DEFAULT_SEPARATORS
from ..ingest.names import NameMatcher
from ..ingest.tables import Column, RawTable
from .members import header_key
from .scales import CellKinds, classify, yes_no

#: Columns the platforms add around the answers (ids and texts, folded by header_key).
_PLATFORM_IDS = ("StartDate", "EndDate", "Status", "IPAddress", "Progress", "RecordedDate",
                 "ResponseId", "ResponseSet", "RecipientLastName", "RecipientFirstName",
                 "RecipientEmail", "ExternalReference", "ExternalDataReference",
                 "LocationLatitude", "LocationLongitude", "DistributionChannel",
                 "UserLanguage", "Name", "EmailAddress", "Finished", "Timestamp", "start",
                 "end", "today", "deviceid", "username", "phonenumber", "simserial",
                 "subscriberid", "audit")
METADATA = frozenset(header_key(h) for h in _PLATFORM_IDS) | {
    "duration (in seconds)", "response type", "response id", "recorded date",
    "start date", "end date", "ip address", "email address", "email", "respondent id",
    "collector id", "first name", "last name", "custom data 1", "external data reference",
    "recipient last name", "recipient first name", "recipient email", "location latitude",
    "location longitude", "distribution channel", "user language"}
TIMESTAMPS = ("RecordedDate", "Recorded Date", "Timestamp", "_submission_time", "EndDate",
              "End Date", "end")
RESPONDENT_HINT = re.compile(
    r"external\s*(data)?\s*ref|\bmember[ _]?id\b|\b(your|my) (full )?(name|id)\b|"
    r"which member are you|who are you|\brespondent\b|^name$|^member$", re.IGNORECASE)
#: Separators a one-cell multi-select may use (after the platform's own default,
#: :data:`~cpower_network.ingest.filecontext.DEFAULT_SEPARATORS`).
SEPARATORS = (", ", ",", ";", "|", " ")
LONG_TEXT = 200


def is_metadata(column: Column) -> bool:
    """A column the platform adds (dates, ids, e-mail, KoboToolbox ``_uuid``…).

    >>> is_metadata(Column(0, "StartDate", "Start Date")), is_metadata(Column(1, "_uuid"))
    (True, True)
    >>> is_metadata(Column(2, "Q1_1", "How often…"))
    False
    """
    ids = (column.id, column.text)
    if any(h.startswith(("_", "meta/", "Q_")) for h in ids if h):
        return True
    return any(header_key(h) in METADATA or header_key(h.rsplit("/", 1)[-1]) in METADATA
               for h in ids if h)


class ColumnRefs:
    """How ``cpower.toml`` names each column: its id when unique, else its text."""

    def __init__(self, table: RawTable) -> None:
        self.ids = Counter(c.id for c in table.columns if c.id)
        self.texts = Counter(c.text for c in table.columns if c.text)

    def ref(self, column: Column) -> str:
        if column.id and self.ids[column.id] == 1:
            return column.id
        if column.text and self.texts[column.text] == 1 and column.text not in self.ids:
            return column.text
        return column.label

    def text(self, column: Column) -> str:
        """The question text, for comments (the id when there is no text)."""
        return column.text or column.id


@dataclass
class Respondent:
    """The column that says who answered, and how well it matched the roster."""

    column: Column | None
    matched: int = 0
    rows: int = 0
    how: str = "ids"
    unmatched: list[str] = field(default_factory=list)


def find_respondent(table: RawTable, matcher: NameMatcher, exclude: set[int]) -> Respondent:
    """The column whose cells match the roster best: most rows matched, then a telling
    header (ExternalReference, "Your name", member_id…), then distinct members, then
    the leftmost."""
    best, best_score = Respondent(None, rows=len(table.rows)), 0.0
    for column in table.columns:
        if column.index in exclude:
            continue
        cells = [row[column.index].strip() for row in table.rows]
        found = [(cell, matcher.match(cell)) for cell in cells if cell]
        hits = [match for _, match in found if match.member]
        if not hits:
            continue
        hint = _telling(column)
        distinct = len({m.member for m in hits}) / len(hits)
        score = len(hits) / max(1, len(table.rows)) + 0.25 * hint + 0.1 * distinct
        if score > best_score:
            by_id = sum(m.how == "id" for m in hits) * 2 > len(hits)
            best_score = score
            best = Respondent(column, len(hits), len(table.rows), "ids" if by_id else "names",
                              [cell for cell, match in found if not match.member])
    if best.column is None:  # no answers to go by: trust a telling header, if any
        best.column = next((c for c in table.columns if c.index not in exclude
                            and _telling(c)), None)
    return best


def _telling(column: Column) -> bool:
    """A header that says "who answered" (also as a KoboToolbox ``group/name`` path)."""
    headers = (column.id, column.text, column.id.rsplit("/", 1)[-1])
    return any(RESPONDENT_HINT.search(h) for h in headers if h)


def find_timestamp(table: RawTable) -> Column | None:
    """The column that orders duplicate responses, when the platform has one."""
    for wanted in TIMESTAMPS:
        for column in table.columns:
            if wanted in (column.id, column.text):
                return column
    return None


@dataclass
class NameStats:
    """How well a column's cells match roster members."""

    cells: int
    resolved: int
    separator: str | None = None
    multi: bool = False
    unmatched: list[str] = field(default_factory=list)

    @property
    def names(self) -> bool:
        """At least half the answers are members (a typo or two is left to validation)."""
        return self.resolved > 0 and self.resolved * 2 >= self.cells


def name_stats(cells: list[str], matcher: NameMatcher, platform: str) -> NameStats:
    """Match cells to the roster, whole or split at the separator that fits best.

    >>> m = NameMatcher({"m1": "Ana Ruiz", "m2": "Robert Lee, Jr.", "m3": "Kim Tran"})
    >>> found = name_stats(["Robert Lee, Jr.,Kim Tran", "Ana Ruiz"], m, "qualtrics")
    >>> found.resolved, found.separator, found.multi
    (2, ',', True)
    >>> name_stats(["Agree", "Disagree"], m, "plain").names
    False
    >>> name_stats(["Ana Ruiz,Kim Tran"], m, "qualtrics").separator
    ','
    """
    whole: list[str] = []
    rest: list[str] = []
    for cell in cells:
        (whole if matcher.match(cell).member else rest).append(cell)
    if not rest:
        return NameStats(len(cells), len(cells))
    short = [cell for cell in rest if len(cell) <= LONG_TEXT]
    order = dict.fromkeys((DEFAULT_SEPARATORS.get(platform, ";"), *SEPARATORS))
    # names joined without a space ("Ana Ruiz,Kim Tran") only match once split at the
    # separator itself, so look for a member with every separator before giving up
    if not whole and not any(matcher.split(cell, separator)[0] for cell in short[:30]
                             for separator in (" ", *order)):
        return NameStats(len(cells), 0, unmatched=rest)
    best: tuple[int, int, str, bool, list[str]] | None = None
    for separator in order:
        resolved, multi, unmatched = 0, False, []
        for cell in short:
            members, missing = matcher.split(cell, separator)[:2]
            if members and not missing:
                resolved += 1
                multi = multi or len(members) > 1
            else:
                unmatched += missing if members else [cell]
        if best is None or (resolved, -len(unmatched)) > (best[0], -len(best[4])):
            best = (resolved, len(unmatched), separator, multi, unmatched)
    resolved, _, separator, multi, unmatched = best
    unmatched += [cell for cell in rest if len(cell) > LONG_TEXT]
    return NameStats(len(cells), len(whole) + resolved, separator if multi else None, multi,
                     unmatched)


@dataclass
class ColumnInfo:
    """One answer column outside the grids: what its cells hold."""

    column: Column
    kinds: CellKinds
    names: NameStats | None = None

    @property
    def kind(self) -> str:
        """``names``, ``yesno``, ``labels``, ``numeric``, ``ticks`` or ``empty``."""
        if self.names is not None and self.names.names:
            return "names"
        if yes_no(self.kinds):
            return "yesno"
        return self.kinds.kind


def column_info(table: RawTable, column: Column, matcher: NameMatcher) -> ColumnInfo:
    """Classify one column's cells."""
    cells = [row[column.index].strip() for row in table.rows]
    cells = [cell for cell in cells if cell]
    kinds = classify((cell, ()) for cell in cells)
    info = ColumnInfo(column, kinds)
    if kinds.kind in ("labels", "numeric"):
        info.names = name_stats(cells, matcher, table.platform)
    return info
