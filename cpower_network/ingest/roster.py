"""Read the member roster into a checked DataFrame indexed by member id.

Groups of members (focus groups, and who holds a leadership role) are read from roster
columns by the rules of :class:`~cpower_network.config.roster.FocusGroup`: yes/no, a list of
values (a cell may hold several, joined by ``|`` or ``;``) or a numeric threshold.

* A cell that fits no rule (``maybe`` in a yes/no column, text in a numeric one) is an
  error naming its file, row, column and value; the member stays in the roster, outside
  the group (only an unusable id, name, silo, consent or waves cell keeps a member out).
* Values of a list column that no list names are one warning per column, listing them,
  so a typo such as ``parnter`` shows without an error per row.
* A blank cell is "not known" (prefer not to say): not in the group for every count,
  and recorded in ``frame.attrs`` (:data:`NOT_KNOWN`) so exports can leave it blank.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..config.roster import FocusGroup
from ..config.schema import closest
from ..config.study import StudyConfig
from ..errors import DataError, Problem
from .columns import find_column
from .names import NameMatcher, duplicate_names
from .quality import Ledger
from .rostercells import value_keys
from .rosterrows import (
    LEADERSHIP_COLUMN,
    _Collected,
    _focus_flags,
    _keep,
    _locator,
    _member_id,
    _member_record,
    _member_waves,
)
from .tables import RawTable, read_table

#: Roster columns cpower fills; other roster columns keep their own names.
STANDARD_COLUMNS = ("name", "silo", "organisation", "role", "leader", "consent")
#: Key of ``Roster.frame.attrs``: focus group key -> one character per member (frame
#: order), ``"1"`` where the member's cell was blank (not known), else ``"0"``. Positions,
#: not ids, so an anonymised copy of the frame carries nothing identifying.
NOT_KNOWN = "not_known"


@dataclass
class Roster:
    """The checked roster.

    Attributes
    ----------
    frame : DataFrame
        Indexed by ``member_id``: ``name``, ``silo``, optional ``organisation``, ``role``,
        ``leader`` and ``consent``, one bool column per focus group (``False`` also for a
        blank cell: not known), then every other roster column as text, as written
        (a column a list or threshold rule reads stays too; a header that is one of the
        names above gets ``roster_``). ``frame.attrs[NOT_KNOWN]`` marks the blank focus
        cells (:func:`focus_flags`).
    membership : dict
        Wave key -> member ids in that wave (roster order).
    rows : dict
        Member id -> the roster's spreadsheet row (for messages).
    matcher : NameMatcher
    """

    frame: pd.DataFrame
    membership: dict[str, list[str]]
    rows: dict[str, int]
    matcher: NameMatcher


def focus_flags(frame: pd.DataFrame, key: str) -> pd.Series:
    """Focus group ``key`` of a roster frame as nullable booleans: ``<NA>`` where the
    member's cell was blank (not known), as ``frame.attrs`` records it.

    Parameters
    ----------
    frame : DataFrame
        A roster frame (:attr:`Roster.frame`, or a copy of it with its rows in the same
        order, such as an anonymised one).
    key : str
        The focus group's key.

    Returns
    -------
    Series
        ``boolean`` dtype; plain ``True``/``False`` when the frame records no blanks.

    Examples
    --------
    >>> frame = pd.DataFrame({"g": [True, False, False]}, index=["a", "b", "c"])
    >>> frame.attrs[NOT_KNOWN] = {"g": "001"}
    >>> focus_flags(frame, "g").tolist()
    [True, False, <NA>]
    """
    flags = frame[key].astype("boolean")
    blank = frame.attrs.get(NOT_KNOWN, {}).get(key, "")
    if len(blank) != len(frame):
        return flags
    return flags.mask(pd.Series([mark == "1" for mark in blank], index=frame.index))


def read_roster(config: StudyConfig, ledger: Ledger) -> Roster:
    """Read and check the roster.

    Problems with individual members (a blank silo, an id used twice, a focus-group
    cell that fits no rule) are recorded in ``ledger``. A member whose id, name, silo,
    consent or waves cell cannot be used stays out of the study; a member whose focus
    group or leadership cell fits no rule stays, outside that group.

    Raises
    ------
    DataError
        When the roster cannot be used at all (unreadable, empty, or without its id,
        name or silo column), listing every such problem.
    """
    spec = config.roster
    table = read_table(spec.path, file=spec.file, sheet=spec.sheet)
    ledger.problems.extend(table.problems)
    found: dict[str, int] = {}
    fatal = []
    for role, column in _wanted_columns(config).items():
        if column is None:
            continue
        index = find_column(table, column, purpose=f"roster {role.split(':')[-1]} column")
        if isinstance(index, Problem):
            fatal.append(index)
        else:
            found[role] = index
    if not table.rows:
        fatal.append(Problem("error", "empty-roster", "the roster has no members",
                             file=spec.file, fix="add one row per member under the header"))
    if fatal:
        raise DataError(f"{spec.file}: the roster cannot be read", problems=fatal)
    return _build_roster(config, table, found, ledger)


def _wanted_columns(config: StudyConfig) -> dict[str, str | None]:
    """Column role -> the column cpower.toml names for it."""
    spec = config.roster
    leadership = spec.leadership.column if spec.leadership is not None else None
    return {"id": spec.id, "name": spec.name, "silo": spec.silo,
            "organisation": spec.organisation, "role": spec.role,
            LEADERSHIP_COLUMN: leadership, "consent": spec.consent, "waves": spec.waves,
            **{f"focus:{g.key}": g.column for g in config.focus_groups}}


def _rules(config: StudyConfig) -> dict[str, FocusGroup]:
    """Column role -> the group rule read from it (focus groups and leadership)."""
    rules = {f"focus:{g.key}": g for g in config.focus_groups}
    if config.roster.leadership is not None:
        rules[LEADERSHIP_COLUMN] = config.roster.leadership
    return rules


def _extra_columns(config: StudyConfig, table: RawTable, found: dict[str, int]) -> list:
    """Roster columns kept as text: every column that neither a standard field nor a
    yes/no group reads (a list or threshold column stays, as written)."""
    rules = _rules(config)
    consumed = {index for role, index in found.items()
                if role not in rules or rules[role].rule == "yes/no"}
    return [c for c in table.columns if c.index not in consumed]



def _build_roster(config: StudyConfig, table: RawTable, found: dict[str, int],
                  ledger: Ledger) -> Roster:
    spec = config.roster
    kept = _Collected(membership={w: [] for w in config.waves})
    extras = _extra_columns(config, table, found)
    labels = {c.index: c.label for c in table.columns}
    for cells, number in zip(table.rows, table.row_numbers, strict=True):
        where = _locator(spec.file, cells, number, found, labels)
        member = _member_id(cells, found, where, kept, ledger)
        if member is None:
            continue
        record = _member_record(config, cells, found, where, ledger)
        groups, blank = _focus_flags(config, cells, found, where, ledger, kept, number)
        waves = _member_waves(config, cells, found, where, ledger)
        if record is None or waves is None:
            continue
        for wave in waves:
            kept.membership[wave].append(member)
        _keep(record, groups, blank, kept)
        for column in extras:
            record[_extra_name(column.label, record)] = cells[column.index]
        kept.records[member] = record
        kept.rows[member] = number
    _warn_unlisted(config, found, labels, kept, ledger)
    if not kept.records:
        raise DataError(f"{spec.file}: the roster has no usable members",
                        problems=[p for p in ledger.problems if p.severity == "error"])
    return _finish(config, kept, ledger)


def _extra_name(label: str, record: dict[str, object]) -> str:
    """A kept roster column's name in the frame: its header, or ``roster_<header>`` when
    the header is a column cpower fills (even one this roster leaves out).

    >>> _extra_name("county", {"name": "Ana"}), _extra_name("role", {"name": "Ana"})
    ('county', 'roster_role')
    """
    taken = label in record or label in STANDARD_COLUMNS
    return f"roster_{label}" if taken else label


def _warn_unlisted(config: StudyConfig, found: dict[str, int], labels: dict[int, str],
                   kept: _Collected, ledger: Ledger) -> None:
    """One warning per list column: the values no focus group's list names."""
    for index, seen in kept.values.items():
        groups = [g for g in config.focus_groups
                  if g.rule == "values" and found[f"focus:{g.key}"] == index]
        listed = list(dict.fromkeys(v for g in groups for v in g.values))
        folded = value_keys(tuple(listed))
        odd = [(text, rows) for key, (text, rows) in seen.items() if key not in folded]
        if odd:
            ledger.warning("unlisted-values", _unlisted_message(odd, groups),
                           file=config.roster.file, column=labels[index],
                           expected="one of " + ", ".join(repr(v) for v in listed) +
                           " (any case; several joined by | or ;)",
                           fix=_unlisted_fix(odd, listed, groups))


