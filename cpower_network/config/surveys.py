"""``[waves]``: each wave's survey exports and the questions to read from them.

A :class:`Wave` is one round of surveys, a :class:`SurveyFile` one export (its platform,
respondent column and header rows) and a :class:`Question` one question of it, in one of
the :data:`SHAPES`. The readers here check each question against the keys its shape
allows and against the relations, scales and perception items the study defines; they are
called by :func:`cpower_network.config.study.parse_config`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..measures.facets import FACETS
from . import reference
from .files import StudyFiles
from .perception_items import PerceptionItem
from .relations import Relation
from .scales import Scale
from .schema import LARGEST, TableReader, _check_key, closest

PLATFORMS = ("auto", "plain", "qualtrics", "surveymonkey", "google_forms", "kobotoolbox")
SHAPES = ("long", "matrix", "name_generator", "multi_select", "perceptions", "decision")
HEADER_ROWS = ("auto", "id", "text")
MEMBER_SLOT = "{member}"
#: The most header rows a survey export may declare before its answers.
MAX_HEADER_ROWS = 100


@dataclass(frozen=True)
class Question:
    """One question of a survey file and how to read it (fields depend on ``shape``).

    Shapes
    ------
    long
        one row per answer: ``alter`` column, ``value`` column (optional), and either a
        fixed ``relation`` or a ``relation_column``.
    matrix
        one column per member: ``relation`` and ``columns``, a header pattern with
        ``{member}`` where the member's id, name or alias appears.
    name_generator
        free-text names: ``relation`` and ``columns`` (a list of columns, one name each).
    multi_select
        several members ticked: ``relation`` and either ``column`` (one cell, names joined
        by ``separator``) or ``columns`` (a ``{member}`` pattern, one 0/1 column per choice).
    perceptions
        Likert items: ``items`` maps item keys to columns, read on ``scale``.
    decision
        one decision: ``decision`` (its id), ``label``, optional ``involved`` column (yes/no),
        ``shaped_by`` (like multi_select: ``column`` + ``separator``, or a ``columns``
        pattern) and optional ``voice`` column ("my input shaped the outcome") on ``scale``.
    """

    shape: str
    relation: str | None = None
    relation_column: str | None = None
    columns: str | tuple[str, ...] | None = None
    column: str | None = None
    separator: str | None = None
    header: str = "auto"
    alter: str | None = None
    value: str | None = None
    fixed_value: float = 1.0
    items: Mapping[str, str] = field(default_factory=dict)
    scale: str | None = None
    decision: str | None = None
    label: str | None = None
    involved: str | None = None
    voice: str | None = None
    non_members: tuple[str, ...] = ()
    write_in: bool | None = None
    facet: str | None = None


@dataclass(frozen=True)
class SurveyFile:
    """A survey export and the questions to read from it."""

    file: str
    path: Path
    respondent: str
    questions: tuple[Question, ...]
    platform: str = "auto"
    sheet: str | None = None
    timestamp: str | None = None
    header_rows: int | None = None


@dataclass(frozen=True)
class Wave:
    """One round of surveys."""

    key: str
    label: str
    surveys: tuple[SurveyFile, ...]


def _read_waves(table: Mapping[str, Any], files: StudyFiles,
                relations: Mapping[str, Relation],
                scales: Mapping[str, Scale], items: Mapping[str, PerceptionItem],
                problems: list[str]) -> dict[str, Wave]:
    waves = {}
    for key, spec in table.items():
        _check_key(key, "[waves]", problems)
        reader = TableReader(spec, f"[waves.{key}]", problems)
        reader.check_keys(reference.keys("waves"))
        surveys_raw = reader._typed("surveys", (list,), "a list of [[waves.X.surveys]]", [])
        if not surveys_raw:
            problems.append(f"[waves.{key}] has no surveys: add at least one "
                            f"[[waves.{key}.surveys]] with a file and its questions")
        surveys = tuple(
            _read_survey(s, f"[[waves.{key}.surveys]] #{i}", files, relations, scales,
                         items, problems)
            for i, s in enumerate(surveys_raw, start=1)
        )
        waves[key] = Wave(key, reader.text("label") or key, surveys)
    if not waves:
        problems.append("no [waves] defined: add at least one wave with its surveys")
    return waves


def _read_survey(table: Mapping[str, Any], where: str, files: StudyFiles,
                 relations: Mapping[str, Relation], scales: Mapping[str, Scale],
                 items: Mapping[str, PerceptionItem], problems: list[str]) -> SurveyFile:
    reader = TableReader(table, where, problems)
    reader.check_keys(reference.keys("surveys"))
    file = reader.text("file", required=True) or ""
    where = f"{where} ({file})" if file else where
    questions_raw = reader._typed("questions", (list,), "a list of [[…questions]]", [])
    if not questions_raw:
        problems.append(f"{where} has no questions: add [[…questions]] tables saying "
                        "which columns hold which answers")
    questions = tuple(
        _read_question(q, f"{where} question #{i}", relations, scales, items, problems)
        for i, q in enumerate(questions_raw, start=1)
    )
    header_rows = reader.integer("header_rows", at_least=1, at_most=MAX_HEADER_ROWS, fix=1,
                                 expected=f"must be 1 or more (at most {MAX_HEADER_ROWS})")
    return SurveyFile(
        file=file,
        path=files.path(file, where),
        respondent=reader.text("respondent", required=True) or "",
        questions=questions,
        platform=reader.choice("platform", PLATFORMS, "auto"),
        sheet=reader.text("sheet"),
        timestamp=reader.text("timestamp"),
        header_rows=header_rows,
    )


QUESTION_KEYS = {shape: reference.question_keys(shape) for shape in SHAPES}


def _read_question(table: Mapping[str, Any], where: str, relations: Mapping[str, Relation],
                   scales: Mapping[str, Scale], items: Mapping[str, PerceptionItem],
                   problems: list[str]) -> Question:
    reader = TableReader(table, where, problems)
    shape = reader.choice("shape", SHAPES, "long") if "shape" in reader.table else None
    if shape is None:
        problems.append(f"{where} needs a shape: one of {', '.join(SHAPES)}")
        return Question(shape="long")
    if reader.table["shape"] not in SHAPES:  # reported by choice(); checking the other
        return Question(shape="long")        # keys against "long" would only mislead
    reader.check_keys(("shape", *QUESTION_KEYS[shape]))
    relation = reader.text("relation")
    needs_relation = shape in ("matrix", "name_generator", "multi_select") or (
        shape == "long" and "relation_column" not in reader.table)
    if needs_relation and relation is None:
        problems.append(f"{where} ({shape}) needs relation = one of {', '.join(relations)}")
    if relation is not None and relation not in relations:
        hint = closest(relation, relations)
        problems.append(f"{where} relation {relation!r} is not defined under [relations]"
                        + (f"; did you mean {hint!r}?" if hint else ""))
    columns = _read_columns(reader, shape, where, problems)
    value_text = reader.text("value") if shape == "long" else None
    fixed_value = 1.0
    if shape in ("name_generator", "multi_select") and "value" in reader.table:
        # A tie's weight is above 0: a weight of 0 is no tie, so value = 0 would drop
        # every name given, silently. Refused, never read as 1.
        fixed_value = reader.number(
            "value", 1.0, at_least=None, above=0, fix=1,
            expected=f"must be a number above 0 and at most {LARGEST:,} (the weight of "
                     "the tie to each member named; a weight of 0 is no tie, so every "
                     "name in this question would count as not named)")
    scale = reader.text("scale")
    if scale is not None and scale not in (*scales, "yesno"):
        hint = closest(scale, scales)
        problems.append(f"{where} scale {scale!r} is not defined under [scales]"
                        + (f"; did you mean {hint!r}?" if hint else ""))
    item_map: dict[str, str] = {}
    if shape == "perceptions":
        item_map = _read_item_map(reader, where, items, problems)
        if scale is None:
            problems.append(f"{where} (perceptions) needs scale = the answer scale's name")
    if shape == "decision" and not reader.text("decision"):
        problems.append(f"{where} (decision) needs decision = a short id for the decision")
    facet = _read_facet(reader, where, relations.get(relation or ""), scales, problems) \
        if "facet" in QUESTION_KEYS[shape] else None
    return Question(
        shape=shape,
        relation=relation,
        relation_column=reader.text("relation_column"),
        columns=columns,
        column=reader.text("column"),
        separator=reader.text("separator"),
        header=reader.choice("header", HEADER_ROWS, "auto"),
        alter=reader.text("alter", required=shape == "long"),
        value=value_text,
        fixed_value=fixed_value,
        items=item_map,
        scale=scale,
        decision=reader.text("decision"),
        label=reader.text("label"),
        involved=reader.text("involved"),
        voice=reader.text("voice"),
        non_members=reader.text_list("non_members"),
        write_in=reader.boolean("write_in", False) if "write_in" in reader.table else None,
        facet=facet,
    )


def _read_facet(reader: TableReader, where: str, relation: Relation | None,
                scales: Mapping[str, Scale], problems: list[str]) -> str | None:
    """The trust or value facet a rating question measures. It needs one relation (not a
    ``relation_column``) answered on a scale of ratings from 0 up: a share of the scale's
    maximum means nothing for "any mention" or for negative values."""
    if "facet" not in reader.table:
        return None
    facet = reader.choice("facet", tuple(FACETS), "")
    if not facet:
        return None
    if "relation_column" in reader.table:
        problems.append(f"{where} facet {facet!r} rates one relation: give relation = "
                        "\"…\" instead of relation_column, or put the facet's rows in a "
                        "question of their own")
    elif relation is not None and relation.scale == "tie":
        problems.append(f"{where} facet {facet!r} needs a rating: relation "
                        f"{relation.key!r} has scale = \"tie\" (any mention is 1); give "
                        "it an answer scale from [scales], e.g. scale = \"trust\"")
    elif relation is not None and relation.scale in scales:
        values = scales[relation.scale].values
        if values and (min(values) < 0 or max(values) <= 0):
            problems.append(f"{where} facet {facet!r} needs ratings from 0 up (a rating "
                            "counts as a share of the scale's highest value), but scale "
                            f"{relation.scale!r} runs from {min(values):g} to "
                            f"{max(values):g}; number its labels from 0 or 1")
    return facet


def _read_columns(reader: TableReader, shape: str, where: str,
                  problems: list[str]) -> str | tuple[str, ...] | None:
    raw = reader.table.get("columns")
    has_column = "column" in reader.table
    if shape == "matrix" or (shape in ("multi_select", "decision") and not has_column):
        pattern = reader.text("columns")
        if shape == "decision" and pattern is None:
            problems.append(f"{where} (decision) needs column (one cell, names joined by "
                            "separator) or columns (a pattern with {member}) for "
                            "'whose input shaped it'")
        elif pattern is None:
            problems.append(f"{where} ({shape}) needs columns = a header pattern with "
                            "{member}, e.g. \"collab_{member}\"" +
                            (" (or column = one cell with names)" if shape != "matrix" else ""))
        elif MEMBER_SLOT not in pattern:
            problems.append(f"{where} columns {pattern!r} must contain {MEMBER_SLOT} where "
                            "the member's id or name appears in the header")
        return pattern
    if shape == "name_generator":
        if isinstance(raw, str):
            return (raw,)
        listed = reader.text_list("columns")
        if not listed:
            problems.append(f"{where} (name_generator) needs columns = the list of name "
                            'columns, e.g. ["advice_1", "advice_2", "advice_3"]')
        return listed
    if raw is not None and shape in ("multi_select", "decision"):
        problems.append(f"{where}: give column or columns, not both")
    return None


def _read_item_map(reader: TableReader, where: str, items: Mapping[str, PerceptionItem],
                   problems: list[str]) -> dict[str, str]:
    table = reader.table_of("items")
    if not table:
        problems.append(f"{where} (perceptions) needs items = {{ item_key = \"column\" }}")
    for key, column in table.items():
        if not isinstance(column, str):
            problems.append(f"{where} items.{key} must name a column in quotes")
        if key not in items:
            hint = closest(key, items)
            problems.append(f"{where} item {key!r} is not a known item; define it under "
                            f"[items.{key}] with its text and milestone"
                            + (f", or did you mean {hint!r}?" if hint else ""))
    return {k: v for k, v in table.items() if isinstance(v, str)}
