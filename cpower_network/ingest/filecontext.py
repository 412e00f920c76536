"""What every reader of one survey file shares, and what reading produces.

:class:`FileContext` holds one survey file's table, the name matcher, the wave's members
and the ledger, and the helpers every question reader uses to set an answer aside,
report a problem, read an answer on a scale or record a tie. :class:`Response` is one
accepted response; :class:`Outputs` collects the tidy rows read from every file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..common.wording import counted
from ..config.scales import BUILTIN_SCALES, choice_name_of, toml_line
from ..config.study import StudyConfig
from ..config.surveys import Question
from ..errors import Problem, clip
from .coding import CodeTracker
from .columns import LONG_NAME, Slot, unknown_name_problem
from .names import NameMatcher, describe_ids
from .nonmembers import NonMembers
from .quality import Ledger
from .tables import RawTable

DEFAULT_SEPARATORS = {"google_forms": ", ", "kobotoolbox": " ", "qualtrics": ",",
                      "surveymonkey": ",", "plain": ";"}
#: Names of one cell that match nobody listed one problem each; the rest are counted in
#: one more problem (and each still set aside).
LISTED_PER_CELL = 20


@dataclass
class Outputs:
    """Rows produced while reading, as tuples in the tidy frames' column order."""

    ties: list[tuple] = field(default_factory=list)
    perceptions: list[tuple] = field(default_factory=list)
    decisions: list[tuple] = field(default_factory=list)
    participation: list[tuple] = field(default_factory=list)
    responses: list[tuple] = field(default_factory=list)
    #: (wave, relation or "decisions", member, file, question label) for every member a
    #: roster-bound question (a grid, one column per choice) has no column for.
    not_asked: list[tuple] = field(default_factory=list)
    #: (wave, relation or "decisions") of questions where anyone can be named (free text,
    #: a long edge list, one cell of names): every member was asked about.
    open_questions: set[tuple] = field(default_factory=set)
    #: (wave, relation or "decisions", file, question label) of roster-bound questions.
    bound_questions: list[tuple] = field(default_factory=list)


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
    non_members: NonMembers = field(default_factory=NonMembers)

    @property
    def file(self) -> str:
        return self.table.file

    def aside(self, response: Response, slot: Slot, value: str, reason: str) -> None:
        self.ledger.set_aside(self.wave, self.file, response.row, slot.label, value, reason)

    def problem(self, severity: str, code: str, message: str, response: Response,
                slot: Slot, value: str, **extra: str) -> None:
        self.ledger.problem(severity, code, message, file=self.file, row=response.row,
                            column=slot.label, value=value, **extra)

    def scaled(self, tracker: CodeTracker, response: Response, slot: Slot,
               value: str) -> float | None:
        """The number for an answer on the tracker's scale, or ``None`` (accounted for).

        Off-scale answers are errors, one per cell; numeric codes and decimal commas are
        collected by the question's tracker and reported once per question.
        """
        reading = tracker.read(value)
        if reading.value is not None:
            return reading.value
        tracker.note(reading, response.row, slot.label, value)
        if reading.status == "numeric-code":
            self.aside(response, slot, value, "numeric code on a labelled scale")
        elif reading.status == "decimal-comma":
            self.aside(response, slot, value, "decimal comma")
        else:
            self._off_scale(tracker, response, slot, value)
        return None

    def _off_scale(self, tracker: CodeTracker, response: Response, slot: Slot,
                   value: str) -> None:
        scale = tracker.scale
        fix = (f"correct the answer, or add the label to [scales] {scale.name} in "
               "cpower.toml") if scale.name not in BUILTIN_SCALES else "correct the answer"
        named = choice_name_of(scale, value)
        if named:
            fix = (f"{value!r} looks like the export's choice name for {named!r}: export "
                   "with labels, or declare the export's codes under [scales] in "
                   f"cpower.toml (replacing the line that defines {scale.name}): "
                   f"{toml_line(scale, {**scale.codes, value: named})}")
        self.problem("error", "off-scale", f"{tracker.what}: answer not on the "
                     f"{scale.name!r} scale", response, slot, value,
                     expected=scale.describe(), fix=fix)
        self.aside(response, slot, value, "off the scale")

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
            slot: Slot, facet: str | None = None) -> None:
        self.outputs.ties.append((self.wave, relation, response.respondent, alter, value,
                                  self.file, response.row, slot.label, facet or ""))

    def write_in(self, response: Response, slot: Slot, text: str) -> None:
        """Typed "someone else" text that is no member: set aside with a warning."""
        if len(text) > LONG_NAME:
            fix = (f"nothing to do if it is a comment; check that column {slot.label!r} "
                   f"is the right column ({len(text):,} characters is no name)")
        else:
            suggestions = self.matcher.suggest(text)
            closest = f"closest: {', '.join(suggestions)}; " if suggestions else ""
            fix = (f"{closest}if it is a member, add the spelling under [aliases] in "
                   f"cpower.toml (\"{text}\" = \"<member id>\")")
        self.problem("warning", "write-in", "a write-in answer names someone who is not "
                     "on the roster; it was set aside", response, slot, text, fix=fix)
        self.aside(response, slot, text, "write-in, not on the roster")

    def unknown_name(self, response: Response, slot: Slot, text: str, what: str, *,
                     aside: bool = True) -> None:
        found = self.matcher.match(text)
        self.ledger.problems.append(unknown_name_problem(
            self.matcher, text, found.candidates, file=self.file, column=slot.label,
            row=response.row, what=what))
        if aside:
            self.aside(response, slot, text, "unknown name")

    def unlisted_names(self, response: Response, slot: Slot, texts: list[str], *,
                       separator: str, write_in: bool) -> None:
        """One problem for the names of one cell beyond the first
        :data:`LISTED_PER_CELL` that matched nobody (each is still set aside): a cell of
        thousands of unknown names is a wrong column or separator, not thousands of
        separate mistakes, and listing each would bury every other problem."""
        severity, code, reason = ("warning", "write-in", "write-in, not on the roster") \
            if write_in else ("error", "unknown-name", "unknown name")
        self.problem(severity, code, f"and {len(texts):,} more names in this cell that are "
                     f"not on the roster (after the first {LISTED_PER_CELL}, listed one by "
                     "one)", response, slot, clip(", ".join(texts[:50]), 200),
                     expected=f"names of members joined by {separator!r}",
                     fix=f"check that column {slot.label!r} is this question's column and "
                         f"that the question's separator is right (separator = "
                         f"{json.dumps(separator)} in cpower.toml); then add the missing "
                         "members to the roster, or their spellings under [aliases]")
        for text in texts:
            self.aside(response, slot, text, reason)

    def ordered_wave_members(self) -> list[str]:
        """This wave's members in roster order."""
        return [m for m in self.matcher.names if m in self.wave_members]

    def open_question(self, key: str) -> None:
        """Record that a question about ``key`` let respondents name anyone."""
        self.outputs.open_questions.add((self.wave, key))

    def roster_bound(self, key: str, slots: list[Slot], purpose: str,
                     pattern: str | None) -> list[Problem]:
        """Record the members a grid (or a list of choices) has no column for.

        A member without a column was never asked about: their missing ties are not
        observed, which is not the same as "no tie". One warning per question.
        """
        if not slots:  # no column fits at all: reported as a missing column
            return []
        self.outputs.bound_questions.append((self.wave, key, self.file, purpose))
        listed = {s.member for s in slots if s.member is not None}
        missing = [m for m in self.ordered_wave_members() if m not in listed]
        for member in missing:
            self.outputs.not_asked.append((self.wave, key, member, self.file, purpose))
        if not missing:
            return []
        shown = describe_ids(missing[:10], self.matcher.names) + (
            f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        return [Problem(
            "warning", "not-asked",
            f"{purpose}: {counted(len(missing), 'member')} of wave {self.wave!r} "
            f"{'has' if len(missing) == 1 else 'have'} no column, so "
            f"nobody was asked about them: {shown}. Their ties in this question are "
            "treated as not observed (never as 'no tie')",
            file=self.file, column=pattern, value=", ".join(missing[:10]),
            expected="one column per member of the wave",
            fix="if they joined after the survey went out, nothing to do: the report "
                "lists them as not asked about; otherwise add their column to the next "
                "survey, or correct the roster's waves column")]

    def separator(self, question: Question) -> str:
        if question.separator is not None:
            return question.separator
        return DEFAULT_SEPARATORS.get(self.table.platform, ";")
