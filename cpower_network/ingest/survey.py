"""Read one survey file of one wave: find who answered, then read every question."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from ..config.study import StudyConfig
from ..config.surveys import SurveyFile
from ..errors import DataError, Problem
from .columns import Slot, named_column, unknown_name_problem
from .filecontext import FileContext, Outputs, Response
from .names import normalise_name
from .nonmembers import NonMembers
from .quality import Ledger
from .questions import READERS, QuestionReader
from .roster import Roster
from .tables import RawTable, read_table

#: Qualtrics "Status" values of responses that are not real answers (text and codes).
QUALTRICS_NOT_RESPONSES = {"survey preview", "survey test", "spam", "preview spam",
                           "offline survey preview", "1", "2", "8", "9", "12", "17"}


def read_survey(config: StudyConfig, wave: str, survey: SurveyFile, roster: Roster,
                ledger: Ledger, outputs: Outputs) -> None:
    """Read ``survey`` into ``outputs``; record problems and set-aside cells in ``ledger``."""
    try:
        table = read_table(survey.path, file=survey.file, sheet=survey.sheet,
                           platform=survey.platform, header_rows=survey.header_rows)
    except DataError as exc:
        ledger.problems.extend(exc.problems or [Problem("error", "unreadable", exc.message,
                                                        file=survey.file)])
        return
    ledger.problems.extend(table.problems)
    if not table.rows:
        ledger.error("no-responses", "the file has a header but no responses",
                     file=survey.file, fix="export the survey again once answers are in")
        return
    ctx = FileContext(config=config, wave=wave, table=table, matcher=roster.matcher,
                      wave_members=set(roster.membership[wave]), ledger=ledger,
                      outputs=outputs, non_members=NonMembers(config.non_members))
    readers = [READERS[q.shape](q, ctx) for q in survey.questions]
    for reader in readers:
        ledger.problems.extend(reader.resolve())
    answer_cells = sum(len(r.slots) for r in readers)
    ledger.cells_read[wave] += answer_cells * len(table.rows)
    who, problems = named_column(table, survey.respondent, purpose="respondent column")
    ledger.problems.extend(problems)
    if who is None:
        for number in table.row_numbers:
            ledger.set_aside(wave, survey.file, number, "", "", "respondent column missing")
        return
    candidates = _identify(ctx, table, who, survey)
    long_format = any(q.shape == "long" for q in survey.questions)
    accepted = candidates if long_format else _drop_duplicates(ctx, candidates, survey, table)
    _read_responses(ctx, readers, accepted, wave, survey.file)


def _identify(ctx: FileContext, table: RawTable, who: Slot, survey: SurveyFile) \
        -> list[Response]:
    """Responses whose respondent is a member of this wave; others are set aside."""
    status = status_column(table)
    found: list[Response] = []
    for cells, number in zip(table.rows, table.row_numbers, strict=True):
        if is_test_response(cells, status):
            _response_aside(ctx, survey, number, "Qualtrics preview, test or spam response",
                            cells[status])
            continue
        text = cells[who.index]
        if not text.strip():
            ctx.ledger.error("no-respondent", "this response does not say who answered",
                             file=survey.file, row=number, column=who.label,
                             fix="fill in the respondent's id or name, or remove the row")
            _response_aside(ctx, survey, number, "respondent missing")
            continue
        match = ctx.matcher.match(text)
        if match.member is None:
            ctx.ledger.problems.append(unknown_name_problem(
                ctx.matcher, text, match.candidates, file=survey.file, column=who.label,
                row=number, what="the respondent is"))
            _response_aside(ctx, survey, number, "respondent not on the roster", text)
            continue
        if match.member not in ctx.wave_members:
            ctx.ledger.error("respondent-not-in-wave", f"{match.member} answered in wave "
                             f"{ctx.wave!r} but the roster does not list them in it",
                             file=survey.file, row=number, column=who.label, value=text,
                             fix="add the wave to the member's waves column in the roster")
            _response_aside(ctx, survey, number, "respondent not in this wave", text)
            continue
        found.append(Response(match.member, cells, number))
    return found


def _response_aside(ctx: FileContext, survey: SurveyFile, number: int, reason: str,
                    value: str = "") -> None:
    """Set the whole response at spreadsheet row ``number`` aside (no column)."""
    ctx.ledger.set_aside(ctx.wave, survey.file, number, "", value, reason)


def status_column(table: RawTable) -> int | None:
    """The Qualtrics "Status" column (preview, test and spam responses), if any."""
    if table.platform != "qualtrics":
        return None
    for column in table.columns:
        if "Status" in (column.id, column.text):
            return column.index
    return None


def is_test_response(cells: list[str], status: int | None) -> bool:
    """Whether a row is a Qualtrics preview, test or spam response (``status``: the
    :func:`status_column`, or ``None``)."""
    return status is not None and normalise_name(cells[status]) in QUALTRICS_NOT_RESPONSES


def _drop_duplicates(ctx: FileContext, responses: list[Response], survey: SurveyFile,
                     table: RawTable) -> list[Response]:
    """One response per member, following ``[analysis] duplicates``."""
    by_member: dict[str, list[Response]] = defaultdict(list)
    for response in responses:
        by_member[response.respondent].append(response)
    repeats = {member: [r.row for r in group] for member, group in by_member.items()
               if len(group) > 1}
    order = _time_order(ctx, survey, table, repeats)
    policy = ctx.config.analysis.duplicates
    kept: set[int] = set()
    for member, group in by_member.items():
        if len(group) > 1:
            group = sorted(group, key=lambda r: (order.get(r.row, pd.NaT) if order else 0,
                                                 r.row))
        keep = group[0] if policy == "keep_first" else group[-1]
        kept.add(keep.row)
        for dropped in group:
            if dropped is keep:
                continue
            severity = "error" if policy == "error" else "warning"
            ctx.ledger.problem(severity, "duplicate-response", f"{member} answered this "
                               f"survey more than once; kept row {keep.row}",
                               file=survey.file, row=dropped.row,
                               fix="remove the extra response, or set [analysis] "
                                   "duplicates to keep_first or keep_last")
            ctx.ledger.set_aside(ctx.wave, survey.file, dropped.row, "", member,
                                 "duplicate response (an earlier or later one was kept)")
    return [r for r in responses if r.row in kept]


#: The two ways a date such as 03/04/2024 can be read.
READINGS = ("day-first", "month-first")
_YEAR_FIRST = r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
_YEAR_LAST = r"(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<yy>\d{4}|\d{2})"
_CLOCK = (r"(?:(?:T|\s+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?"
          r"\s*(?P<half>[AaPp]\.?\s?[Mm]\.?)?)?")
_ZONE = r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2}|(?:GMT|UTC)(?:[+-]\d{1,2}(?::?\d{2})?)?|[A-Za-z]{2,5})?"
#: ISO and Qualtrics (2024-05-01 09:10:01), KoboToolbox (2024-05-01T09:00:00.000+02:00),
#: Google Forms (2024/05/01 9:30:00 AM GMT+1, 01/05/2024 09:30:00), SurveyMonkey
#: (05/01/2024 09:00:11 AM), Excel (1/5/24 9:30), German (01.05.2024 09:30).
_STAMP = re.compile(rf"(?:{_YEAR_FIRST}|{_YEAR_LAST}){_CLOCK}{_ZONE}")
_OFFSET = re.compile(r"([+-])(\d{1,2}):?(\d{2})?$")
_MONTH_NAME = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.IGNORECASE)
_EPOCH = dt.datetime(1970, 1, 1)


def _time_order(ctx: FileContext, survey: SurveyFile, table: RawTable,
                groups: dict[str, list[int]]) -> dict[int, float]:
    """Sort keys (by spreadsheet row) that put each member's repeated responses
    (``groups``: member -> their rows, in row order) in time order, or ``{}`` for row
    order.

    The day/month order of dates such as ``03/04/2024`` is read from the column: a first
    number above 12 proves day-first, a second one month-first; year-first dates are
    unambiguous. When the column does not settle it and the two readings would keep a
    different response, that is an ``ambiguous-date`` error; a timestamp that cannot
    be read is an ``unreadable-date`` warning. Either way that member's responses keep
    row order.
    """
    if not survey.timestamp:
        return {}
    slot, problems = named_column(table, survey.timestamp, purpose="timestamp column")
    ctx.ledger.problems.extend(problems)  # a missing column is reported either way
    if slot is None or not groups:
        return {}
    texts = {n: cells[slot.index] for cells, n in zip(table.rows, table.row_numbers,
                                                        strict=True)}
    readings = {n: _readings(text) for n, text in texts.items()}
    proved = {next(iter(r)) for r in readings.values() if len(r) == 1}
    where = _TimeColumn(ctx, survey.file, slot.label, texts, proved)
    keys: dict[int, float] = {}
    for member, rows in groups.items():
        choices = {n: _choices(readings[n], proved) for n in rows}
        keys.update(_group_keys(where, member, rows, choices))
    return keys


@dataclass(frozen=True)
class _TimeColumn:
    """The timestamp column of one file: its texts by row, the readings its dates prove
    (none, one, or both when it mixes orders), and where messages point."""

    ctx: FileContext
    file: str
    label: str
    texts: dict[int, str]
    proved: set[str]

    @property
    def end(self) -> str:
        """Which response ``[analysis] duplicates`` keeps: ``first`` or ``last``."""
        return "first" if self.ctx.config.analysis.duplicates == "keep_first" else "last"

    def kept(self, rows: list[int]) -> int:
        """The row kept among ``rows`` (in their order)."""
        return rows[0] if self.end == "first" else rows[-1]


def _choices(readings: dict[str, dt.datetime], proved: set[str]) -> dict[str, dt.datetime]:
    """The readings of one timestamp left once the column proved one order."""
    if len(proved) != 1:
        return readings
    (order,) = proved
    return {order: readings[order]} if order in readings else {}


def _group_keys(where: _TimeColumn, member: str, rows: list[int],
                choices: dict[int, dict[str, dt.datetime]]) -> dict[int, float]:
    """Sort keys for one member's responses, reporting what keeps them in row order."""
    unreadable = [n for n in rows if not choices[n]]
    for number in unreadable:
        text = where.texts[number]
        what = f"the timestamp {text!r} is not a date and time cpower can read" \
            if text.strip() else "the timestamp is blank"
        where.ctx.ledger.warning(
            "unreadable-date", f"{what}, so {member}'s responses were taken in row order "
            f"(row {where.kept(rows)} kept as the {where.end})", file=where.file,
            row=number, column=where.label, value=text,
            fix="correct the timestamp (yyyy-mm-dd hh:mm:ss is always read), or remove "
                "the extra response")
    if unreadable:
        return dict.fromkeys(rows, 0.0)
    ways = {reading: {n: choices[n].get(reading, next(iter(choices[n].values())))
                      for n in rows} for reading in READINGS}
    kept = {reading: where.kept(sorted(rows, key=lambda n, m=moments: (_key(m[n]), n)))
            for reading, moments in ways.items()}
    if kept["day-first"] == kept["month-first"]:
        return {n: _key(moment) for n, moment in ways["day-first"].items()}
    _report_ambiguous(where, member, rows, choices)
    return dict.fromkeys(rows, 0.0)


