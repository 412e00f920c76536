"""Recognise the roster's columns: member id, name, silo and the optional ones."""

from __future__ import annotations

import re
from collections import Counter

from ..errors import UsageError
from ..ingest.names import NameMatcher
from ..ingest.rostercells import parse_flag, split_cell
from ..ingest.tables import Column, RawTable
from .model import FocusGuess, RosterGuess
from .naming import clip, slug
from .scales import is_number

ID_HEADERS = ("member id", "memberid", "id", "member code", "code", "participant id",
              "person id", "respondent id", "uid")
NAME_HEADERS = ("name", "full name", "fullname", "member name", "member", "person",
                "participant", "display name")
SILO_HEADERS = ("silo", "sector", "sectors", "silo name", "group", "constituency",
                "stakeholder group", "category", "member type", "type")
OPTIONAL_HEADERS = {
    "organisation": ("organisation", "organization", "org", "agency", "affiliation",
                     "organisation name", "organization name"),
    "role": ("role", "coalition role", "position"),
    "waves": ("waves", "wave"),
}


def header_key(text: str) -> str:
    """A header folded for comparison.

    >>> header_key(" Member_ID "), header_key("full-name")
    ('member id', 'full name')
    """
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def values(table: RawTable, column: Column) -> list[str]:
    """The column's cells, stripped."""
    return [row[column.index].strip() for row in table.rows]


def detect_members(table: RawTable, file: str, *, wave: str, silo: str | None = None,
                   focus: tuple[str, ...] = ()) -> RosterGuess:
    """Recognise the roster's columns.

    Parameters
    ----------
    table : RawTable
        The roster as read.
    file : str
        Its path inside the study folder (as written in ``cpower.toml``).
    wave : str
        The wave being described (a waves column naming other waves is left out).
    silo : str, optional
        The silo column the user named (``--silo``).
    focus : tuple of str
        ``COLUMN`` or ``COLUMN=VALUE,VALUE`` (``--focus``).

    Raises
    ------
    UsageError
        When a column named with ``--silo`` or ``--focus`` is not in the roster.
    """
    keys: dict[str, str] = {}
    notes: dict[str, str] = {}
    checks: list[str] = []
    id_column = _id_column(table)
    if id_column is None:
        checks.append("no column with a unique id per member was found; add one (e.g. "
                      "member_id) and name it here")
    name_column = _name_column(table, exclude={id_column.index} if id_column else set())
    if name_column is None:
        checks.append("no column with members' full names was found; add one with the "
                      "names as surveys show them")
    id_column = id_column or name_column
    keys["id"] = id_column.label if id_column else "member_id"
    keys["name"] = name_column.label if name_column else "name"
    if id_column is not None:
        notes["id"] = f"seen: {len(set(values(table, id_column)))} unique ids"
    used = {c.index for c in (id_column, name_column) if c is not None}
    silo_column = _silo(table, silo, used, keys, notes, checks)
    if silo_column is not None:
        used.add(silo_column.index)
    names = {}
    if id_column is not None and name_column is not None:
        for row in table.rows:
            member, name = row[id_column.index].strip(), row[name_column.index].strip()
            if member and member not in names:
                names[member] = name or member
    guess = RosterGuess(file=file, members=len(names), keys=keys, notes=notes,
                        checks=checks, matcher=NameMatcher(names))
    _optional(table, used, guess, wave)
    guess.yes_no_columns = [c.label for c in table.columns if c.index not in used
                            and c.label != keys.get("consent") and _yes_no(table, c)]
    guess.focus = [_focus(table, spec) for spec in focus]
    return guess


def _find(table: RawTable, headers: tuple[str, ...], exclude: set[int]) -> Column | None:
    for wanted in headers:
        for column in table.columns:
            if column.index not in exclude and header_key(column.label) == wanted:
                return column
    return None


def _id_column(table: RawTable) -> Column | None:
    def unique_ids(column: Column) -> bool:
        cells = values(table, column)
        return all(cells) and len(set(cells)) == len(cells)

    named = _find(table, ID_HEADERS, set())
    if named is not None and unique_ids(named):
        return named
    for column in table.columns:
        cells = values(table, column)
        if unique_ids(column) and all(" " not in c and len(c) <= 24 for c in cells) and \
                not all(parse_flag(c) is not None for c in cells):
            return column
    return None


def _name_column(table: RawTable, exclude: set[int]) -> Column | None:
    named = _find(table, NAME_HEADERS, exclude)
    if named is not None:
        return named
    for column in table.columns:
        cells = [c for c in values(table, column) if c]
        if column.index in exclude or not cells:
            continue
        if len(set(cells)) == len(cells) and sum(" " in c for c in cells) * 2 > len(cells):
            return column
    return None


def _silo(table: RawTable, wanted: str | None, used: set[int], keys: dict[str, str],
          notes: dict[str, str], checks: list[str]) -> Column | None:
    if wanted is not None:
        column = column_named(table, wanted, option="--silo")
        keys["silo"], notes["silo"] = column.label, "given with --silo; " + _spread(table,
                                                                                  column)
    else:
        column = _find(table, SILO_HEADERS, used)
        if column is None:
            column = _categorical(table, used)
            if column is not None:
                checks.append(f"no column is called silo or sector; {column.label!r} looks "
                              "like one (a few repeated values). Confirm, or pass --silo")
        if column is None:
            keys["silo"] = "silo"
            checks.append("no silo column was found: add one (each member's sector) to the "
                          "roster and name it here, or pass --silo COLUMN")
            return None
        keys["silo"], notes["silo"] = column.label, "seen: " + _spread(table, column)
    blanks = sum(not c for c in values(table, column))
    if blanks:
        checks.append(f"{blanks} members have no value in the silo column {column.label!r}")
    return column


