"""Readers for the five shapes of survey data (and the decision question).

Each reader first *resolves* its columns once per file (reporting missing columns and
headers that name nobody), then *reads* each response, turning every answer cell into
tidy rows or a set-aside entry with its reason. Nothing else happens to survey text:
it is stored exactly as given.
"""

from __future__ import annotations

from ..config.scales import Scale
from ..config.surveys import Question
from ..errors import Problem
from .coding import CodeTracker
from .columns import Slot, member_columns, named_column
from .conflicts import Answer, duplicate_columns, settle
from .filecontext import LISTED_PER_CELL, FileContext, Response
from .names import normalise_name
from .nonmembers import NonMembers, is_write_in_column
from .rostercells import parse_flag


class QuestionReader:
    """Base class: resolve columns once, then read each response."""

    def __init__(self, question: Question, ctx: FileContext) -> None:
        self.q = question
        self.ctx = ctx
        self.slots: list[Slot] = []
        self.trackers: dict[str, CodeTracker] = {}
        self.non_members = ctx.non_members.extended(question.non_members)
        #: The number each cell text read as, by tracker (its ``id``): see :meth:`scaled`.
        self.numbers: dict[int, dict[str, float]] = {}

    @property
    def purpose(self) -> str:
        return f"{self.q.shape} question ({self.q.relation or self.q.decision or 'items'})"

    def resolve(self) -> list[Problem]:
        raise NotImplementedError

    def read(self, response: Response) -> None:
        raise NotImplementedError

    def tracker(self, key: str, scale: Scale, what: str) -> CodeTracker:
        """The question's code tracker for ``key`` (one per scale the question uses)."""
        if key not in self.trackers:
            self.trackers[key] = CodeTracker(scale, what)
        return self.trackers[key]

    def scaled_slots(self) -> list[tuple[Slot, CodeTracker]]:
        """The columns read on a scale, each with its tracker (for :meth:`inspect`)."""
        return []

    def scaled(self, codes: CodeTracker, response: Response, slot: Slot,
               value: str) -> float | None:
        """The number for an answer on the tracker's scale, or ``None`` (accounted for), as
        :meth:`~cpower_network.ingest.filecontext.FileContext.scaled` gives it.

        Once :meth:`inspect` has run, a tracker reads a text the same way every time, and
        reading a number reports nothing; so a text that reads as a number is read once
        per tracker. A text that does not is read every time, so that each such cell is
        reported and set aside where it stands.
        """
        numbers = self.numbers.setdefault(id(codes), {})
        number = numbers.get(value)
        if number is None:
            number = self.ctx.scaled(codes, response, slot, value)
            if number is not None:
                numbers[value] = number
        return number

    def inspect(self, responses: list[Response]) -> None:
        """Look at every answer before reading any (numeric codes are per question).

        Each tracker is shown each distinct text once: what it learns depends only on
        which texts the question's answers hold.
        """
        by_tracker: dict[int, tuple[CodeTracker, dict[str, None]]] = {}
        for slot, tracker in self.scaled_slots():
            texts = by_tracker.setdefault(id(tracker), (tracker, {}))[1]
            texts.update(dict.fromkeys(r.cells[slot.index] for r in responses))
        for tracker, texts in by_tracker.values():
            tracker.inspect(texts)

    def finish(self) -> list[Problem]:
        """Problems that concern the whole question, once every response is read."""
        return [p for t in self.trackers.values() for p in t.problems(self.ctx.file)]

    def answer_columns(self) -> list[str]:
        """Labels of the columns holding this question's answers."""
        return [s.label for s in self.slots]


