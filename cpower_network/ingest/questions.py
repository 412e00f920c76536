"""Readers for the five shapes of survey data (and the decision question).

Each reader first *resolves* its columns once per file (reporting missing columns and
headers that name nobody), then *reads* each response, turning every answer cell into
tidy rows or a set-aside entry with its reason. Nothing else happens to survey text:
it is stored exactly as given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Question, Scale, StudyConfig
from ..errors import Problem
from .columns import Slot, member_columns, named_column, unknown_name_problem
from .names import NameMatcher, normalise_name
from .quality import Ledger
from .roster import parse_flag
from .tables import RawTable

DEFAULT_SEPARATORS = {"google_forms": ", ", "kobotoolbox": " ", "qualtrics": ",",
                      "surveymonkey": ",", "plain": ";"}


@dataclass
class Outputs:
    """Rows produced while reading, as tuples in the tidy frames' column order."""

    ties: list[tuple] = field(default_factory=list)
    perceptions: list[tuple] = field(default_factory=list)
    decisions: list[tuple] = field(default_factory=list)
    participation: list[tuple] = field(default_factory=list)
    responses: list[tuple] = field(default_factory=list)


@dataclass(frozen=True)
class Response:
    """One accepted response: who answered, their cells, and the spreadsheet row."""

    respondent: str
    cells: list[str]
    row: int


@dataclass
class FileContext:
    """What every reader of one survey file shares."""

    config: StudyConfig
    wave: str
    table: RawTable
    matcher: NameMatcher
    wave_members: set[str]
    ledger: Ledger
    outputs: Outputs

    @property
    def file(self) -> str:
        return self.table.file

    def aside(self, response: Response, slot: Slot, value: str, reason: str) -> None:
        self.ledger.set_aside(self.wave, self.file, response.row, slot.label, value, reason)

    def problem(self, severity: str, code: str, message: str, response: Response,
                slot: Slot, value: str, **extra: str) -> None:
        self.ledger.problem(severity, code, message, file=self.file, row=response.row,
                            column=slot.label, value=value, **extra)

    def scaled(self, scale: Scale, response: Response, slot: Slot, value: str,
               what: str) -> float | None:
        """The number for an answer on ``scale``; an off-scale answer is an error."""
        number = scale.value_of(value)
        if number is None:
            builtin = scale.name in ("tie", "yesno")  # cannot be extended in [scales]
            self.problem("error", "off-scale", f"{what}: answer not on the {scale.name!r} "
                         "scale", response, slot, value, expected=scale.describe(),
                         fix="correct the answer" if builtin else
                             f"correct the answer, or add the label to [scales] "
                             f"{scale.name} in cpower.toml")
            self.aside(response, slot, value, "off the scale")
        return number

    def alter_ok(self, response: Response, slot: Slot, alter: str, value: str) -> bool:
        """Self-nominations and members outside this wave are set aside, with a warning."""
        if alter == response.respondent:
            self.problem("warning", "self-nomination", "respondent named themselves; "
                         "the answer was set aside", response, slot, value)
            self.aside(response, slot, value, "self-nomination")
            return False
        if alter not in self.wave_members:
            self.problem("warning", "not-in-wave", f"names {alter}, who is not a member in "
                         f"wave {self.wave!r} by the roster; the answer was set aside",
                         response, slot, value,
                         fix="add the wave to the member's waves column if they took part")
            self.aside(response, slot, value, "member not in this wave")
            return False
        return True

    def tie(self, relation: str, response: Response, alter: str, value: float,
            slot: Slot) -> None:
        self.outputs.ties.append((self.wave, relation, response.respondent, alter, value,
                                  self.file, response.row, slot.label))

    def unknown_name(self, response: Response, slot: Slot, text: str, what: str, *,
                     aside: bool = True) -> None:
        found = self.matcher.match(text)
        self.ledger.problems.append(unknown_name_problem(
            self.matcher, text, found.candidates, file=self.file, column=slot.label,
            row=response.row, what=what))
        if aside:
            self.aside(response, slot, text, "unknown name")

    def separator(self, question: Question) -> str:
        if question.separator is not None:
            return question.separator
        return DEFAULT_SEPARATORS.get(self.table.platform, ";")


