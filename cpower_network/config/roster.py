"""``[roster]`` and ``[focus_groups]``: where the member roster is, what its columns
mean, and the groups of members read from its columns.

:class:`RosterConfig` is the roster's file and columns; a :class:`FocusGroup` is a group
read from one column (a focus group, or who holds a leadership role) by a yes/no column,
a list of values or a numeric threshold. The readers here are called by
:func:`cpower_network.config.study.parse_config`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import reference
from .files import StudyFiles
from .scales import number_text
from .schema import TableReader, _check_key


@dataclass(frozen=True)
class FocusGroup:
    """A group of members read from one roster column: a focus group (a group the
    coalition wants power to shift towards) or, in :attr:`RosterConfig.leadership`,
    the members who hold a leadership role.

    The rule depends on which of ``values``, ``at_most`` and ``at_least`` is set:

    * none: a yes/no column (yes, true, 1, x… or no, false, 0);
    * ``values``: a member is in the group when their cell holds one of the values
      (ignoring case and spacing); a cell may hold several values joined by ``|`` or
      ``;``, and any listed one is enough;
    * ``at_most`` and/or ``at_least``: the cell is a number within those bounds.

    A blank cell means "not known" (or "prefer not to say"): the member counts as not
    in the group, and exports keep the cell blank.

    Attributes
    ----------
    key : str
        Identifier used everywhere (the roster frame's column, reports, exports).
    column : str
        The roster column read.
    label : str
        Human-readable name for reports.
    values : tuple of str
        Values that put a member in the group.
    at_most, at_least : float or None
        Bounds of a numeric column (inclusive).
    """

    key: str
    column: str
    label: str
    values: tuple[str, ...] = ()
    at_most: float | None = None
    at_least: float | None = None

    @property
    def rule(self) -> str:
        """``"values"``, ``"threshold"`` or ``"yes/no"``.

        >>> FocusGroup("low", "LEVEL", "Low", at_most=2).rule
        'threshold'
        """
        if self.values:
            return "values"
        if self.at_most is not None or self.at_least is not None:
            return "threshold"
        return "yes/no"

    def describe(self) -> str:
        """What puts a member in the group, in words (for messages).

        >>> FocusGroup("p", "status", "P", values=("partner", "ally")).describe()
        "one of 'partner', 'ally'"
        >>> FocusGroup("low", "LEVEL", "Low", at_least=1, at_most=2).describe()
        'a number at least 1 and at most 2'
        >>> FocusGroup("g", "grassroots", "Grassroots").describe()
        'yes'
        """
        if self.rule == "values":
            return "one of " + ", ".join(repr(v) for v in self.values)
        if self.rule == "yes/no":
            return "yes"
        bounds = [f"{word} {number_text(bound)}" for word, bound in
                  (("at least", self.at_least), ("at most", self.at_most))
                  if bound is not None]
        return "a number " + " and ".join(bounds)


@dataclass(frozen=True)
class RosterConfig:
    """Where the roster is and which columns mean what.

    ``leadership`` is the rule for who holds a leadership role: from
    ``leadership = { column = …, values = […] }`` (or ``at_most``/``at_least``, or a
    yes/no column), or from ``role`` + ``leadership_roles`` (the same as
    ``leadership = { column = role, values = leadership_roles }``). With a list of
    values, ``leadership_roles`` holds them and ``role`` defaults to the column.
    """

    file: str
    path: Path
    id: str = "member_id"
    name: str = "name"
    silo: str = "silo"
    sheet: str | None = None
    organisation: str | None = None
    role: str | None = None
    leadership_roles: tuple[str, ...] = ()
    leadership: FocusGroup | None = None
    consent: str | None = None
    waves: str | None = None
    aliases: str | None = None
    aliases_path: Path | None = None


def _read_roster(table: Mapping[str, Any], files: StudyFiles,
                 problems: list[str]) -> RosterConfig:
    reader = TableReader(table, "[roster]", problems)
    reader.check_keys(reference.keys("roster"))
    file = reader.text("file", required=True) or ""
    aliases = reader.text("aliases")
    role = reader.text("role")
    leadership = _read_leadership(reader, role, problems)
    if leadership is not None and leadership.values and role is None:
        role = leadership.column
    return RosterConfig(
        file=file,
        path=files.path(file, "[roster]"),
        id=reader.text("id", "member_id") or "member_id",
        name=reader.text("name", "name") or "name",
        silo=reader.text("silo", "silo") or "silo",
        sheet=reader.text("sheet"),
        organisation=reader.text("organisation"),
        role=role,
        leadership_roles=leadership.values if leadership is not None else (),
        leadership=leadership,
        consent=reader.text("consent"),
        waves=reader.text("waves"),
        aliases=aliases,
        aliases_path=files.path(aliases, "[roster] aliases", "aliases") if aliases else None,
    )


def _read_focus_groups(table: Mapping[str, Any], problems: list[str]) -> tuple[FocusGroup, ...]:
    groups = []
    for key, spec in table.items():
        _check_key(key, "[focus_groups]", problems)
        groups.append(_read_group(key, spec, f"[focus_groups.{key}]", problems,
                                  column=key, label=key.replace("_", " ").capitalize()))
    return tuple(groups)


LEADERSHIP = "leader"
_RULE_KEYS = ("column", "values", "at_most", "at_least")


def _read_leadership(reader: TableReader, role: str | None,
                     problems: list[str]) -> FocusGroup | None:
    """The leadership rule: ``leadership = {…}``, or ``role`` + ``leadership_roles``."""
    listed = reader.text_list("leadership_roles")
    if "leadership" not in reader.table:
        if listed and role is None:
            problems.append("[roster] leadership_roles needs role = the column that holds "
                            "the roles (or write leadership = { column = \"…\", values = "
                            "[…] })")
        if not (listed and role):
            return None
        return FocusGroup(LEADERSHIP, role, "Leadership", values=listed)
    if listed:
        problems.append("[roster]: give leadership or leadership_roles, not both")
    return _read_group(LEADERSHIP, reader.table["leadership"], "[roster] leadership",
                       problems, column=role, label="Leadership", keys=_RULE_KEYS)


def _read_group(key: str, spec: Any, where: str, problems: list[str], *,
                column: str | None, label: str,
                keys: tuple[str, ...] | None = None) -> FocusGroup:
    """A group read from ``spec``: a column name (yes/no), or a table with ``column``
    and ``values`` or ``at_most``/``at_least`` (see :class:`FocusGroup`)."""
    if isinstance(spec, str):
        return FocusGroup(key, spec, label)
    reader = TableReader(spec, where, problems)
    allowed = keys or reference.keys("focus_groups")
    reader.check_keys(allowed)
    column = reader.text("column", column) or column
    if not column:
        problems.append(f"{where} needs column = the roster column it reads")
    values = _read_values(reader, where, problems)
    # Any finite number (a budget or a head count may be large); nan or inf would put
    # no member, or every member, in the group.
    at_most, at_least = (reader.number(bound, at_least=None, at_most=None)
                         for bound in ("at_most", "at_least"))
    if values and (at_most is not None or at_least is not None):
        problems.append(f"{where}: give values or at_most/at_least, not both")
    if at_most is not None and at_least is not None and at_least > at_most:
        problems.append(f"{where}: at_least {number_text(at_least)} is above at_most "
                        f"{number_text(at_most)}, so no member could be in the group")
    if "label" in allowed:
        label = reader.text("label") or label
    return FocusGroup(key, column or key, label, values, at_most, at_least)


def _read_values(reader: TableReader, where: str, problems: list[str]) -> tuple[str, ...]:
    """``values``: texts (or whole numbers, read as text), none of them blank."""
    raw = reader._typed("values", (list,), "a list of values in quotes", [])
    if "values" in reader.table and isinstance(reader.table["values"], list) and not raw:
        problems.append(f"{where} values is empty: list the values that put a member in "
                        "the group, or leave values out for a yes/no column")
    if any(isinstance(v, bool) or not isinstance(v, str | int) for v in raw):
        problems.append(f"{where} values must be texts in quotes (or whole numbers), "
                        'e.g. ["partner", "core partner"]')
        return ()
    values = tuple(str(v).strip() for v in raw)
    if any(not v for v in values):
        problems.append(f"{where} values must not include a blank: a blank cell means "
                        "not known, and counts as not in the group")
    return tuple(v for v in values if v)
