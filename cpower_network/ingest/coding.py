"""Numeric codes where a scale expects labels: detected per question, reported once.

An export downloaded with "numeric values" (Qualtrics) writes ``1`` for Never … ``4``
for Weekly, and ``1``/``2`` for Yes/No; KoboToolbox writes choice names. Read as if the
numbers were the scale's values, every answer would be one step too high, with no
error. So a bare number on a labelled scale is never read: each question collects such
cells and reports them in one problem, with the codes seen, what they would mean, and
the ``[scales]`` line that makes the export read correctly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..common.wording import counted
from ..config.scales import Reading, Scale, as_number, codes_suggestion, number_text, toml_line
from ..errors import Problem

#: How many locations a grouped problem lists (``--verbose`` lists every one).
SHOWN_LOCATIONS = 5


@dataclass
class CodeTracker:
    """Cells of one question that hold numeric codes (or decimal commas).

    Attributes
    ----------
    coded : bool
        The question's answers are codes throughout (set by :meth:`inspect` when a
        built-in scale such as ``yesno`` receives a ``2``: its ``1`` is then a code too).
    cells : list of (row, column, value)
        Where numeric codes were met, in reading order.
    commas : list of (row, column, value)
        Numbers written with a decimal comma.
    """

    scale: Scale
    what: str
    coded: bool = False
    cells: list[tuple[int, str, str]] = field(default_factory=list)
    commas: list[tuple[int, str, str]] = field(default_factory=list)

    def inspect(self, values: Iterable[str]) -> None:
        """Look at every answer of the question before any is read."""
        if self.scale.codes or self.scale.labelled is False:
            return
        readings = [self.scale.read(v) for v in values if v.strip()]
        if any(r.status == "numeric-code" for r in readings):
            # A scale whose labels include "1"/"0" (yesno, tie) met another number:
            # the 1s and 0s of this question are codes as well.
            self.coded = any(as_number(label) is not None for label in self.scale.labels)

    def read(self, value: str) -> Reading:
        reading = self.scale.read(value)
        if self.coded and as_number(value) is not None:
            return Reading(None, "numeric-code")
        return reading

    def note(self, reading: Reading, row: int, column: str, value: str) -> None:
        if reading.status == "numeric-code":
            self.cells.append((row, column, value))
        elif reading.status == "decimal-comma":
            self.commas.append((row, column, value))

    def problems(self, file: str) -> list[Problem]:
        """One problem for all numeric codes, one for all decimal commas."""
        found = []
        if self.cells:
            found.append(self._codes_problem(file))
        if self.commas:
            found.append(self._comma_problem(file))
        return found

    def _codes_problem(self, file: str) -> Problem:
        seen = sorted({as_number(v) for _, _, v in self.cells} - {None})
        codes = ", ".join(number_text(v) for v in seen)
        suggestion = codes_suggestion(self.scale, seen)
        reverse = None
        meaning = ""
        if suggestion:
            # the codes follow the order the survey showed its choices in, which only the
            # survey can tell (Qualtrics shows Yes before No; some list Weekly first)
            reverse = dict(zip(suggestion, reversed(suggestion.values()), strict=True))
            meaning = ("; as the export's choice codes they mean "
                       + ", ".join(f"{c} = {label!r}" for c, label in suggestion.items())
                       + " if the survey listed its choices in the scale's order, but "
                       + ", ".join(f"{c} = {label!r}" for c, label in reverse.items())
                       + " if it listed them the other way round: only the survey's own "
                       "choice order can tell")
        literal = [f"{number_text(v)} = {_label_of(self.scale, v)!r}" for v in seen
                   if _label_of(self.scale, v)]
        if literal:
            meaning += "; read as the scale's own numbers they would mean " + \
                ", ".join(literal)
        fix = ("export the responses with choice text (Qualtrics: 'Use choice text'), which "
               "leaves nothing to guess, or declare the codes under [scales] in cpower.toml")
        if suggestion:
            fix += (" after checking the order the survey showed its choices in (replacing "
                    f"the line that defines {self.scale.name}, if there is one): in the "
                    f"scale's order, {toml_line(self.scale, suggestion)}; the other way "
                    f"round, {toml_line(self.scale, reverse)}")
        first, *_ = self.cells
        return Problem(
            "error", "numeric-codes",
            f"{self.what}: {counted(len(self.cells), 'answer')} "
            f"{'is a bare number' if len(self.cells) == 1 else 'are bare numbers'} "
            f"(codes seen: {codes}) "
            f"but the {self.scale.name!r} scale has labels, so they were not read"
            f"{meaning}. {_where(self.cells)}",
            file=file, row=first[0], column=first[1], value=codes,
            expected=f"one of the scale's labels ({_labels(self.scale)}), or declared codes",
            fix=fix, cells=_cells(self.cells))

    def _comma_problem(self, file: str) -> Problem:
        first, *_ = self.commas
        return Problem(
            "error", "decimal-comma",
            f"{self.what}: {counted(len(self.commas), 'answer')} "
            f"{'is a number' if len(self.commas) == 1 else 'are numbers'} written with a "
            f"decimal comma, which is not read as a decimal point. {_where(self.commas)}",
            file=file, row=first[0], column=first[1], value=first[2],
            expected=f"one of the scale's labels ({_labels(self.scale)})",
            fix="export the file with a decimal point (or with the answer labels)",
            cells=_cells(self.commas))


def _cells(cells: list[tuple[int, str, str]]) -> tuple[str, ...]:
    return tuple(f"row {row}, column {column!r}: {value!r}" for row, column, value in cells)


def _where(cells: list[tuple[int, str, str]]) -> str:
    shown = "; ".join(_cells(cells[:SHOWN_LOCATIONS]))
    more = (f" and {len(cells) - SHOWN_LOCATIONS} more (cpower validate --verbose lists "
            "every one)") if len(cells) > SHOWN_LOCATIONS else ""
    return f"At {shown}{more}"


def _labels(scale: Scale) -> str:
    return ", ".join(repr(label) for label in (scale.word_labels or list(scale.labels)))


def _label_of(scale: Scale, value: float) -> str | None:
    return next((label for label in scale.word_labels if scale.labels[label] == value), None)