class QuestionReader:
    """Base class: resolve columns once, then read each response."""

    def __init__(self, question: Question, ctx: FileContext) -> None:
        self.q = question
        self.ctx = ctx
        self.slots: list[Slot] = []

    @property
    def purpose(self) -> str:
        return f"{self.q.shape} question ({self.q.relation or self.q.decision or 'items'})"

    def resolve(self) -> list[Problem]:
        raise NotImplementedError

    def read(self, response: Response) -> None:
        raise NotImplementedError

    def answer_columns(self) -> list[str]:
        """Labels of the columns holding this question's answers."""
        return [s.label for s in self.slots]


class MatrixReader(QuestionReader):
    """Roster matrix: one column per member, answers on the relation's scale."""

    def resolve(self) -> list[Problem]:
        self.scale = self.ctx.config.relation_scale(self.q.relation)
        self.slots, problems = member_columns(self.ctx.table, self.q.columns, self.q.header,
                                              self.ctx.matcher, purpose=self.purpose)
        return problems

    def read(self, response: Response) -> None:
        for slot in self.slots:
            value = response.cells[slot.index]
            if not value.strip():
                self.ctx.aside(response, slot, value, "blank")
            elif slot.member is None:
                self.ctx.aside(response, slot, value, "column names nobody on the roster")
            elif (number := self.ctx.scaled(self.scale, response, slot, value,
                                            self.q.relation)) is not None and \
                    self.ctx.alter_ok(response, slot, slot.member, value):
                self.ctx.tie(self.q.relation, response, slot.member, number, slot)


class NameGeneratorReader(QuestionReader):
    """Free-text names, one per column, matched to the roster."""

    def resolve(self) -> list[Problem]:
        problems: list[Problem] = []
        for wanted in self.q.columns:
            slot, found = named_column(self.ctx.table, wanted, purpose=self.purpose)
            problems += found
            if slot is not None:
                self.slots.append(slot)
        return problems

    def read(self, response: Response) -> None:
        named: set[str] = set()
        for slot in self.slots:
            text = response.cells[slot.index]
            if not text.strip():
                self.ctx.aside(response, slot, text, "blank")
                continue
            member = self.ctx.matcher.match(text).member
            if member is None:
                self.ctx.unknown_name(response, slot, text, "names")
            elif member in named:
                self.ctx.problem("warning", "named-twice", "the same member is named twice "
                                 "in this question; the repeat was set aside", response,
                                 slot, text)
                self.ctx.aside(response, slot, text, "named twice")
            elif self.ctx.alter_ok(response, slot, member, text):
                named.add(member)
                self.ctx.tie(self.q.relation, response, member, self.q.fixed_value, slot)