def _unlisted_message(odd: list[tuple[str, list[int]]], groups: list[FocusGroup]) -> str:
    """The warning's message: how many values, which, on which rows, for which groups.

    >>> print(_unlisted_message([("parnter", [3, 7]), ("ally", [5])],
    ...       [FocusGroup("partners", "status", "Partners", ("partner",))]))
    ... # doctest: +NORMALIZE_WHITESPACE
    2 values are in no values list of [focus_groups.partners]: 'parnter' (rows 3, 7),
    'ally' (row 5); members with only these are not in Partners
    """
    noun = "value is" if len(odd) == 1 else "values are"
    shown = ", ".join(f"{text!r} ({_rows(rows)})" for text, rows in odd[:10])
    more = f" and {len(odd) - 10} more" if len(odd) > 10 else ""
    sections = ", ".join(f"[focus_groups.{g.key}]" for g in groups)
    names = " or ".join(g.label for g in groups)
    return (f"{len(odd)} {noun} in no values list of {sections}: {shown}{more}; members "
            f"with only these are not in {names}")


def _unlisted_fix(odd: list[tuple[str, list[int]]], listed: list[str],
                  groups: list[FocusGroup]) -> str:
    hints = [f"did you mean {hint!r} for {text!r}?" for text, _ in odd
             if (hint := closest(text, listed, cutoff=75))]
    where = " or ".join(f"[focus_groups.{g.key}]" for g in groups)
    return " ".join([*hints, "Correct the roster, or add the value to values in "
                     f"{where} if it belongs in the group"])