class MatrixReader(QuestionReader):
    """Roster matrix: one column per member, answers on the relation's scale."""

    def resolve(self) -> list[Problem]:
        self.scale = self.ctx.config.relation_scale(self.q.relation)
        self.codes = self.tracker("scale", self.scale, self.q.relation)
        self.names_the_column = ColumnNames(self.ctx)
        self.slots, problems = member_columns(
            self.ctx.table, self.q.columns, self.q.header, self.ctx.matcher,
            purpose=self.purpose, non_members=self.non_members)
        return (problems + duplicate_columns(self.ctx, self.slots, self.purpose)
                + self.ctx.roster_bound(self.q.relation, self.slots, self.purpose,
                                        self.q.columns))

    def scaled_slots(self) -> list[tuple[Slot, CodeTracker]]:
        return [(slot, self.codes) for slot in self.slots if slot.member is not None]

    def read(self, response: Response) -> None:
        # (slot, text, number) of each readable answer, by the member it is about
        answers: dict[str, list[tuple[Slot, str, float]]] = {}
        for slot in self.slots:
            value = response.cells[slot.index]
            if not value.strip():
                self.ctx.aside(response, slot, value, "blank")
            elif slot.member is None:
                self.ctx.aside(response, slot, value, "non-member choice" if slot.non_member
                               else "column names nobody on the roster")
            elif (number := self._number(response, slot, value)) is not None:
                answers.setdefault(slot.member, []).append((slot, value, number))
        for member, given in answers.items():
            kept = self._settle(response, member, given)
            if kept is not None and self.ctx.alter_ok(response, kept[0], member, kept[1]):
                self.ctx.tie(self.q.relation, response, member, kept[2], kept[0], self.q.facet)

    def _settle(self, response: Response, member: str, given: list[tuple[Slot, str, float]]
                ) -> tuple[Slot, str, float] | None:
        """The one answer about ``member`` to use (the only one, or the one
        :func:`~cpower_network.ingest.conflicts.settle` keeps), or ``None``."""
        if len(given) == 1:
            return given[0]
        kept = settle(self.ctx, response, member, [Answer(*answer) for answer in given],
                      self.purpose)
        return None if kept is None else (kept.slot, kept.text, kept.value)

    def _number(self, response: Response, slot: Slot, value: str) -> float | None:
        # A ticked checkbox grid may export the chosen option's text: the member's name.
        if self.scale.name == "tie" and self.names_the_column(slot, value):
            return 1.0
        return self.scaled(self.codes, response, slot, value)


def names_the_column(ctx: FileContext, slot: Slot, cell: str) -> bool:
    """True when ``cell`` repeats the member its column stands for (a tick exported as
    the option's text)."""
    if slot.member is None:
        return False
    folded = normalise_name(cell)
    return folded in (normalise_name(ctx.matcher.names[slot.member]),
                      normalise_name(slot.token))


class ColumnNames:
    """:func:`names_the_column` for the cells of one question, each column and text
    judged once (a grid repeats a few texts, such as ``1`` or the name, in every row)."""

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.judged: dict[tuple[int, str], bool] = {}

    def __call__(self, slot: Slot, cell: str) -> bool:
        key = (slot.index, cell)
        named = self.judged.get(key)
        if named is None:
            named = self.judged[key] = names_the_column(self.ctx, slot, cell)
        return named