class MemberChoices:
    """'Which members…' answers: one cell joined by a separator, or one 0/1 column per
    member. Shared by multi-select questions and a decision's 'whose input shaped it'."""

    def __init__(self, question: Question, ctx: FileContext, purpose: str) -> None:
        self.q, self.ctx, self.purpose = question, ctx, purpose
        self.slots: list[Slot] = []
        self.per_choice = question.column is None

    def resolve(self) -> list[Problem]:
        if self.per_choice:
            self.slots, problems = member_columns(self.ctx.table, self.q.columns,
                                                  self.q.header, self.ctx.matcher,
                                                  purpose=self.purpose)
            return problems
        slot, problems = named_column(self.ctx.table, self.q.column, purpose=self.purpose)
        self.slots = [slot] if slot else []
        return problems

    def chosen(self, response: Response) -> list[tuple[str, Slot, str]]:
        """(member, slot, cell) for each member chosen; other cells are accounted for."""
        if not self.slots:  # the column is missing: reported once when resolving
            return []
        return self._ticked(response) if self.per_choice else self._joined(response)

    def _joined(self, response: Response) -> list[tuple[str, Slot, str]]:
        slot = self.slots[0]
        cell = response.cells[slot.index]
        if not cell.strip():
            self.ctx.aside(response, slot, cell, "blank")
            return []
        members, unmatched = self.ctx.matcher.split(cell, self.ctx.separator(self.q))
        if not members and not unmatched:  # only separators, e.g. ";"
            self.ctx.aside(response, slot, cell, "blank")
            return []
        for text in unmatched:
            self.ctx.unknown_name(response, slot, text, "names")
        seen: set[str] = set()
        chosen = []
        for member in members:
            if member in seen:
                continue
            seen.add(member)
            if self.ctx.alter_ok(response, slot, member, cell):
                chosen.append((member, slot, cell))
        return chosen

    def _ticked(self, response: Response) -> list[tuple[str, Slot, str]]:
        chosen = []
        for slot in self.slots:
            cell = response.cells[slot.index]
            ticked = parse_flag(cell)
            if ticked is None and slot.member is not None:
                name = self.ctx.matcher.names[slot.member]
                ticked = True if normalise_name(cell) in (normalise_name(name),
                                                          normalise_name(slot.token)) else None
            if ticked is None:
                self.ctx.problem("error", "off-scale", f"{self.purpose}: a choice column "
                                 "holds neither a tick nor a blank", response, slot, cell,
                                 expected="1 (or yes, x, the option text) when chosen; "
                                          "0 or blank when not",
                                 fix="correct the cell")
                self.ctx.aside(response, slot, cell, "off the scale")
            elif not ticked:
                self.ctx.aside(response, slot, cell, "blank" if not cell.strip()
                               else "not selected")
            elif slot.member is None:
                self.ctx.aside(response, slot, cell, "column names nobody on the roster")
            elif self.ctx.alter_ok(response, slot, slot.member, cell):
                chosen.append((slot.member, slot, cell))
        return chosen


class MultiSelectReader(QuestionReader):
    """Several members chosen; each choice is a tie of the question's value."""

    def resolve(self) -> list[Problem]:
        self.choices = MemberChoices(self.q, self.ctx, self.purpose)
        problems = self.choices.resolve()
        self.slots = self.choices.slots
        return problems

    def read(self, response: Response) -> None:
        for member, slot, _cell in self.choices.chosen(response):
            self.ctx.tie(self.q.relation, response, member, self.q.fixed_value, slot)


class PerceptionReader(QuestionReader):
    """Likert items: one column per item, on the question's scale."""

    def resolve(self) -> list[Problem]:
        self.scale = self.ctx.config.scale_for(self.q.scale)
        problems: list[Problem] = []
        self.items: list[tuple[str, Slot]] = []
        for item, wanted in self.q.items.items():
            slot, found = named_column(self.ctx.table, wanted, purpose=f"item {item!r}")
            problems += found
            if slot is not None:
                self.items.append((item, slot))
                self.slots.append(slot)
        return problems

    def read(self, response: Response) -> None:
        for item, slot in self.items:
            value = response.cells[slot.index]
            if not value.strip():
                self.ctx.aside(response, slot, value, "blank")
            elif (number := self.ctx.scaled(self.scale, response, slot, value,
                                            f"item {item!r}")) is not None:
                self.ctx.outputs.perceptions.append(
                    (self.ctx.wave, item, response.respondent, number, self.ctx.file,
                     response.row, slot.label))