def _rows(rows: list[int]) -> str:
    """Rows in words, the first three shown.

    >>> _rows([4]), _rows([4, 9]), _rows([1, 2, 3, 4, 5])
    ('row 4', 'rows 4, 9', 'rows 1, 2, 3 and 2 more')
    """
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = ", ".join(str(r) for r in rows[:3])
    return f"rows {shown}" + (f" and {len(rows) - 3} more" if len(rows) > 3 else "")


def _finish(config: StudyConfig, kept: _Collected, ledger: Ledger) -> Roster:
    """The frame, with the blank focus cells in its ``attrs``, and the name matcher."""
    spec = config.roster
    frame = pd.DataFrame.from_dict(kept.records, orient="index")
    frame.index.name = "member_id"
    frame.attrs[NOT_KNOWN] = {key: "".join("1" if b else "0" for b in marks)
                              for key, marks in kept.blank.items()}
    for name, ids in duplicate_names(frame["name"].to_dict()).items():
        ledger.warning("duplicate-name", f"members {', '.join(ids)} share the name "
                       f"{name!r}; surveys cannot name them apart", file=spec.file,
                       fix="make the names distinct, or have surveys use member ids")
    aliases = _read_aliases(config, frame, ledger)
    return Roster(frame=frame, membership=kept.membership, rows=kept.rows,
                  matcher=NameMatcher(frame["name"].to_dict(), aliases))


def _read_aliases(config: StudyConfig, frame: pd.DataFrame, ledger: Ledger) -> dict[str, str]:
    aliases = dict(config.aliases)
    spec = config.roster
    source = "cpower.toml [aliases]"
    if spec.aliases_path is not None:
        table = read_table(spec.aliases_path, file=spec.aliases or "aliases")
        ledger.problems.extend(table.problems)
        columns = {c.id.casefold(): c.index for c in table.columns}
        if "alias" not in columns or "member_id" not in columns:
            ledger.error("missing-column", "the alias table needs columns alias,member_id",
                         file=spec.aliases, fix="name the two columns alias and member_id")
        else:
            for cells, number in zip(table.rows, table.row_numbers, strict=True):
                alias = cells[columns["alias"]].strip()
                if alias:
                    aliases[alias] = cells[columns["member_id"]].strip()
                    _check_alias(alias, aliases[alias], frame, ledger, spec.aliases, number)
    for alias, member in config.aliases.items():
        _check_alias(alias, member, frame, ledger, source, None)
    return {a: m for a, m in aliases.items() if m in frame.index}


def _check_alias(alias: str, member: str, frame: pd.DataFrame, ledger: Ledger, file: str,
                 row: int | None) -> None:
    if member not in frame.index:
        hint = closest(member, [str(i) for i in frame.index])
        ledger.error("unknown-alias-member", f"alias {alias!r} points to {member!r}, which "
                     "is not a member id", file=file, row=row, value=member,
                     fix=f"did you mean {hint!r}?" if hint else "use an id from the roster")