class NameGeneratorReader(QuestionReader):
    """Free-text names, one per column, matched to the roster."""

    def resolve(self) -> list[Problem]:
        problems: list[Problem] = []
        for wanted in self.q.columns:
            slot, found = named_column(self.ctx.table, wanted, purpose=self.purpose)
            problems += found
            if slot is not None:
                self.slots.append(slot)
        self.ctx.open_question(self.q.relation)
        self.write_ins = {slot.index for slot in self.slots if self._write_in(slot)}
        return problems

    def _write_in(self, slot: Slot) -> bool:
        """Whether a column holds "someone else, please specify" text (declared with
        ``write_in``, else recognised by its header)."""
        if self.q.write_in is not None:
            return self.q.write_in
        column = next(c for c in self.ctx.table.columns if c.index == slot.index)
        return is_write_in_column(column.id, column.text)

    def read(self, response: Response) -> None:
        named: set[str] = set()
        for slot in self.slots:
            text = response.cells[slot.index]
            if not text.strip():
                self.ctx.aside(response, slot, text, "blank")
                continue
            member = self.ctx.matcher.match(text).member
            if member is None and self.non_members(text):
                self.ctx.aside(response, slot, text, "non-member choice")
            elif member is None and slot.index in self.write_ins:
                self.ctx.write_in(response, slot, text)
            elif member is None:
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

    def __init__(self, question: Question, ctx: FileContext, purpose: str,
                 key: str, non_members: NonMembers) -> None:
        self.q, self.ctx, self.purpose, self.key = question, ctx, purpose, key
        self.non_members = non_members
        self.slots: list[Slot] = []
        self.per_choice = question.column is None
        #: Columns the question names for something else (a decision's involved and
        #: voice columns), which a member pattern such as "d1_{member}" must not claim.
        self.exclude: set[int] = set()
        self.names_the_column = ColumnNames(ctx)
        #: :func:`parse_flag` of each text met in a choice column.
        self.flags: dict[str, bool | None] = {}

    def resolve(self) -> list[Problem]:
        if self.per_choice:
            self.slots, problems = member_columns(self.ctx.table, self.q.columns,
                                                  self.q.header, self.ctx.matcher,
                                                  purpose=self.purpose,
                                                  non_members=self.non_members,
                                                  exclude=self.exclude)
            problems += duplicate_columns(self.ctx, self.slots, self.purpose)
            return problems + self.ctx.roster_bound(self.key, self.slots, self.purpose,
                                                    self.q.columns)
        slot, problems = named_column(self.ctx.table, self.q.column, purpose=self.purpose)
        self.slots = [slot] if slot else []
        self.ctx.open_question(self.key)
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
        members, unmatched, others = self.ctx.matcher.split(
            cell, self.ctx.separator(self.q), self.non_members)
        if not members and not unmatched and not others:  # only separators, e.g. ";"
            self.ctx.aside(response, slot, cell, "blank")
            return []
        for text in unmatched[:LISTED_PER_CELL]:
            if self.q.write_in:
                self.ctx.write_in(response, slot, text)
            else:
                self.ctx.unknown_name(response, slot, text, "names")
        if len(unmatched) > LISTED_PER_CELL:
            self.ctx.unlisted_names(response, slot, unmatched[LISTED_PER_CELL:],
                                    separator=self.ctx.separator(self.q),
                                    write_in=self.q.write_in)
        for text in others:
            self.ctx.aside(response, slot, text, "non-member choice")
        seen: set[str] = set()
        chosen = []
        for member in members:
            if member in seen:                   # one tie, the repeat is accounted for
                self.ctx.aside(response, slot, cell, "member named twice in one cell")
                continue
            seen.add(member)
            if self.ctx.alter_ok(response, slot, member, cell):
                chosen.append((member, slot, cell))
        return chosen

    def _ticked(self, response: Response) -> list[tuple[str, Slot, str]]:
        chosen: dict[str, tuple[str, Slot, str]] = {}
        for slot in self.slots:
            cell = response.cells[slot.index]
            ticked = self._flag(cell)
            if ticked is None and self.names_the_column(slot, cell):
                ticked = True
            if ticked is None and slot.non_member:
                ticked = bool(cell.strip())
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
                self.ctx.aside(response, slot, cell, "non-member choice" if slot.non_member
                               else "column names nobody on the roster")
            elif slot.member in chosen:  # two columns for one member: chosen once
                self.ctx.aside(response, slot, cell,
                               "same answer about this member given twice")
            elif self.ctx.alter_ok(response, slot, slot.member, cell):
                chosen[slot.member] = (slot.member, slot, cell)
        return list(chosen.values())

    def _flag(self, cell: str) -> bool | None:
        """:func:`parse_flag` of ``cell``, each text parsed once."""
        if cell not in self.flags:
            self.flags[cell] = parse_flag(cell)
        return self.flags[cell]


