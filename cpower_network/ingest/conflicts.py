"""One member, two columns; one pair, two answers.

A grid row renamed mid-survey leaves two columns that name one member (the old name kept
as an alias); a long file may hold two rows about one pair. Such answers are never
averaged in silence: the columns are reported when a question is resolved, and two
*different* answers from one respondent about one member follow ``[analysis] conflicts``
(``error`` by default: reported with both locations, neither used; or ``max``, ``mean``,
``first``: combined, with a warning saying how).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import TYPE_CHECKING

from ..errors import Problem
from .columns import Slot
from .names import describe_ids
from .tables import column_letter

if TYPE_CHECKING:
    from .filecontext import FileContext, Response


@dataclass(frozen=True)
class Answer:
    """One readable answer about a member: where it is, its text and its number."""

    slot: Slot
    text: str
    value: float
    row: int | None = None  # set when answers come from different rows (long files)

    def place(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        return f"{self.text!r} in {where}column {self.slot.label!r}"


def duplicate_columns(ctx: FileContext, slots: Sequence[Slot], purpose: str) -> list[Problem]:
    """A warning for each member named by several columns of one question."""
    by_member: dict[str, list[Slot]] = {}
    for slot in slots:
        if slot.member is not None:
            by_member.setdefault(slot.member, []).append(slot)
    problems = []
    for member, group in by_member.items():
        if len(group) < 2:
            continue
        columns = " and ".join(f"{s.label!r} (column {column_letter(s.index)})"
                               for s in group)
        problems.append(Problem(
            "warning", "duplicate-member-column",
            f"{purpose}: columns {columns} both name "
            f"{describe_ids([member], ctx.matcher.names)}; a respondent's answers in them "
            "are one answer about one member, and different answers follow "
            f"[analysis] conflicts = {ctx.config.analysis.conflicts!r}",
            file=ctx.file, column=group[0].label, value=", ".join(s.token for s in group),
            expected="one column per member",
            fix="if one header is an old spelling of the same member, merge the two "
                "columns in the export; if they are different people, give each their "
                "own roster entry (and remove the alias that joins them)"))
    return problems


def settle(ctx: FileContext, response: Response, member: str, answers: list[Answer],
           what: str) -> Answer | None:
    """The one answer to use about ``member``, following ``[analysis] conflicts``.

    Identical answers count once; different ones are an error (``error``: none is used)
    or are combined (``max``, ``mean``, ``first``) with a warning. Every other answer is
    set aside with its reason.
    """
    first, *others = answers

    def aside(answer: Answer, reason: str) -> None:
        ctx.ledger.set_aside(ctx.wave, ctx.file, answer.row or response.row,
                             answer.slot.label, answer.text, reason)

    if not others:
        return first
    values = [a.value for a in answers]
    if len(set(values)) == 1:
        for answer in others:
            aside(answer, "same answer about this member given twice")
        return first
    rule = ctx.config.analysis.conflicts
    name = describe_ids([member], ctx.matcher.names)
    places = "; ".join(a.place() for a in answers)
    if rule == "error":
        ctx.problem("error", "conflicting-answers",
                    f"{what}: {response.respondent} gave different answers about {name} "
                    f"({places}); neither was used", response, first.slot, first.text,
                    expected="one answer per member",
                    fix="keep one of the answers in the export, or choose a rule: add "
                        'conflicts = "max" (or "mean", "first") under [analysis] in '
                        "cpower.toml")
        for answer in answers:
            aside(answer, "conflicting answers")
        return None
    value = {"max": max(values), "mean": fmean(values), "first": first.value}[rule]
    ctx.problem("warning", "conflicting-answers",
                f"{what}: {response.respondent} gave different answers about {name} "
                f"({places}); combined by [analysis] conflicts = {rule!r} into "
                f"{value:g}", response, first.slot, first.text)
    for answer in others:
        aside(answer, f"combined with another answer (conflicts = {rule})")
    return Answer(first.slot, first.text, float(value), first.row)
