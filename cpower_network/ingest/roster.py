"""Read the member roster into a checked DataFrame indexed by member id.

Groups of members (focus groups, and who holds a leadership role) are read from roster
columns by the rules of :class:`~cpower_network.config.study.FocusGroup`: yes/no, a list of
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

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from ..config.schema import closest
from ..config.study import FocusGroup, StudyConfig
from ..errors import DataError, Problem
from .names import NameMatcher, duplicate_names, normalise_name
from .quality import Ledger
from .tables import RawTable, read_table

TRUE_WORDS = {"yes", "y", "true", "1", "x", "✓", "si", "sí", "oui"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
#: Roster columns cpower fills; other roster columns keep their own names.
STANDARD_COLUMNS = ("name", "silo", "organisation", "role", "leader", "consent")
#: Key of ``Roster.frame.attrs``: focus group key -> one character per member (frame
#: order), ``"1"`` where the member's cell was blank (not known), else ``"0"``. Positions,
#: not ids, so an anonymised copy of the frame carries nothing identifying.
NOT_KNOWN = "not_known"
#: What joins several values in one cell.
SEPARATORS = re.compile(r"[|;]")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
YES_NO_EXPECTED = "yes/no, true/false, 1/0, x or blank"
#: A focus group (``"focus:<key>"``) or leadership (``"leadership"``) as a column role.
LEADERSHIP_COLUMN = "leadership"

Locator = Callable[[str], dict]


def parse_flag(text: str) -> bool | None:
    """``True``/``False`` for yes/no-like text, ``None`` when it is neither.

    >>> parse_flag("Yes"), parse_flag(" 0 "), parse_flag(""), parse_flag("maybe")
    (True, False, False, None)
    """
    folded = normalise_name(text)
    if folded in TRUE_WORDS:
        return True
    if folded in FALSE_WORDS:
        return False
    return None


def split_cell(text: str) -> list[str]:
    """The values of a cell that may hold several, joined by ``|`` or ``;``.

    >>> split_cell(" Partner | core partner;;"), split_cell("  ")
    (['Partner', 'core partner'], [])
    """
    return [part.strip() for part in SEPARATORS.split(text) if part.strip()]


def cell_number(text: str) -> float | None:
    """The number a cell holds (``2``, ``-1.5``, ``.5``), or ``None``.

    >>> cell_number(" 2 "), cell_number("2.50"), cell_number("1,5"), cell_number("nan")
    (2.0, 2.5, None, None)
    """
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def value_key(text: str) -> str:
    """How a listed value and a cell value are compared: case, accents and spacing
    ignored, numbers by value.

    >>> value_key(" Core  PARTNER "), value_key("02"), value_key("2.0"), value_key("2.5")
    ('core partner', '2', '2', '2.5')
    """
    number = cell_number(text)
    if number is None:
        return normalise_name(text)
    return str(int(number)) if number.is_integer() else repr(number)


@lru_cache(maxsize=64)
def value_keys(values: tuple[str, ...]) -> frozenset[str]:
    """The :func:`value_key` of each listed value, folded once per list (not per cell)."""
    return frozenset(value_key(v) for v in values)


@dataclass(frozen=True)
class Reading:
    """What one roster cell says about one group.

    Attributes
    ----------
    member : bool
        The member is in the group (``False`` for a blank cell or one that fits no rule).
    blank : bool
        The cell was blank: not known.
    fits : bool
        The cell fits the group's rule (``False`` is an error).
    """

    member: bool
    blank: bool = False
    fits: bool = True


def read_cell(group: FocusGroup, text: str) -> Reading:
    """Read one cell by ``group``'s rule (yes/no, a list of values or a threshold).

    Parameters
    ----------
    group : FocusGroup
        The group (or leadership) rule.
    text : str
        The roster cell as written.

    Returns
    -------
    Reading
        In the group or not; blank (not known); and whether the cell fits the rule (a
        value list never fails: a value it does not name is simply not in the group).

    Examples
    --------
    >>> partners = FocusGroup("partners", "status", "Partners",
    ...                       values=("partner", "core partner"))
    >>> read_cell(partners, "ally | Core  Partner"), read_cell(partners, "parnter").member
    (Reading(member=True, blank=False, fits=True), False)
    >>> low = FocusGroup("low", "LEVEL", "Low income", at_most=2)
    >>> read_cell(low, "2").member, read_cell(low, "3").member, read_cell(low, "n/a").fits
    (True, False, False)
    >>> read_cell(low, " "), read_cell(FocusGroup("g", "g", "G"), "maybe").fits
    (Reading(member=False, blank=True, fits=True), False)
    """
    if not text.strip():
        return Reading(False, blank=True)
    if group.rule == "values":
        listed = value_keys(group.values)
        return Reading(any(value_key(v) in listed for v in split_cell(text)))
    if group.rule == "threshold":
        number = cell_number(text)
        if number is None:
            return Reading(False, fits=False)
        low = -math.inf if group.at_least is None else group.at_least
        high = math.inf if group.at_most is None else group.at_most
        return Reading(low <= number <= high)
    flag = parse_flag(text)
    return Reading(bool(flag), fits=flag is not None)


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


@dataclass
class _Collected:
    """What the rows of the roster gave so far."""

    membership: dict[str, list[str]]
    records: dict[str, dict[str, object]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    blank: dict[str, list[bool]] = field(default_factory=dict)
    #: Column index -> folded value -> (the value as first written, rows it is on).
    values: dict[int, dict[str, tuple[str, list[int]]]] = field(default_factory=dict)

    def tally(self, index: int, text: str, row: int) -> None:
        """Count the values of a cell of a column read as a list of values."""
        seen = self.values.setdefault(index, {})
        for part in split_cell(text):
            seen.setdefault(value_key(part), (part, []))[1].append(row)


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


def _locator(file: str, cells: list[str], number: int, found: dict[str, int],
             labels: dict[int, str]) -> Locator:
    """``where(role)``: the file, row, column and value of the cell of a column role."""
    def where(role: str) -> dict:
        index = found[role]
        return {"file": file, "row": number, "column": labels[index], "value": cells[index]}

    return where


def _member_id(cells: list[str], found: dict[str, int], where: Locator, kept: _Collected,
               ledger: Ledger) -> str | None:
    member = cells[found["id"]].strip()
    if not member:
        ledger.error("blank-id", "a roster row has no member id", **where("id"),
                     fix="give every member a unique id")
        return None
    if member in kept.records:
        ledger.error("duplicate-id", f"member id {member!r} is used twice (first on "
                     f"row {kept.rows[member]})", **where("id"),
                     fix="give each member their own id")
        return None
    return member


def _keep(record: dict[str, object], groups: dict[str, bool], blank: dict[str, bool],
          kept: _Collected) -> None:
    """Add the focus groups to ``record``, then ``consent = False`` when the roster has
    no consent column (the column order of earlier versions)."""
    record.update(groups)
    record.setdefault("consent", False)
    for key, unknown in blank.items():
        kept.blank.setdefault(key, []).append(unknown)


def _member_record(config: StudyConfig, cells: list[str], found: dict[str, int],
                   where: Locator, ledger: Ledger) -> dict[str, object] | None:
    """Name, silo, organisation, role, leader and consent; ``None`` when the member
    cannot be used (a blank name or silo, several silos, consent neither yes nor no)."""
    name = cells[found["name"]].strip()
    silo = cells[found["silo"]].strip()
    ok = _check_name_and_silo(config, name, silo, where, ledger)
    record: dict[str, object] = {"name": name, "silo": silo}
    if "organisation" in found:
        record["organisation"] = cells[found["organisation"]].strip()
    if "role" in found:
        record["role"] = cells[found["role"]].strip()
    record.update(_leader(config, cells, found, where, ledger))
    if "consent" in found:
        consent = parse_flag(cells[found["consent"]])
        if consent is None:
            ledger.error("not-yes-no", "consent must be yes or no", **where("consent"),
                         expected=YES_NO_EXPECTED, fix="use yes or no")
            ok = False
        record["consent"] = bool(consent)
    return record if ok else None


def _check_name_and_silo(config: StudyConfig, name: str, silo: str, where: Locator,
                         ledger: Ledger) -> bool:
    ok = True
    if not name:
        ledger.error("blank-name", "member has no name", **where("name"),
                     fix="fill in the name people use in surveys")
        ok = False
    if not silo:
        ledger.error("blank-silo", f"member has no value in the silo column "
                     f"{config.roster.silo!r}", **where("silo"),
                     fix="fill in the member's silo (sector)")
        ok = False
    elif len(split_cell(silo.replace(";", ""))) > 1:
        ledger.error("several-silos", "one silo per member; pick the main one",
                     **where("silo"), expected="one silo: a name or a code",
                     fix=SEVERAL_SILOS_FIX)
        ok = False
    elif len(split_cell(silo)) > 1:
        ledger.warning("several-silos", "this silo holds ';': if it names several silos, "
                       "pick the main one", **where("silo"),
                       expected="one silo: a name or a code", fix=SEVERAL_SILOS_FIX)
    return ok


SEVERAL_SILOS_FIX = ("keep the member's main silo in this cell; to count other "
                     "affiliations, put them in a column of their own and read it as a "
                     "focus group with values = [...]")


def _leader(config: StudyConfig, cells: list[str], found: dict[str, int], where: Locator,
            ledger: Ledger) -> dict[str, bool]:
    """``{"leader": …}`` by the leadership rule (all ``False`` with a role column and no
    rule; nothing without either)."""
    rule = config.roster.leadership
    if rule is None:
        return {"leader": False} if "role" in found else {}
    reading = read_cell(rule, cells[found[LEADERSHIP_COLUMN]])
    if not reading.fits:
        _rule_error(rule, "leadership", "[roster] leadership", where(LEADERSHIP_COLUMN), ledger)
    return {"leader": reading.member}


def _focus_flags(config: StudyConfig, cells: list[str], found: dict[str, int],
                 where: Locator, ledger: Ledger, kept: _Collected,
                 number: int) -> tuple[dict[str, bool], dict[str, bool]]:
    """Each focus group: is the member in it, and was their cell blank."""
    groups: dict[str, bool] = {}
    blank: dict[str, bool] = {}
    tallied: set[int] = set()
    for group in config.focus_groups:
        role = f"focus:{group.key}"
        text = cells[found[role]]
        reading = read_cell(group, text)
        if not reading.fits:
            _rule_error(group, group.key.replace("_", " "), f"[focus_groups.{group.key}]",
                        where(role), ledger)
        if group.rule == "values" and found[role] not in tallied:
            kept.tally(found[role], text, number)
            tallied.add(found[role])
        groups[group.key] = reading.member
        blank[group.key] = reading.blank
    return groups, blank


def _rule_error(group: FocusGroup, name: str, section: str, location: dict,
                ledger: Ledger) -> None:
    """A cell that fits no rule: neither yes nor no, or not a number."""
    if group.rule == "yes/no":
        ledger.error("not-yes-no", f"{name} must be yes or no", **location,
                     expected=YES_NO_EXPECTED,
                     fix="use yes or no; leave the cell blank when it is not known")
        return
    ledger.error("not-a-number", f"{name}: this column is read as numbers "
                 f"({group.describe()} puts a member in the group), and this cell holds "
                 "none", **location,
                 expected="a number such as 2 or 2.5, or blank when not known",
                 fix="write the number with a decimal point, or leave the cell blank "
                 f"when it is not known; for text categories use values = [...] in "
                 f"{section} instead of at_most/at_least")


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


def _member_waves(config: StudyConfig, cells: list[str], found: dict[str, int], where,
                  ledger: Ledger) -> list[str] | None:
    if "waves" not in found:
        return list(config.waves)
    text = cells[found["waves"]].strip()
    if not text:
        return list(config.waves)
    listed = [w.strip() for w in re.split(r"[|;,]", text) if w.strip()]
    unknown = [w for w in listed if w not in config.waves]
    if unknown:
        hint = closest(unknown[0], config.waves)
        ledger.error("unknown-wave", f"wave {unknown[0]!r} is not defined in cpower.toml",
                     **where("waves"), expected=", ".join(config.waves),
                     fix=f"did you mean {hint!r}?" if hint else "list waves by their keys")
        return None
    return [w for w in config.waves if w in listed]


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