class MultiSelectReader(QuestionReader):
    """Several members chosen; each choice is a tie of the question's value."""

    def resolve(self) -> list[Problem]:
        self.choices = MemberChoices(self.q, self.ctx, self.purpose, self.q.relation,
                                     self.non_members)
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
        self.codes = self.tracker("scale", self.scale, "perception items")
        problems: list[Problem] = []
        self.items: list[tuple[str, Slot]] = []
        for item, wanted in self.q.items.items():
            slot, found = named_column(self.ctx.table, wanted, purpose=f"item {item!r}")
            problems += found
            if slot is not None:
                self.items.append((item, slot))
                self.slots.append(slot)
        return problems

    def scaled_slots(self) -> list[tuple[Slot, CodeTracker]]:
        return [(slot, self.codes) for _, slot in self.items]

    def read(self, response: Response) -> None:
        for item, slot in self.items:
            value = response.cells[slot.index]
            if not value.strip():
                self.ctx.aside(response, slot, value, "blank")
            elif (number := self.scaled(self.codes, response, slot, value)) is not None:
                self.ctx.outputs.perceptions.append(
                    (self.ctx.wave, item, response.respondent, number, self.ctx.file,
                     response.row, slot.label))


class DecisionReader(QuestionReader):
    """One decision: involved (yes/no), whose input shaped it, and the respondent's voice."""

    def resolve(self) -> list[Problem]:
        problems: list[Problem] = []
        self.involved = self.voice = None
        what = f"decision {self.q.decision!r}"
        if self.q.involved:
            self.involved, found = named_column(self.ctx.table, self.q.involved,
                                                purpose=what)
            problems += found
        if self.q.voice:
            self.voice, found = named_column(self.ctx.table, self.q.voice, purpose=what)
            problems += found
        self.involved_codes = self.tracker("involved", self.ctx.config.scale_for("yesno"),
                                           f"{what}, involved")
        self.voice_codes = self.tracker("voice", self.ctx.config.scale_for(
            self.q.scale or "yesno"), f"{what}, voice")
        self.choices = MemberChoices(self.q, self.ctx, what, "decisions", self.non_members)
        self.choices.exclude = {s.index for s in (self.involved, self.voice) if s}
        problems += self.choices.resolve()
        self.slots = [s for s in (self.involved, self.voice) if s] + self.choices.slots
        return problems

    def scaled_slots(self) -> list[tuple[Slot, CodeTracker]]:
        pairs = [(self.involved, self.involved_codes), (self.voice, self.voice_codes)]
        return [(slot, codes) for slot, codes in pairs if slot is not None]

    def _answer(self, response: Response, slot: Slot | None,
                codes: CodeTracker) -> float | None:
        if slot is None:
            return None
        value = response.cells[slot.index]
        if not value.strip():
            self.ctx.aside(response, slot, value, "blank")
            return None
        return self.scaled(codes, response, slot, value)

    def read(self, response: Response) -> None:
        involvement = self._answer(response, self.involved, self.involved_codes)
        voice = self._answer(response, self.voice, self.voice_codes)
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
        missing = (self.alter is None or (self.q.value and self.value is None)
                   or (self.q.relation_column and self.relation_col is None))
        # nothing is read from a file whose columns are not all there (reported above)
        self.slots = [] if missing else [self.value or self.alter]
        #: (response, answer text, number) of the first answer about each (respondent,
        #: relation, member), and of the later ones about the pairs answered again: all in
        #: the answer column, :attr:`slots` ``[0]`` (settled in :meth:`finish`).
        self.answers: dict[tuple[str, str, str], tuple[Response, str, float]] = {}
        self.repeats: dict[tuple[str, str, str], list[tuple[Response, str, float]]] = {}
        for relation in ([self.q.relation] if self.relation_col is None
                         else list(self.ctx.config.relations)):
            self.ctx.open_question(relation)
        # a relation cell names a key or a label (normalised); each distinct cell is
        # looked up once (_relation)
        self.relation_names: dict[str, str] = {}
        for key, relation in self.ctx.config.relations.items():
            self.relation_names.setdefault(normalise_name(key), key)
            self.relation_names.setdefault(normalise_name(relation.label), key)
        self.relation_cells: dict[str, str | None] = {}
        return problems

    def _relation(self, response: Response) -> str | None:
        if self.relation_col is None:
            return self.q.relation
        text = response.cells[self.relation_col.index].strip()
        if text not in self.relation_cells:
            self.relation_cells[text] = self.relation_names.get(normalise_name(text))
        found = self.relation_cells[text]
        if found is not None:
            return found
        self.ctx.problem("error", "unknown-relation", "the relation is not defined in "
                         "cpower.toml", response, self.relation_col, text,
                         expected=", ".join(self.ctx.config.relations),
                         fix="add it under [relations] or correct the cell")
        return None

    def read(self, response: Response) -> None:
        if not self.slots:
            return  # a column named in cpower.toml is missing: resolve reported it
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
        if member is None and self.non_members(alter_text):
            self.ctx.aside(response, slot, answer, "non-member choice")
            return
        if member is None:
            self.ctx.unknown_name(response, self.alter, alter_text, "names", aside=False)
            self.ctx.aside(response, slot, answer, "unknown name")
            return
        number = self.q.fixed_value
        if self.value is not None:
            number = self._number(relation, response, slot, answer)
            if number is None:
                return
        if self.ctx.alter_ok(response, slot, member, answer):
            key = (response.respondent, relation, member)
            if key in self.answers:
                self.repeats.setdefault(key, []).append((response, answer, number))
            else:
                self.answers[key] = (response, answer, number)

    def _number(self, relation: str, response: Response, slot: Slot,
                answer: str) -> float | None:
        """The answer's number on the relation's scale, or ``None`` (accounted for); the
        relation's tracker is made when its first answer is read."""
        codes = self.trackers.get(relation)
        if codes is None:
            codes = self.tracker(relation, self.ctx.config.relation_scale(relation), relation)
        return self.scaled(codes, response, slot, answer)

    def finish(self) -> list[Problem]:
        """Rows about the same pair are settled by ``[analysis] conflicts``, then kept."""
        for key, first in self.answers.items():
            _, relation, member = key
            if key not in self.repeats:  # nothing to settle
                response, _text, number = first
                self.ctx.tie(relation, response, member, number, self.slots[0], self.q.facet)
                continue
            kept = self._settle(relation, member, [first, *self.repeats[key]])
            if kept is not None:
                self.ctx.tie(relation, kept[0], member, kept[1].value, kept[1].slot,
                             self.q.facet)
        self.answers.clear()
        self.repeats.clear()
        return super().finish()

    def _settle(self, relation: str, member: str, given: list[tuple[Response, str, float]]
                ) -> tuple[Response, Answer] | None:
        """The answer kept among several rows about one pair (see
        :func:`~cpower_network.ingest.conflicts.settle`), with the response it stands
        for, or ``None`` when none is."""
        response = given[0][0]
        answers = [Answer(self.slots[0], text, number, row.row) for row, text, number in given]
        kept = settle(self.ctx, response, member, answers, f"{self.purpose} ({relation})")
        if kept is None:
            return None
        return Response(response.respondent, response.cells, kept.row or response.row), kept


READERS: dict[str, type[QuestionReader]] = {
    "long": LongReader,
    "matrix": MatrixReader,
    "name_generator": NameGeneratorReader,
    "multi_select": MultiSelectReader,
    "perceptions": PerceptionReader,
    "decision": DecisionReader,
}
