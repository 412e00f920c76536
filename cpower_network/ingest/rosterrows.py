"""One roster row checked into a member: id, name, silo, consent, leadership, focus
groups and waves.

Each check records its problems in the ledger with the cell's file, row, column and
value (:data:`Locator`); a member whose id, name, silo, consent or waves cell cannot be
used is left out (``None``), while a focus-group or leadership cell that fits no rule is
an error that keeps the member, outside the group. :class:`_Collected` holds what the
rows gave so far.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..config.roster import FocusGroup
from ..config.schema import closest
from ..config.study import StudyConfig
from .quality import Ledger
from .rostercells import YES_NO_EXPECTED, parse_flag, read_cell, split_cell, value_key

#: A focus group (``"focus:<key>"``) or leadership (``"leadership"``) as a column role.
LEADERSHIP_COLUMN = "leadership"

Locator = Callable[[str], dict]


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

