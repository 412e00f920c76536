"""Read the member roster into a checked DataFrame indexed by member id."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..config import StudyConfig
from ..config_schema import closest
from ..errors import DataError, Problem
from .names import NameMatcher, duplicate_names, normalise_name
from .quality import Ledger
from .tables import RawTable, read_table

TRUE_WORDS = {"yes", "y", "true", "1", "x", "✓", "si", "sí", "oui"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
#: Roster columns cpower fills; other roster columns keep their own names.
STANDARD_COLUMNS = ("name", "silo", "organisation", "role", "leader", "consent")


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


@dataclass
class Roster:
    """The checked roster.

    Attributes
    ----------
    frame : DataFrame
        Indexed by ``member_id``: ``name``, ``silo``, optional ``organisation``, ``role``,
        ``leader`` and ``consent``, one bool column per focus group, then every other
        roster column as text.
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

    Problems with individual members (a blank silo, an id used twice, a yes/no column
    with another value) are recorded in ``ledger``; those members stay out of the study.

    Raises
    ------
    DataError
        When the roster cannot be used at all (unreadable, empty, or without its id,
        name or silo column), listing every such problem.
    """
    spec = config.roster
    table = read_table(spec.path, file=spec.file, sheet=spec.sheet)
    ledger.problems.extend(table.problems)
    wanted = {"id": spec.id, "name": spec.name, "silo": spec.silo,
              "organisation": spec.organisation, "role": spec.role,
              "consent": spec.consent, "waves": spec.waves,
              **{f"focus:{g.key}": g.column for g in config.focus_groups}}
    found: dict[str, int] = {}
    fatal = []
    for role, column in wanted.items():
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


def _build_roster(config: StudyConfig, table: RawTable, found: dict[str, int],
                  ledger: Ledger) -> Roster:
    spec = config.roster
    records: dict[str, dict[str, object]] = {}
    rows: dict[str, int] = {}
    membership: dict[str, list[str]] = {w: [] for w in config.waves}
    mapped = set(found.values())
    extras = [c for c in table.columns if c.index not in mapped]
    labels = {c.index: c.label for c in table.columns}
    for cells, number in zip(table.rows, table.row_numbers, strict=True):
        def where(role: str, cells: list[str] = cells, number: int = number) -> dict:
            index = found[role]
            return {"file": spec.file, "row": number, "column": labels[index],
                    "value": cells[index]}

        member = cells[found["id"]].strip()
        if not member:
            ledger.error("blank-id", "a roster row has no member id", **where("id"),
                         fix="give every member a unique id")
            continue
        if member in records:
            ledger.error("duplicate-id", f"member id {member!r} is used twice (first on "
                         f"row {rows[member]})", **where("id"),
                         fix="give each member their own id")
            continue
        record = _member_record(config, cells, found, where, ledger)
        if record is None:
            continue
        waves = _member_waves(config, cells, found, where, ledger)
        if waves is None:
            continue
        for wave in waves:
            membership[wave].append(member)
        for column in extras:
            name = column.label if column.label not in record else f"roster_{column.label}"
            record[name] = cells[column.index]
        records[member] = record
        rows[member] = number
    if not records:
        raise DataError(f"{spec.file}: the roster has no usable members",
                        problems=[p for p in ledger.problems if p.severity == "error"])
    frame = pd.DataFrame.from_dict(records, orient="index")
    frame.index.name = "member_id"
    for name, ids in duplicate_names(frame["name"].to_dict()).items():
        ledger.warning("duplicate-name", f"members {', '.join(ids)} share the name "
                       f"{name!r}; surveys cannot name them apart", file=spec.file,
                       fix="make the names distinct, or have surveys use member ids")
    aliases = _read_aliases(config, frame, ledger)
    return Roster(frame=frame, membership=membership, rows=rows,
                  matcher=NameMatcher(frame["name"].to_dict(), aliases))


def _member_record(config: StudyConfig, cells: list[str], found: dict[str, int], where,
                   ledger: Ledger) -> dict[str, object] | None:
    spec = config.roster
    name = cells[found["name"]].strip()
    silo = cells[found["silo"]].strip()
    ok = True
    if not name:
        ledger.error("blank-name", "member has no name", **where("name"),
                     fix="fill in the name people use in surveys")
        ok = False
    if not silo:
        ledger.error("blank-silo", f"member has no value in the silo column {spec.silo!r}",
                     **where("silo"), fix="fill in the member's silo (sector)")
        ok = False
    record: dict[str, object] = {"name": name, "silo": silo}
    if "organisation" in found:
        record["organisation"] = cells[found["organisation"]].strip()
    if "role" in found:
        role = cells[found["role"]].strip()
        record["role"] = role
        leaders = {normalise_name(r) for r in spec.leadership_roles}
        record["leader"] = normalise_name(role) in leaders
    flags = [("consent", "consent")] if "consent" in found else []
    flags += [(f"focus:{g.key}", g.key) for g in config.focus_groups]
    for role, key in flags:
        value = parse_flag(cells[found[role]])
        if value is None:
            ledger.error("not-yes-no", f"{key.replace('_', ' ')} must be yes or no",
                         **where(role), expected="yes/no, true/false, 1/0, x or blank",
                         fix="use yes or no")
            ok = False
        record[key] = bool(value)
    if "consent" not in found:
        record["consent"] = False
    return record if ok else None


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