class DecisionReader(QuestionReader):
    """One decision: involved (yes/no), whose input shaped it, and the respondent's voice."""

    def resolve(self) -> list[Problem]:
        problems: list[Problem] = []
        self.involved = self.voice = None
        if self.q.involved:
            self.involved, found = named_column(self.ctx.table, self.q.involved,
                                                purpose=f"decision {self.q.decision!r}")
            problems += found
        if self.q.voice:
            self.voice, found = named_column(self.ctx.table, self.q.voice,
                                             purpose=f"decision {self.q.decision!r}")
            problems += found
        self.voice_scale = self.ctx.config.scale_for(self.q.scale or "yesno")
        self.choices = MemberChoices(self.q, self.ctx, f"decision {self.q.decision!r}")
        problems += self.choices.resolve()
        self.slots = [s for s in (self.involved, self.voice) if s] + self.choices.slots
        return problems

    def _answer(self, response: Response, slot: Slot | None, scale: Scale) -> float | None:
        if slot is None:
            return None
        value = response.cells[slot.index]
        if not value.strip():
            self.ctx.aside(response, slot, value, "blank")
            return None
        return self.ctx.scaled(scale, response, slot, value, f"decision {self.q.decision!r}")

    def read(self, response: Response) -> None:
        involvement = self._answer(response, self.involved, self.ctx.config.scale_for("yesno"))
        voice = self._answer(response, self.voice, self.voice_scale)
        self.ctx.outputs.participation.append(
            (self.ctx.wave, self.q.decision, response.respondent, involvement, voice,
             self.ctx.file, response.row, self.involved.label if self.involved else "",
             self.voice.label if self.voice else ""))
        for member, slot, _cell in self.choices.chosen(response):
            self.ctx.outputs.decisions.append(
                (self.ctx.wave, self.q.decision, response.respondent, member, involvement,
                 self.ctx.file, response.row, slot.label))


class LongReader(QuestionReader):
    """Edge list: one row per answer (alter, value, and a relation column or a fixed one)."""

    def resolve(self) -> list[Problem]:
        problems: list[Problem] = []
        self.alter, found = named_column(self.ctx.table, self.q.alter, purpose="alter column")
        problems += found
        self.value = self.relation_col = None
        if self.q.value:
            self.value, found = named_column(self.ctx.table, self.q.value,
                                             purpose="value column")
            problems += found
        if self.q.relation_column:
            self.relation_col, found = named_column(self.ctx.table, self.q.relation_column,
                                                    purpose="relation column")
            problems += found
        self.slots = [self.value or self.alter] if self.alter else []
        return problems

    def _relation(self, response: Response) -> str | None:
        if self.relation_col is None:
            return self.q.relation
        text = response.cells[self.relation_col.index].strip()
        relations = self.ctx.config.relations
        for key, relation in relations.items():
            if normalise_name(text) in (normalise_name(key), normalise_name(relation.label)):
                return key
        self.ctx.problem("error", "unknown-relation", "the relation is not defined in "
                         "cpower.toml", response, self.relation_col, text,
                         expected=", ".join(relations),
                         fix="add it under [relations] or correct the cell")
        return None

    def read(self, response: Response) -> None:
        slot = self.slots[0]
        answer = response.cells[slot.index]
        alter_text = response.cells[self.alter.index]
        if not alter_text.strip() or not answer.strip():
            self.ctx.aside(response, slot, answer, "blank")
            return
        relation = self._relation(response)
        if relation is None:
            self.ctx.aside(response, slot, answer, "unknown relation")
            return
        member = self.ctx.matcher.match(alter_text).member
        if member is None:
            self.ctx.unknown_name(response, self.alter, alter_text, "names", aside=False)
            self.ctx.aside(response, slot, answer, "unknown name")
            return
        number = self.q.fixed_value
        if self.value is not None:
            number = self.ctx.scaled(self.ctx.config.relation_scale(relation), response,
                                     slot, answer, relation)
            if number is None:
                return
        if self.ctx.alter_ok(response, slot, member, answer):
            self.ctx.tie(relation, response, member, number, slot)


READERS: dict[str, type[QuestionReader]] = {
    "long": LongReader,
    "matrix": MatrixReader,
    "name_generator": NameGeneratorReader,
    "multi_select": MultiSelectReader,
    "perceptions": PerceptionReader,
    "decision": DecisionReader,
}
