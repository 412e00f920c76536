"""Read one survey export into a :class:`~.model.SurveyGuess`."""

from __future__ import annotations

from dataclasses import replace

from ..ingest.names import NameMatcher
from ..ingest.survey import is_test_response, status_column
from ..ingest.tables import RawTable
from .blocks import Finder
from .detect import ColumnRefs, column_info, find_respondent, find_timestamp, is_metadata
from .grids import find_grids, holds_names
from .model import Registry, SurveyGuess
from .naming import clip

PLATFORM_NAMES = {"qualtrics": "Qualtrics", "surveymonkey": "SurveyMonkey",
                  "google_forms": "Google Forms", "kobotoolbox": "KoboToolbox",
                  "plain": "plain table"}


def detect_survey(table: RawTable, file: str, matcher: NameMatcher,
                  registry: Registry) -> SurveyGuess:
    """Find the respondent column and every question block of one export.

    Parameters
    ----------
    table : RawTable
        The export as :func:`~cpower_network.ingest.tables.read_table` read it.
    file : str
        Its path inside the study folder.
    matcher : NameMatcher
        Matches header tokens and cells to roster members.
    registry : Registry
        Scales, relations and decision ids shared with the study's other exports.
    """
    table = real_responses(table)
    survey = SurveyGuess(file, table.platform, table.header_rows, len(table.rows))
    survey.notes["platform"] = (f"seen: {PLATFORM_NAMES.get(table.platform, table.platform)}"
                                f" export, {table.header_rows} header "
                                f"row{'s' if table.header_rows > 1 else ''}")
    meta = {c.index for c in table.columns if is_metadata(c)}
    grids = [g for g in find_grids(table, matcher, meta)
             if not holds_names(g, table, matcher)]
    in_grids = set().union(*(g.indexes for g in grids))
    who = _respondent(survey, table, matcher, in_grids)
    stamp = find_timestamp(table)
    if stamp is not None:
        survey.timestamp = ColumnRefs(table).ref(stamp)
    skip = meta | in_grids | ({who} if who is not None else set())
    infos = [column_info(table, c, matcher) for c in table.columns if c.index not in skip]
    Finder(table, survey, matcher, registry).run(grids, infos)
    for block in survey.blocks:
        if block.unmatched:
            shown = ", ".join(f'"{clip(u, 30)}"' for u in dict.fromkeys(block.unmatched))
            block.checks.insert(0, f"names nobody on the roster: {clip(shown, 300)}. Left "
                                "for validation: add spellings under [aliases], or the "
                                "members to the roster")
        survey.unmatched += block.unmatched
    if not table.rows:
        survey.checks.append("the file has no responses yet: answer scales cannot be seen; "
                             "run init again once answers are in")
    if not any(block.active for block in survey.blocks):
        survey.checks.append("no question of this file could be read as it is: complete "
                             "the questions below, or remove this survey")
    return survey


def real_responses(table: RawTable) -> RawTable:
    """The table without Qualtrics preview, test and spam rows (``cpower validate`` sets
    them aside too), so a coordinator's test answers are not taken for data."""
    status = status_column(table)
    if status is None:
        return table
    keep = [i for i, row in enumerate(table.rows) if not is_test_response(row, status)]
    return replace(table, rows=[table.rows[i] for i in keep],
                   row_numbers=[table.row_numbers[i] for i in keep])


def _respondent(survey: SurveyGuess, table: RawTable, matcher: NameMatcher,
                exclude: set[int]) -> int | None:
    found = find_respondent(table, matcher, exclude)
    if found.column is None:
        survey.respondent = "respondent"
        survey.checks.append("no column's answers match the roster's ids or names: set "
                             "respondent to the column that says who answered")
        return None
    survey.respondent = ColumnRefs(table).ref(found.column)
    if not found.matched:
        survey.notes["respondent"] = "seen: its header only (no answers match the roster)"
        survey.checks.append(f"respondent = {survey.respondent!r} is a guess from its header: "
                             "no answer in it matches the roster yet; confirm it")
        return found.column.index
    note = f"seen: {found.matched} of {found.rows} responses name a member by {found.how}"
    if found.column.text and found.column.text != survey.respondent:
        note += f' ("{clip(found.column.text, 40)}")'
    survey.notes["respondent"] = note
    if found.matched * 2 < found.rows:
        survey.checks.append(f"only {found.matched} of {found.rows} responses say who "
                             f"answered in {survey.respondent!r}, the best match: check "
                             "the respondent column")
    survey.unmatched += found.unmatched
    return found.column.index
