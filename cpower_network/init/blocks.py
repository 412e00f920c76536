"""Turn what one export holds into question blocks: matrices, multi-selects, name
generators, decisions and perception items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..common.wording import counted
from ..ingest.names import NameMatcher
from ..ingest.rostercells import parse_flag
from ..ingest.tables import RawTable
from .detect import ColumnInfo, ColumnRefs, NameStats
from .grids import Grid, needs_text_header
from .model import Block, Registry, SurveyGuess
from .naming import (
    clip,
    decision_topic,
    facet_of,
    label_from,
    match_item,
    mentions,
    relation_kind,
    slug,
    stem,
)
from .scales import CellKinds, family_of

#: A numbered name box ends "<separators> [name|person|no.|number] <separators> <digits>";
#: the two runs of separators (the second may hold only these) and the word.
_BEFORE_WORD, _AFTER_WORD = frozenset(" -–_:#."), frozenset("#_-")
_NUMBER_WORD = re.compile(r"(?:name|person|no\.?|number)", re.IGNORECASE)
#: Qualtrics' " - Selected Choice" header ending; tried only from the start of a run of
#: spaces (the look-behind), so a header of 60,000 spaces costs a moment, not a minute.
_SELECTED_CHOICE = re.compile(r"(?<!\s)\s*-\s*Selected Choice$")
_VOICE = re.compile(r"\bmy (input|voice|view|views|ideas)\b|\boutcome\b|\bheard\b",
                    re.IGNORECASE)


@dataclass
class Choice:
    """'Which members…' answers, before it is known whether they belong to a decision:
    a grid of per-choice tick columns, or one cell of names joined by a separator."""

    text: str
    keys: dict[str, Any]
    seen: str
    first: int
    notes: dict[str, str] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)


def numbered_stem(text: str) -> str | None:
    """The question shared by numbered name boxes, or ``None``.

    >>> numbered_stem("Whom do you go to for advice? - Name 2")
    'Whom do you go to for advice?'
    >>> numbered_stem("Person you go to for advice #1"), numbered_stem("Q5")
    ('Person you go to for advice', None)
    """
    stem = _numbered(text.strip())
    if stem is None or sum(ch.isalnum() for ch in stem) < 3:
        return None
    return stem.strip()


def _numbered(text: str) -> str | None:
    r"""The text before a trailing number and its separators (and the word "name",
    "person", "no." or "number" among them), as short as can be; ``None`` without a
    trailing number or when that text runs over a line.

    Read from the end, in one pass: the same answer as the regular expression
    ``^(.*?)[\s\-–_:#.]*(?:name|person|no\.?|number)?[\s#_\-]*\d+$`` (ignoring case),
    whose lazy start made a header with a long run of spaces take minutes.

    >>> _numbered("Advice - Name 2"), _numbered("Advice #12"), _numbered("Q")
    ('Advice', 'Advice', None)
    """
    digits = len(text)
    while digits and text[digits - 1].isdecimal():
        digits -= 1
    if digits == len(text):
        return None
    start = _run_before(text, digits, _BEFORE_WORD)
    word_end = _run_before(text, digits, _AFTER_WORD)
    for size in (2, 3, 4, 6):
        if size <= word_end and _NUMBER_WORD.fullmatch(text, word_end - size, word_end):
            start = min(start, _run_before(text, word_end - size, _BEFORE_WORD))
    stem = text[:start]
    return None if "\n" in stem else stem


def _run_before(text: str, end: int, marks: frozenset[str]) -> int:
    """Where the run of whitespace and ``marks`` ending at ``end`` starts."""
    start = end
    while start and (text[start - 1] in marks or text[start - 1].isspace()):
        start -= 1
    return start


def numbers_check(kinds: CellKinds, where: str) -> list[str]:
    """A CHECK when bare numbers sit beside labels (codes mixed with choice text)."""
    if kinds.kind != "labels" or not kinds.numbers:
        return []
    shown = ", ".join(sorted(set(kinds.numbers))[:6])
    return [f"{len(kinds.numbers)} cells of {where} hold bare numbers ({shown}) beside "
            "labels: numeric codes? They are off the scale until you re-export with "
            "choice text or correct them"]


def ticks_shown(kinds: CellKinds) -> str:
    """How a grid's ticks look.

    >>> from .scales import classify
    >>> ticks_shown(classify([("1", ()), ("0", ())])), ticks_shown(classify([("Ana", ("Ana",))]))
    ('"0", "1" or blank', "the option's text or blank")
    """
    if any(parse_flag(label) is None for label in kinds.labels):
        return "the option's text or blank"
    return ", ".join(f'"{t}"' for t in sorted({*kinds.numbers, *kinds.labels})[:3]) + \
        " or blank"


def codes_shown(kinds: CellKinds) -> str:
    """The numbers seen (and any labels beside them), for a CHECK.

    >>> from .scales import classify
    >>> codes_shown(classify([("4", ()), ("6", ()), ("Agree", ())]))
    '4, 6; and the labels Agree'
    """
    shown = ", ".join(sorted(set(kinds.numbers), key=float)[:8])
    if kinds.labels:
        labels = [kinds.spellings[label].most_common(1)[0][0] for label in kinds.labels]
        shown += "; and the labels " + ", ".join(labels[:4])
    return shown


class Finder:
    """Builds the blocks of one export into ``survey.blocks`` (in column order)."""

    def __init__(self, table: RawTable, survey: SurveyGuess, matcher: NameMatcher,
                 registry: Registry) -> None:
        self.table, self.survey, self.matcher, self.registry = table, survey, matcher, registry
        self.refs = ColumnRefs(table)
        self.choices: list[Choice] = []
        self.used: set[int] = set()
        self.placed: list[tuple[int, Block]] = []

    def run(self, grids: list[Grid], infos: list[ColumnInfo]) -> None:
        """Find every block; columns left over are listed as not read."""
        for grid in grids:
            self.grid(grid)
        self.names([i for i in infos if i.kind == "names"], infos)
        self.decisions(infos)
        for choice in self.choices:
            relation = self.registry.relation_for(choice.text, "tie")
            self.place(choice.first, Block("multi_select", {"relation": relation.key,
                                                            **choice.keys},
                                           choice.seen, choice.notes,
                                           unmatched=choice.unmatched))
        self.perceptions(infos)
        self.survey.unread += [self.refs.ref(i.column) for i in infos
                               if i.column.index not in self.used]
        self.survey.blocks = [block for _, block in sorted(self.placed, key=lambda p: p[0])]

    def place(self, first: int, block: Block) -> None:
        self.placed.append((first, block))

    def describe(self, info: ColumnInfo) -> str:
        """A column for comments: its reference, and its text when that differs."""
        ref, text = self.refs.ref(info.column), self.refs.text(info.column)
        return f'"{ref}"' if text == ref else f'"{ref}" ("{clip(text, 60)}")'

    # -- grids -------------------------------------------------------------------------
    def grid(self, grid: Grid) -> None:
        """A grid of member columns: a matrix (labels) or per-choice ticks."""
        kinds = grid.kinds(self.table, self.matcher)
        keys: dict[str, Any] = {"columns": grid.pattern}
        if needs_text_header(grid, self.table):
            keys["header"] = "text"
        columns = f'{len(grid.hits)} columns "{clip(grid.shown(self.matcher), 80)}"'
        text = stem(grid.pattern)
        if kinds.kind == "ticks":
            self.choices.append(Choice(text, keys, f"{columns}, ticks ({ticks_shown(kinds)})",
                                       grid.first(), unmatched=grid.unmatched))
            return
        if kinds.kind == "labels":
            self.matrix(grid, text, keys, kinds, columns)
            return
        kind = relation_kind(text)
        relation = self.registry.relation_for(text, kind.key if kind else slug(text),
                                              active=False)
        block = Block("matrix", {"relation": relation.key, **keys}, columns, active=False,
                      unmatched=grid.unmatched)
        if kinds.kind == "numeric":
            shown = codes_shown(kinds)
            block.seen += f", numeric codes ({shown})"
            block.checks.append(
                f"the export holds numeric codes ({shown}), not the answer labels, so "
                "cpower cannot tell what they mean. Re-export with choice text (Qualtrics: "
                "'Use choice text'; SurveyMonkey: 'Actual answer text'), or declare the "
                f"scale they stand for under [scales] {relation.scale} (its labels in "
                "order, and which code means which label), then uncomment this question "
                "and its relation")
        else:
            block.seen += ", no answers yet"
            block.checks.append("no answers yet, so the answer scale is unknown: declare "
                                f"[scales] {relation.scale}, then uncomment this question "
                                "and its relation")
        self.place(grid.first(), block)

    def matrix(self, grid: Grid, text: str, keys: dict[str, Any], kinds: CellKinds,
               columns: str) -> None:
        scale = self.registry.scale_for(kinds, columns, fallback=slug(text))
        facet = facet_of(text)
        relation = self.registry.relation_for(text, scale.name, facet=facet)
        if facet:
            keys = {**keys, "facet": facet}
        block = Block("matrix", {"relation": relation.key, **keys},
                      f"{columns}, {len(kinds.labels)} labels", unmatched=grid.unmatched,
                      checks=numbers_check(kinds, "this grid"))
        if scale.family is None:
            labels = ", ".join(label for label, _ in scale.ordered())
            block.checks.append(f"the labels ({labels}) "
                                f"follow no scale cpower knows: put them in order under "
                                f"[scales] {scale.name}")
        self.place(grid.first(), block)

    # -- names typed or chosen ---------------------------------------------------------
    def names(self, infos: list[ColumnInfo], everything: list[ColumnInfo]) -> None:
        """Name generators (numbered boxes of typed names) and one-cell multi-selects.

        A numbered box whose few answers matched nobody ("robert lee jr" in box 2)
        still belongs with its siblings."""
        groups: dict[str, list[ColumnInfo]] = {}
        for info in infos:
            text = self.refs.text(info.column)
            groups.setdefault(numbered_stem(text) or f"\0{text}", []).append(info)
        for info in everything:
            key = numbered_stem(self.refs.text(info.column))
            if key in groups and info not in groups[key] and \
                    info.kind in ("labels", "empty"):
                info.names = info.names or NameStats(0, 0)
                groups[key].append(info)
                groups[key].sort(key=lambda i: i.column.index)
        for key, members in groups.items():
            self.used |= {i.column.index for i in members}
            if len(members) == 1 and members[0].names.multi:
                self.one_cell(members[0])
            else:
                self.name_generator(key.lstrip("\0"), members)

    def one_cell(self, info: ColumnInfo) -> None:
        names = info.names
        twin = next((c for c in self.choices if c.text in (info.column.id, info.column.text)),
                    None)
        if twin is not None:
            twin.notes["columns"] = (f"also seen: one-cell column {self.describe(info)} with "
                                     "the same answers (read once, from these columns)")
            return
        separator = names.separator or ","
        seen = (f"column {self.describe(info)}, names joined by {separator!r}: "
                f"{names.resolved} of {names.cells} answers match the roster")
        text = _SELECTED_CHOICE.sub("", self.refs.text(info.column))
        self.choices.append(Choice(text,
                                   {"column": self.refs.ref(info.column),
                                    "separator": separator},
                                   seen, info.column.index, unmatched=names.unmatched))

    def name_generator(self, text: str, infos: list[ColumnInfo]) -> None:
        relation = self.registry.relation_for(text, "tie")
        refs = [self.refs.ref(i.column) for i in infos]
        resolved = sum(i.names.resolved for i in infos)
        cells = sum(i.names.cells for i in infos)
        shown = ", ".join(refs[:3]) + (" …" if len(refs) > 3 else "")
        seen = (f"{counted(len(refs), 'column')} of typed names ({clip(shown, 80)}): {resolved} of "
                f"{cells} answers match the roster")
        notes = {}
        if refs[0] != self.refs.text(infos[0].column):
            notes["columns"] = clip(text, 60)
        self.place(infos[0].column.index, Block(
            "name_generator", {"relation": relation.key, "columns": refs}, seen, notes,
            unmatched=[u for i in infos for u in i.names.unmatched]))

    # -- decisions ---------------------------------------------------------------------
    def decisions(self, infos: list[ColumnInfo]) -> None:
        """Each 'whose input shaped …' question with its 'were you involved' (yes/no) and
        'my input shaped the outcome' columns, when their texts name the same topic."""
        for choice in list(self.choices):
            topic = decision_topic(choice.text)
            if topic is None:
                continue
            self.choices.remove(choice)
            involved = self._free(infos, ("yesno",), topic,
                                  lambda t: "involv" in t.casefold())
            voice = self._free(infos, ("labels", "numeric"), topic,
                               lambda t: bool(_VOICE.search(t)))
            self.decision(choice, topic, involved, voice)
        for info in infos:
            text = self.refs.text(info.column)
            if info.column.index not in self.used and info.kind == "yesno" and \
                    "involv" in text.casefold():
                self.survey.checks.append(
                    f"column {self.describe(info)} looks like a decision's 'were you "
                    "involved' question, but no 'whose input shaped …' question about the "
                    "same decision was found; add a decision question by hand")

    def _free(self, infos: list[ColumnInfo], kinds: tuple[str, ...], topic: str,
              test) -> ColumnInfo | None:
        for info in infos:
            text = self.refs.text(info.column)
            if info.column.index not in self.used and info.kind in kinds and \
                    test(text) and mentions(text, topic):
                self.used.add(info.column.index)
                return info
        return None

    def decision(self, choice: Choice, topic: str, involved: ColumnInfo | None,
                 voice: ColumnInfo | None) -> None:
        key = self.registry.decision_key(topic)
        keys: dict[str, Any] = {"decision": key, "label": label_from(topic)}
        block = Block("decision", keys, f'"{clip(topic, 50)}": whose input: {choice.seen}',
                      dict(choice.notes), unmatched=choice.unmatched)
        if involved is not None:
            keys["involved"] = self.refs.ref(involved.column)
            block.notes["involved"] = "yes/no: " + clip(self.refs.text(involved.column), 50)
        else:
            block.checks.append("no 'were you involved in …' yes/no column was found for "
                                "this decision; add involved = \"<column>\" if there is one")
        keys.update(choice.keys)
        if voice is None:
            block.checks.append("no 'my input shaped the outcome' column was found for this "
                                "decision; add voice = \"<column>\" and its scale if there "
                                "is one")
        elif voice.kind == "numeric":
            shown = codes_shown(voice.kinds)
            block.checks.append(
                f"the voice column {self.describe(voice)} holds numbers ({shown}), not "
                "labels. If they are a linear scale's values, add voice = "
                f"\"{self.refs.ref(voice.column)}\" and scale = a [scales] entry with those "
                "values; if they are codes, re-export with choice text")
        else:
            scale = self.registry.scale_for(voice.kinds, f"decision {key}",
                                            fallback=f"{key}_voice")
            keys["voice"], keys["scale"] = self.refs.ref(voice.column), scale.name
            block.notes["voice"] = clip(self.refs.text(voice.column), 60)
            block.checks += numbers_check(voice.kinds, "the voice column")
        self.place(choice.first, block)

    # -- perceptions -------------------------------------------------------------------
    def perceptions(self, infos: list[ColumnInfo]) -> None:
        """Likert columns whose statement clearly is a known perception item."""
        groups: dict[str, list[tuple[str, ColumnInfo]]] = {}
        for info in infos:
            if info.column.index in self.used or info.kind not in ("labels", "numeric"):
                continue
            family = family_of(info.kinds.labels) if info.kind == "labels" else None
            if family is None and info.kind == "labels":
                continue
            text = self.refs.text(info.column)
            item = match_item(text)
            self.used.add(info.column.index)
            if item is None:
                if family is not None:
                    self.survey.checks.append(
                        f"column {self.describe(info)} holds {family.kind} answers but is "
                        "not one of cpower's perception items: to read it, define "
                        "[items.<key>] (text, milestone) and map it in a perceptions "
                        "question")
                else:
                    self.used.discard(info.column.index)
                continue
            groups.setdefault(family.name if family else "", []).append((item[0], info))
        for family, items in groups.items():
            self.perception_block(family, items)

    def perception_block(self, family: str, items: list[tuple[str, ColumnInfo]]) -> None:
        mapping: dict[str, str] = {}
        block = Block("perceptions", {}, "")
        for key, info in items:
            if key in mapping:
                block.checks.append(f"column {self.describe(info)} also reads as item "
                                    f"{key!r}; map it by hand if it is another item")
                continue
            mapping[key] = self.refs.ref(info.column)
            if mapping[key] != self.refs.text(info.column):
                block.notes[f"items.{key}"] = clip(self.refs.text(info.column), 60)
            block.checks += numbers_check(info.kinds, f"item {key}")
        shown = ", ".join(mapping)
        noun = "column" if len(mapping) == 1 else "columns"
        if family:
            scale = None
            for _, info in items:
                scale = self.registry.scale_for(info.kinds, f"items {shown}", fallback=family)
            block.keys = {"scale": scale.name, "items": mapping}
            block.seen = (f"{len(mapping)} Likert {noun} matching known items ({shown}), "
                          f"{scale.family.kind}")
        else:
            block.keys = {"scale": "<a scale whose values are the codes>", "items": mapping}
            block.active = False
            codes = "; ".join(codes_shown(info.kinds) for _, info in items)
            block.seen = f"{len(mapping)} {noun} matching known items ({shown}), numbers"
            block.checks.append(f"these items hold numeric codes ({codes}), not labels: "
                                "re-export with choice text, or declare a scale whose "
                                "values are the codes, then uncomment")
        self.place(min(i.column.index for _, i in items), block)