def _report_ambiguous(where: _TimeColumn, member: str, rows: list[int],
                      choices: dict[int, dict[str, dt.datetime]]) -> None:
    """An ``ambiguous-date`` error at the first of ``rows`` whose readings differ."""
    number = next(n for n in rows if len(set(choices[n].values())) > 1)
    day, month = (f"{choices[number][r]:%Y-%m-%d %H:%M}" for r in READINGS)
    why = ("the column holds dates in both orders" if where.proved else
           "no date in the column has a day above 12 to settle the order")
    where.ctx.ledger.error(
        "ambiguous-date", f"the timestamp {where.texts[number]!r} reads as {day} day-first "
        f"or {month} month-first, which decides which of {member}'s responses is the "
        f"{where.end}; {why}, so row order was used (row {where.kept(rows)} kept)",
        file=where.file, row=number, column=where.label, value=where.texts[number],
        fix="export the dates in ISO format yyyy-mm-dd, or remove the extra response")


def _key(moment: dt.datetime) -> float:
    """Seconds since 1970 (UTC when the timestamp gave an offset), for sorting."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return (moment - _EPOCH).total_seconds()


def _readings(text: str) -> dict[str, dt.datetime]:
    """What a timestamp can mean, by reading (``day-first``, ``month-first``).

    Dates written year first, or with the month's name, give both readings the same
    moment; a reading that is no valid date (month 13) is left out; ``{}`` when the
    text is no timestamp at all.

    >>> sorted(_readings("13/04/2024 10:00"))
    ['day-first']
    >>> _readings("2024/05/01 9:30:00 PM GMT+1")["month-first"].isoformat()
    '2024-05-01T21:30:00+01:00'
    """
    clean = normalise_name(text, fold=False)
    found = _STAMP.fullmatch(clean)
    if found is None:
        moment = _named_month(clean)
        return dict.fromkeys(READINGS, moment) if moment is not None else {}
    parts = found.groupdict()
    clock = _clock(parts)
    if clock is None:
        return {}
    if parts["y"]:
        dates = dict.fromkeys(READINGS, (int(parts["y"]), int(parts["m"]), int(parts["d"])))
    else:
        year = int(parts["yy"]) + (2000 if len(parts["yy"]) == 2 else 0)
        first, second = int(parts["a"]), int(parts["b"])
        dates = {"day-first": (year, second, first), "month-first": (year, first, second)}
    zone = _zone(parts["zone"])
    moments = {}
    for reading, date in dates.items():
        try:
            moments[reading] = dt.datetime(*date, *clock, tzinfo=zone)
        except ValueError:
            continue
    return moments


def _clock(parts: dict[str, str | None]) -> tuple[int, int, int, int] | None:
    """Hour, minute, second and microsecond of a matched timestamp (AM/PM applied)."""
    hour = int(parts["H"] or 0)
    if parts["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if parts["half"][0] in "Pp" else 0)
    fraction = (parts["f"] or "0")[:6].ljust(6, "0")
    return hour, int(parts["M"] or 0), int(parts["S"] or 0), int(fraction)


def _zone(zone: str | None) -> dt.timezone | None:
    """The UTC offset of ``+02:00``, ``+0200``, ``GMT+1`` or ``Z``; ``None`` (local time)
    for no zone or a zone name such as ``CEST``, whose offset the text does not say."""
    if zone in ("Z", "GMT", "UTC"):
        return dt.UTC
    found = _OFFSET.search(zone or "")
    if found is None:
        return None
    sign = -1 if found[1] == "-" else 1
    return dt.timezone(sign * dt.timedelta(hours=int(found[2]), minutes=int(found[3] or 0)))


def _named_month(text: str) -> dt.datetime | None:
    """A timestamp that names its month ("May 1, 2024 9:30 AM"), where day and month
    cannot be confused."""
    if not _MONTH_NAME.search(text):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            moment = pd.to_datetime(text)
        except (ValueError, OverflowError):
            return None
    return None if pd.isna(moment) else moment.to_pydatetime()


def _read_responses(ctx: FileContext, readers: list[QuestionReader],
                    responses: list[Response], wave: str, file: str) -> None:
    for reader in readers:  # numeric codes are judged per question, before reading
        reader.inspect(responses)
    seen: set[str] = set()
    for response in responses:
        if response.respondent not in seen:
            seen.add(response.respondent)
            ctx.outputs.responses.append((wave, file, response.respondent, response.row))
        for reader in readers:
            reader.read(response)
    for reader in readers:
        ctx.ledger.problems.extend(reader.finish())
