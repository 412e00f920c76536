"""Read one survey file of one wave: find who answered, then read every question."""

from __future__ import annotations

import re
import warnings
from collections import defaultdict

import pandas as pd

from ..config import StudyConfig, SurveyFile
from ..errors import DataError, Problem
from .columns import Slot, named_column, unknown_name_problem
from .names import normalise_name
from .quality import Ledger
from .questions import READERS, FileContext, Outputs, QuestionReader, Response
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
                      outputs=outputs)
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
    status = _status_column(table)
    found: list[Response] = []
    for cells, number in zip(table.rows, table.row_numbers, strict=True):
        def aside(reason: str, value: str = "", number: int = number) -> None:
            ctx.ledger.set_aside(ctx.wave, survey.file, number, "", value, reason)

        if status is not None and normalise_name(cells[status]) in QUALTRICS_NOT_RESPONSES:
            aside("Qualtrics preview, test or spam response", cells[status])
            continue
        text = cells[who.index]
        if not text.strip():
            ctx.ledger.error("no-respondent", "this response does not say who answered",
                             file=survey.file, row=number, column=who.label,
                             fix="fill in the respondent's id or name, or remove the row")
            aside("respondent missing")
            continue
        match = ctx.matcher.match(text)
        if match.member is None:
            ctx.ledger.problems.append(unknown_name_problem(
                ctx.matcher, text, match.candidates, file=survey.file, column=who.label,
                row=number, what="the respondent is"))
            aside("respondent not on the roster", text)
            continue
        if match.member not in ctx.wave_members:
            ctx.ledger.error("respondent-not-in-wave", f"{match.member} answered in wave "
                             f"{ctx.wave!r} but the roster does not list them in it",
                             file=survey.file, row=number, column=who.label, value=text,
                             fix="add the wave to the member's waves column in the roster")
            aside("respondent not in this wave", text)
            continue
        found.append(Response(match.member, cells, number))
    return found


def _status_column(table: RawTable) -> int | None:
    if table.platform != "qualtrics":
        return None
    for column in table.columns:
        if "Status" in (column.id, column.text):
            return column.index
    return None


def _drop_duplicates(ctx: FileContext, responses: list[Response], survey: SurveyFile,
                     table: RawTable) -> list[Response]:
    """One response per member, following ``[analysis] duplicates``."""
    by_member: dict[str, list[Response]] = defaultdict(list)
    for response in responses:
        by_member[response.respondent].append(response)
    order = _time_order(ctx, survey, table)
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


_ZONE = re.compile(r"\s+[A-Za-z]{2,5}$")


def _time_order(ctx: FileContext, survey: SurveyFile, table: RawTable) -> dict[int, object]:
    if not survey.timestamp:
        return {}
    slot, problems = named_column(table, survey.timestamp, purpose="timestamp column")
    ctx.ledger.problems.extend(problems)
    if slot is None:
        return {}
    texts = [_ZONE.sub("", row[slot.index].strip()) for row in table.rows]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        times = pd.to_datetime(pd.Series(texts), errors="coerce", format="mixed")
    if times.isna().any():
        return {}
    return dict(zip(table.row_numbers, times, strict=True))


def _read_responses(ctx: FileContext, readers: list[QuestionReader],
                    responses: list[Response], wave: str, file: str) -> None:
    seen: set[str] = set()
    for response in responses:
        if response.respondent not in seen:
            seen.add(response.respondent)
            ctx.outputs.responses.append((wave, file, response.respondent, response.row))
        for reader in readers:
            reader.read(response)