def _spread(table: RawTable, column: Column) -> str:
    counts = Counter(c for c in values(table, column) if c)
    shown = ", ".join(clip(v, 24) for v, _ in counts.most_common(4))
    more = " …" if len(counts) > 4 else ""
    return f"{len(counts)} values: {shown}{more}"


def _categorical(table: RawTable, used: set[int]) -> Column | None:
    for column in table.columns:
        cells = [c for c in values(table, column) if c]
        if column.index in used or not cells or _yes_no(table, column):
            continue
        if 2 <= len(set(cells)) <= max(2, len(cells) // 2):
            return column
    return None


def _optional(table: RawTable, used: set[int], guess: RosterGuess, wave: str) -> None:
    keys = guess.keys
    for key, headers in OPTIONAL_HEADERS.items():
        column = _find(table, headers, used)
        if column is None:
            continue
        used.add(column.index)
        other = _other_waves(table, column, wave) if key == "waves" else []
        if other:
            guess.commented[key] = column.label
            guess.checks.append(f"the roster's {column.label!r} column also names wave(s) "
                                f"{', '.join(other)}, which this file does not describe "
                                "yet; uncomment waves = … once every wave is described")
        else:
            keys[key] = column.label
    for column in table.columns:
        if column.index not in used and "consent" in header_key(column.label) and \
                _yes_no(table, column):
            keys["consent"] = column.label
            used.add(column.index)
            break


def _other_waves(table: RawTable, column: Column, wave: str) -> list[str]:
    """Waves other than ``wave`` that the roster's waves column names."""
    named = {w.strip() for cell in values(table, column)
             for w in re.split(r"[|;,]", cell) if w.strip()}
    return sorted(named - {wave})


def _yes_no(table: RawTable, column: Column) -> bool:
    cells = values(table, column)
    flags = [parse_flag(c) for c in cells]
    return any(flags) and all(f is not None for f in flags)


def column_named(table: RawTable, wanted: str, *, option: str) -> Column:
    """The roster column called ``wanted`` (exactly, else ignoring case and ``_``).

    Raises
    ------
    UsageError
        Listing the roster's columns when there is none.
    """
    for match in (lambda c: c.label == wanted,
                  lambda c: header_key(c.label) == header_key(wanted)):
        found = [c for c in table.columns if match(c)]
        if found:
            return found[0]
    listed = ", ".join(c.label for c in table.columns)
    raise UsageError(f"{option} {wanted}: the roster {table.file} has no such column; "
                     f"its columns are: {listed}")


_THRESHOLD = re.compile(r"^(?P<column>.+?)\s*(?P<op><=|>=)\s*(?P<number>-?\d+(\.\d+)?)$")


def _threshold(table: RawTable, spec: str) -> FocusGuess | None:
    """``--focus LEVEL<=2`` (or ``>=``): members whose number is at most (least) 2."""
    found = _THRESHOLD.match(spec.strip())
    if found is None:
        return None
    column = column_named(table, found["column"], option="--focus")
    number = float(found["number"])
    bound = "at_most" if found["op"] == "<=" else "at_least"
    cells = [c for c in values(table, column) if c.strip()]
    numbers = [float(c) for c in cells if is_number(c)]
    inside = sum(n <= number if bound == "at_most" else n >= number for n in numbers)
    checks = [f"--focus {spec}: {len(cells) - len(numbers)} cells of {column.label!r} are "
              "not numbers; validate lists them"] if len(numbers) < len(cells) else []
    written = int(number) if number.is_integer() else number
    label = f"{column.label.replace('_', ' ').strip().capitalize()} {found['op']} {written}"
    return FocusGuess(slug(f"{column.label} {bound} {written}", limit=4), column.label,
                      label, bounds={bound: written}, checks=checks,
                      note=f"given with --focus; seen: {inside} of {len(table.rows)} members")


def _focus(table: RawTable, spec: str) -> FocusGuess:
    threshold = _threshold(table, spec)
    if threshold is not None:
        return threshold
    name, _, wanted = spec.partition("=")
    column = column_named(table, name.strip(), option="--focus")
    key = slug(column.label, limit=4, fallback="focus")
    label = column.label.replace("_", " ").strip().capitalize()
    if wanted.strip():
        listed = [v.strip() for v in wanted.replace("|", ",").split(",") if v.strip()]
        cells = [{part.casefold() for part in split_cell(cell)}
                 for cell in values(table, column)]
        seen = set().union(*cells)
        missing = [v for v in listed if v.casefold() not in seen]
        checks = [f"--focus {spec}: {', '.join(missing)} not seen in the roster's "
                  f"{column.label!r} column; check the spelling"] if missing else []
        chosen = {v.casefold() for v in listed}
        ticked = sum(bool(parts & chosen) for parts in cells)
        return FocusGuess(slug(f"{column.label} {' '.join(listed)}", limit=4), column.label,
                          f"{label}: {', '.join(listed)}", values=listed, checks=checks,
                          note=f"given with --focus; seen: {ticked} of {len(table.rows)} "
                               "members with one of these values")
    if not _yes_no(table, column):
        shown = _spread(table, column)
        return FocusGuess(key, column.label, label, active=False, checks=[
            f"--focus {spec}: the column is not yes/no ({shown}); use --focus "
            f"{column.label}=VALUE, or add a yes/no column"])
    ticked = sum(bool(parse_flag(c)) for c in values(table, column))
    return FocusGuess(key, column.label, label,
                      note=f"given with --focus; seen: {ticked} of {len(table.rows)} yes")
