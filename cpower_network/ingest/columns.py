"""Resolve the columns a question names: plain headers and ``{member}`` patterns."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..config.schema import closest
from ..config.surveys import MEMBER_SLOT
from ..errors import Problem
from .names import NameMatcher, describe_ids, normalise_name
from .tables import Column, RawTable


@dataclass(frozen=True)
class Slot:
    """A resolved column: where it is, how messages name it, and (for member columns)
    the member it stands for (``None`` when its header names nobody on the roster)."""

    index: int
    label: str
    member: str | None = None
    token: str = ""
    non_member: bool = False


def pattern_regex(pattern: str) -> re.Pattern[str]:
    r"""Compile a header pattern: ``{member}`` matches any text, the rest literally.

    Invisible characters are dropped and spaces collapsed first (as :func:`_fit` does
    to headers), so ``"Q1\u00a0[{member}]"`` and ``"Q1 [{member}]"`` are one pattern.

    >>> pattern_regex("collab_{member}").fullmatch("collab_m001").group("member")
    'm001'
    """
    before, after = normalise_name(pattern, fold=False).split(MEMBER_SLOT, 1)
    return re.compile(re.escape(before) + r"(?P<member>.+?)" + re.escape(after), re.DOTALL)


def member_columns(table: RawTable, pattern: str, header: str, matcher: NameMatcher,
                   *, purpose: str, non_members: Callable[[str], bool] | None = None,
                   exclude: set[int] | frozenset[int] = frozenset()
                   ) -> tuple[list[Slot], list[Problem]]:
    """Columns whose header fits ``pattern``, each with the member it names.

    ``header`` says which header row to match: ``id`` (first row), ``text`` (question
    text row) or ``auto`` (ids first; texts when no id fits). A header naming a
    non-member choice ("Someone else", recognised by ``non_members``) gives a slot with
    ``non_member=True`` and no problem. Columns in ``exclude`` (named by the question
    for another purpose) are never member columns.
    """
    regex = pattern_regex(pattern)
    hits: list[tuple[Column, str]] = []
    for attribute in ("id", "text") if header == "auto" else (header,):
        hits = [(c, found) for c in table.columns if c.index not in exclude
                and (found := _fit(regex, getattr(c, attribute))) is not None]
        if hits:
            break
    if not hits:
        return [], [Problem("error", "missing-column",
                            f"{purpose}: no column header fits the pattern {pattern!r}",
                            file=table.file, column=pattern,
                            expected="headers such as " + ", ".join(
                                repr(c.label) for c in table.columns[:8]),
                            fix="correct `columns` in cpower.toml; {member} stands for the "
                                "member's id or name in the header")]
    slots, problems = [], []
    for column, token in hits:
        found = matcher.match(token)
        if found.member is None and non_members is not None and non_members(token):
            slots.append(Slot(column.index, column.label, None, token, non_member=True))
            continue
        if found.member is None:
            problems.append(unknown_name_problem(
                matcher, token, found.candidates, file=table.file, column=column.label,
                what=f"{purpose}: the column header names"))
        slots.append(Slot(column.index, column.label, found.member, token))
    return slots, problems


def _fit(regex: re.Pattern[str], header: str) -> str | None:
    """The member token if ``header`` fits, also after KoboToolbox group prefixes
    (``group/sub/question``): each shorter path suffix is tried in turn.

    The header is compared with invisible characters (zero-width spaces, a byte order
    mark, soft hyphens, direction marks) dropped and odd spaces made plain, as the
    pattern was in :func:`pattern_regex`.
    """
    parts = normalise_name(header, fold=False).split("/")
    for start in range(len(parts)):
        found = regex.fullmatch("/".join(parts[start:]).strip())
        if found:
            return found.group("member").strip()
    return None


def named_column(table: RawTable, wanted: str, *, purpose: str) -> tuple[Slot | None,
                                                                         list[Problem]]:
    """The column called ``wanted``, or a problem listing the columns that exist."""
    index = find_column(table, wanted, purpose=purpose)
    if isinstance(index, Problem):
        return None, [index]
    label = next(c.label for c in table.columns if c.index == index)
    return Slot(index, label), []


#: Text longer than this is no name anyone typed: the message shows its start and length,
#: and asks whether the column is right, rather than suggesting an alias of it.
LONG_NAME = 200


def unknown_name_problem(matcher: NameMatcher, text: str, candidates: tuple[str, ...], *,
                         file: str, column: str, what: str, row: int | None = None,
                         severity: str = "error") -> Problem:
    """The message for a name that matches no member (or several)."""
    if candidates:
        return Problem(severity, "ambiguous-name",
                       f"{what} {text!r}, which fits several members: "
                       f"{describe_ids(candidates, matcher.names)}",
                       file=file, row=row, column=column, value=text,
                       fix="format the id column as text so ids keep their leading zeros "
                           "(then each id matches exactly)" if text.strip().isdigit() else
                           "answer with the member id, or make the roster names distinct")
    if len(text) > LONG_NAME:
        return Problem(severity, "unknown-name",
                       f"{what} a text of {len(text):,} characters, which is no name on "
                       "the roster", file=file, row=row, column=column, value=text,
                       expected="a member's id or name",
                       fix=f"check that column {column!r} is the right column for this "
                           "question and that the cell holds names, not pasted text")
    suggestions = matcher.suggest(text)
    closest = f"closest: {', '.join(suggestions)}; " if suggestions else ""
    return Problem(severity, "unknown-name", f"{what} {text!r}, who is not on the roster",
                   file=file, row=row, column=column, value=text,
                   fix=f"{closest}add the spelling under [aliases] in cpower.toml "
                       f"(\"{text}\" = \"<member id>\"), or add the member to the roster"
                       + (f"; if it is not a person, list it as non_members = [\"{text}\"] "
                          "under [study] in cpower.toml" if what == "names" and not suggestions
                          else ""))


def find_column(table: RawTable, wanted: str, *, purpose: str) -> int | Problem:
    r"""Index of the column named ``wanted`` (its id, then its question text, then — for
    KoboToolbox group paths — the last part of the id), or a Problem saying which
    columns exist and which is closest.

    Exact headers are tried first; then headers and ``wanted`` with invisible characters
    (zero-width spaces, a stray byte order mark, soft hyphens) dropped and spaces
    collapsed, so ``"member_id\ufeff"`` is the column ``member_id``. Case always counts.
    """
    clean = normalise_name(wanted, fold=False)
    for same in (wanted.__eq__, lambda header: normalise_name(header, fold=False) == clean):
        for attribute in ("id", "text"):
            hits = [c for c in table.columns if same(getattr(c, attribute))]
            if len(hits) == 1:
                return hits[0].index
            if len(hits) > 1:
                letters = ", ".join(c.letter for c in hits)
                return Problem("error", "ambiguous-column",
                               f"{purpose}: the header {wanted!r} appears in several columns "
                               f"({letters})", file=table.file, column=wanted,
                               fix="rename the columns so each header is unique")
    tails = [c for c in table.columns
             if normalise_name(c.id.rsplit("/", 1)[-1], fold=False) == clean]
    if len(tails) == 1:
        return tails[0].index
    names = [c.label for c in table.columns]
    hint = closest(wanted, names + [c.text for c in table.columns if c.text])
    shown = ", ".join(repr(n) for n in names[:15]) + (" …" if len(names) > 15 else "")
    return Problem("error", "missing-column",
                   f"{purpose}: no column {wanted!r}", file=table.file, column=wanted,
                   expected=f"one of the file's columns: {shown}",
                   fix=(f"did you mean {hint!r}? " if hint else "") +
                   "correct the column name in cpower.toml")
