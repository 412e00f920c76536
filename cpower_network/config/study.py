"""The study configuration: where each file is and what each column means.

A study folder holds ``cpower.toml``. :func:`read_config` parses it into a frozen
:class:`StudyConfig`, collecting *every* problem (unknown keys with the closest valid key,
wrong types, files that do not exist) into one :class:`~cpower_network.errors.ConfigError`.

Defaults have one source: the dataclass fields below and :mod:`cpower_network.config.settings`.
The order of precedence is: these defaults, then the study's ``cpower.toml``, then
command-line options.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import ConfigError, config_error
from ..measures.facets import FACETS
from . import reference
from .files import OUTSIDE_FILES, StudyFiles
from .scales import TIE, YES_NO, Scale, number_text, read_scales
from .schema import LARGEST, TableReader, closest
from .settings import AnalysisSettings, read_analysis_settings

CONFIG_NAME = "cpower.toml"
PLATFORMS = ("auto", "plain", "qualtrics", "surveymonkey", "google_forms", "kobotoolbox")
SHAPES = ("long", "matrix", "name_generator", "multi_select", "perceptions", "decision")
COMBINE_RULES = ("mean", "max", "sum")
HEADER_ROWS = ("auto", "id", "text")
MEMBER_SLOT = "{member}"
#: The most header rows a survey export may declare before its answers.
MAX_HEADER_ROWS = 100


#: How a relation's ties run: ``directed`` (u → v: u reported v) or ``undirected``.
DIRECTIONS = ("directed", "undirected")
#: How the two members' reports about a pair become one undirected tie.
RECIPROCITY_RULES = ("either", "both", "mean")
#: The evidence roles indicators look relations up by (docs/methods.md §Indicators).
ROLES = ("collaboration", "trust", "advice", "influence", "resources", "knows", "value")
#: Roles whose ties mean two members are in touch (the weaver's worklist reads only these).
CONTACT_ROLES = ("collaboration", "knows", "advice", "trust")
#: Relation keys whose role is inferred when the study declares none for them.
ROLE_FROM_KEY = {"collaborate": "collaboration", "collaboration": "collaboration",
                 "know": "knows", "knows": "knows", "trust": "trust", "advice": "advice",
                 "influence": "influence", "resources": "resources", "value": "value"}


@dataclass(frozen=True)
class Relation:
    """A kind of tie the surveys ask about (``collaborate``, ``trust``, ``advice``…).

    Attributes
    ----------
    key : str
        Identifier used everywhere (graphs, reports, exports).
    label : str
        Human-readable name for reports.
    scale : str
        Name of the answer scale in ``[scales]`` (``"tie"``: any mention is 1).
    symmetric : bool
        Mutual by nature (``know``, ``collaborate``). True for every undirected
        relation; on a relation kept ``directed`` it lets the "union" rule rebuild a
        non-respondent's arcs from what others reported.
    combine : {"mean", "max", "sum"}
        How several answers about the same pair (several trust items, several decisions)
        become one tie weight.
    strong : float or None
        Value at or above which a tie counts as strong (e.g. "collaborate" or "trust"
        level); ``None`` means the scale's upper half.
    direction : {"directed", "undirected"}
        ``directed``: an arc u → v is u's own report. ``undirected``: the two members'
        reports about a pair become one tie by ``reciprocity``, and every measure reads
        the relation as an undirected graph. ``symmetric = true`` alone means
        ``"undirected"``.
    reciprocity : {"either", "both", "mean"}
        For an undirected relation: a tie when either member reported it (weight: the
        larger report), when both did (the smaller), or the mean of the two reports (a
        report not made counting 0). When one member of the pair could not report (did
        not answer, or was not asked about the other), the one report that exists is used.
    role : str or None
        The evidence this relation is for (one of :data:`ROLES`), or ``None``.
    role_inferred : bool
        The role was read from the key (see :data:`ROLE_FROM_KEY`), not declared.
    """

    key: str
    label: str
    scale: str = "tie"
    symmetric: bool = False
    combine: str = "mean"
    strong: float | None = None
    direction: str = "directed"
    reciprocity: str = "either"
    role: str | None = None
    role_inferred: bool = False

    @property
    def directed(self) -> bool:
        return self.direction == "directed"


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
class PerceptionItem:
    """A Likert perception item and the milestone it is evidence for."""

    key: str
    text: str
    milestone: str | None = None


@dataclass(frozen=True)
class Question:
    """One question of a survey file and how to read it (fields depend on ``shape``).

    Shapes
    ------
    long
        one row per answer: ``alter`` column, ``value`` column (optional), and either a
        fixed ``relation`` or a ``relation_column``.
    matrix
        one column per member: ``relation`` and ``columns``, a header pattern with
        ``{member}`` where the member's id, name or alias appears.
    name_generator
        free-text names: ``relation`` and ``columns`` (a list of columns, one name each).
    multi_select
        several members ticked: ``relation`` and either ``column`` (one cell, names joined
        by ``separator``) or ``columns`` (a ``{member}`` pattern, one 0/1 column per choice).
    perceptions
        Likert items: ``items`` maps item keys to columns, read on ``scale``.
    decision
        one decision: ``decision`` (its id), ``label``, optional ``involved`` column (yes/no),
        ``shaped_by`` (like multi_select: ``column`` + ``separator``, or a ``columns``
        pattern) and optional ``voice`` column ("my input shaped the outcome") on ``scale``.
    """

    shape: str
    relation: str | None = None
    relation_column: str | None = None
    columns: str | tuple[str, ...] | None = None
    column: str | None = None
    separator: str | None = None
    header: str = "auto"
    alter: str | None = None
    value: str | None = None
    fixed_value: float = 1.0
    items: Mapping[str, str] = field(default_factory=dict)
    scale: str | None = None
    decision: str | None = None
    label: str | None = None
    involved: str | None = None
    voice: str | None = None
    non_members: tuple[str, ...] = ()
    write_in: bool | None = None
    facet: str | None = None


@dataclass(frozen=True)
class SurveyFile:
    """A survey export and the questions to read from it."""

    file: str
    path: Path
    respondent: str
    questions: tuple[Question, ...]
    platform: str = "auto"
    sheet: str | None = None
    timestamp: str | None = None
    header_rows: int | None = None


@dataclass(frozen=True)
class Wave:
    """One round of surveys."""

    key: str
    label: str
    surveys: tuple[SurveyFile, ...]


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


@dataclass(frozen=True)
class StudyConfig:
    """Everything ``cpower.toml`` says, checked and with defaults filled in."""

    root: Path
    source: Path
    name: str
    seed: int
    roster: RosterConfig
    focus_groups: tuple[FocusGroup, ...]
    scales: Mapping[str, Scale]
    relations: Mapping[str, Relation]
    items: Mapping[str, PerceptionItem]
    waves: Mapping[str, Wave]
    aliases: Mapping[str, str]
    analysis: AnalysisSettings
    indicators: Mapping[str, Any] = field(default_factory=dict)
    report: Mapping[str, Any] = field(default_factory=dict)
    non_members: tuple[str, ...] = ()

    @property
    def wave_keys(self) -> list[str]:
        return list(self.waves)

    def scale_for(self, name: str | None) -> Scale:
        """The scale called ``name`` (built-in ``tie`` and ``yesno`` with any codes the
        study declared for them)."""
        name = name or "tie"
        if name in self.scales:
            return self.scales[name]
        return TIE if name == "tie" else YES_NO

    def relation_scale(self, relation: str) -> Scale:
        return self.scale_for(self.relations[relation].scale)


#: Perception items cpower knows, with the milestone each is evidence for
#: (docs/methods.md §Indicators). A study may add its own under ``[items]``.
DEFAULT_ITEMS: dict[str, PerceptionItem] = {
    item.key: item
    for item in (
        PerceptionItem("take_part", "I can take part in the way I want", "setting_the_table"),
        PerceptionItem("role_clear", "My role in the coalition is clear", "setting_the_table"),
        PerceptionItem("authenticity", "People here are authentic and honest", "safety_trust"),
        PerceptionItem("transparency", "Decisions follow transparent, clear rules", "safety_trust"),
        PerceptionItem("open_feedback", "We give open feedback and work through conflict",
                       "safety_trust"),
        PerceptionItem("fun", "There is fun and laughter in our work", "safety_trust"),
        PerceptionItem("shared_vision", "I can state our shared vision", "cohesion"),
        PerceptionItem("mutual_support", "Members support each other in solidarity", "cohesion"),
        PerceptionItem("flexibility", "The coalition adapts when things change", "cohesion"),
        PerceptionItem("funds_agreement", "I agree with how funds were distributed", "financing"),
        PerceptionItem("prepared_to_lead", "I feel prepared to lead in the coalition",
                       "lived_experience"),
        PerceptionItem("supported_to_lead", "The coalition supports me to lead",
                       "lived_experience"),
    )
}

MILESTONES = ("setting_the_table", "safety_trust", "cohesion", "financing", "lived_experience")


def read_config(study: str | Path, *, allow_outside_files: bool | None = None) -> StudyConfig:
    """Read and check a study's ``cpower.toml``.

    Parameters
    ----------
    study : str or Path
        The study folder, or the path of its ``cpower.toml``.
    allow_outside_files : bool, optional
        Let the study name files outside its folder (after following symlinks). Off by
        default (``None``: off unless
        :func:`~cpower_network.config.files.outside_files_allowed` is in force): a
        ``cpower.toml`` from someone else cannot make cpower read, and put lines of,
        any file of this computer into a report.

    Returns
    -------
    StudyConfig

    Raises
    ------
    ConfigError
        Listing every problem at once (exit code 2 on the command line).
    """
    source = _config_path(Path(study))
    try:
        raw = tomllib.loads(source.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{source}: not valid TOML ({exc}). Check quotes around texts and "
            "that every [section] is written once."
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(f"{source}: not a UTF-8 text file; save it as UTF-8") from None
    except RecursionError:
        raise ConfigError(
            f"{source}: not valid TOML: its lists or tables are nested too deeply to "
            "read (brackets or braces opened hundreds of times, one inside the other). "
            "A cpower.toml needs at most a few levels: check for a [ or { that is never "
            "closed, or start again from: cpower init --help"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{source}: cannot be read ({exc.strerror or exc}); check the "
                          "file's permissions") from None
    outside = OUTSIDE_FILES.get() if allow_outside_files is None else allow_outside_files
    return parse_config(raw, root=source.parent, source=source,
                        allow_outside_files=outside)


def _config_path(path: Path) -> Path:
    if path.is_dir():
        candidate = path / CONFIG_NAME
        if not candidate.is_file():
            raise ConfigError(
                f"{path}: no {CONFIG_NAME} in this folder. "
                f"Create one with: cpower init {path}"
            )
        return candidate
    if path.is_file():
        return path
    raise ConfigError(f"{path}: no such study folder or file. Check the path, or create "
                      f"a study with: cpower init {path}")


TOP_KEYS = reference.top_keys()


def parse_config(raw: Mapping[str, Any], *, root: Path, source: Path,
                 allow_outside_files: bool = False) -> StudyConfig:
    """Turn a parsed TOML document into a :class:`StudyConfig` (see :func:`read_config`)."""
    problems: list[str] = []
    top = TableReader(raw, "cpower.toml", problems)
    top.check_keys(TOP_KEYS)
    study = TableReader(top.table_of("study"), "[study]", problems)
    study.check_keys(reference.keys("study"))
    folder = root.resolve().name
    name = study.text("name", folder) or folder
    seed = study.integer("seed", 0, at_least=0) or 0
    non_members = study.text_list("non_members")

    files = StudyFiles(root, allow_outside_files, problems)
    roster = _read_roster(top.table_of("roster"), files, problems)
    focus = _read_focus_groups(top.table_of("focus_groups"), problems)
    broken: set[str] = set()
    scales = read_scales(top.table_of("scales"), problems, broken=broken)
    relations = _read_relations(top.table_of("relations"), scales, problems, broken)
    items = _read_items(top.table_of("items"), problems)
    waves = _read_waves(top.table_of("waves"), files, relations, scales, items, problems)
    aliases = _read_aliases(top.table_of("aliases"), problems)
    analysis = read_analysis_settings(top.table_of("analysis"), problems)
    _check_indicators(top.table_of("indicators"), relations, focus, problems)
    report = TableReader(top.table_of("report"), "[report]", problems)
    for key in report.table:
        problems.append(f"unknown key {key!r} in [report]: cpower reads no key there yet "
                        "(the section is reserved for report options); remove it")
    if problems:
        raise config_error(problems, source=str(source))
    return StudyConfig(
        root=root, source=source, name=name, seed=seed, roster=roster, focus_groups=focus,
        scales=scales, relations=relations, items=items, waves=waves, aliases=aliases,
        analysis=analysis, indicators=dict(top.table_of("indicators")),
        report=dict(top.table_of("report")), non_members=non_members,
    )


def _check_indicators(table: Mapping[str, Any], relations: Mapping[str, Relation],
                      groups: tuple[FocusGroup, ...], problems: list[str]) -> None:
    """Check ``[indicators]`` with the rest of the file (it is read again, the same way,
    when a wave is analysed), and that every relation and focus group it names exists:
    a misspelt name would leave the items that read it "not measured", silently."""
    from .indicators import ITEM_KEYS, ROLE_SETTINGS, read_indicator_settings

    try:
        read_indicator_settings(table, item_keys=ITEM_KEYS)
    except ConfigError as error:
        problems.extend(problem.message for problem in error.problems)
    for key in reference.section("indicators").keys:
        value = table.get(key.name) if isinstance(table, Mapping) else None
        if not isinstance(value, str):
            continue
        if key.name in ROLE_SETTINGS.values():
            known, kind = list(relations), "relation"
            other = (f"leave {key.name} out to use the relation whose role is "
                     f"{_role_of(key.name)}")
        elif key.name in ("lived_experience", "grassroots"):
            known, kind = [g.key for g in groups], "focus group"
            other = f"define the group under [focus_groups.{value}]"
        else:
            continue
        if value in known or (value == key.default and kind == "relation"):
            continue
        hint = closest(value, known)
        problems.append(
            f"[indicators] {key.name} = {value!r} is not a {kind} of this study "
            f"({kind}s: {', '.join(known) if known else 'none'}), so the evidence items "
            "that read it would not be measured. Fix: "
            + (f'{key.name} = "{hint}" (the closest), or ' if hint else "") + other)


def _role_of(setting: str) -> str:
    """``"collaboration"`` for ``collaboration_relation``."""
    return setting.removesuffix("_relation")


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


#: What a table key (a relation, focus group or wave key) may look like.
TABLE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")


def _check_key(key: str, where: str, problems: list[str]) -> None:
    if not TABLE_KEY.match(key):
        problems.append(f"{where} key {key!r} must start with a letter or digit and use only "
                        "letters, digits, '_' or '-'")


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


def _read_relations(table: Mapping[str, Any], scales: Mapping[str, Scale],
                    problems: list[str], broken: Collection[str] = ()) -> dict[str, Relation]:
    relations = {}
    known_scales = list(dict.fromkeys([*scales, "tie", "yesno"]))
    for key, spec in table.items():
        _check_key(key, "[relations]", problems)
        reader = TableReader(spec, f"[relations.{key}]", problems)
        reader.check_keys(reference.keys("relations"))
        scale = reader.text("scale", "tie") or "tie"
        if scale not in known_scales:
            hint = closest(scale, known_scales)
            problems.append(f"[relations.{key}] scale {scale!r} is not defined under "
                            f"[scales]" + (f"; did you mean {hint!r}?" if hint else ""))
        symmetric, direction, reciprocity = _read_direction(reader, key, problems)
        declared = reader.choice("role", ROLES, "") if "role" in reader.table else None
        relations[key] = Relation(
            key=key,
            label=reader.text("label") or key.replace("_", " ").capitalize(),
            scale=scale,
            symmetric=symmetric,
            combine=reader.choice("combine", COMBINE_RULES, "mean"),
            strong=reader.number("strong", above=0, fix=1),
            direction=direction,
            reciprocity=reciprocity,
            role=declared or None,
        )
        if scale not in broken:
            _check_weights(relations[key], scales.get(scale) or BUILT_IN.get(scale),
                           problems)
    if not relations:
        problems.append("no [relations] defined: add at least one, e.g. "
                        '[relations.collaborate] scale = "frequency"')
    return _infer_roles(relations)


BUILT_IN = {"tie": TIE, "yesno": YES_NO}


def _check_weights(relation: Relation, scale: Scale | None, problems: list[str]) -> None:
    """A relation's answers are tie weights: a tie is a weight above 0, and a weight of
    0 or less is no tie. A scale with negative numbers would turn those answers into
    "no tie" without a word (and one with no number above 0, the whole relation), and a
    ``strong`` above the scale's top would make no tie strong."""
    where = f"[relations.{relation.key}]"
    if scale is None or not scale.values:  # the built-in scales, or reported already
        return
    low, high = min(scale.values), max(scale.values)
    if low < 0 or high <= 0:
        why = ("so no answer could make a tie" if high <= 0 else
               "so an answer below 0 would silently be no tie")
        problems.append(
            f"{where} scale {relation.scale!r} runs from {number_text(low)} to "
            f"{number_text(high)}, but a relation's answers are tie weights from 0 (no "
            f"tie) up, {why}. Fix: number the labels of [scales] {relation.scale} from "
            '0 up (e.g. "Never" = 0, "Sometimes" = 1, "Often" = 2)')
    elif relation.strong is not None and relation.strong > high \
            and relation.combine != "sum":
        problems.append(
            f"{where} strong = {number_text(relation.strong)} is above the highest "
            f"value of scale {relation.scale!r} ({number_text(high)}), so no tie could "
            f"be strong. Fix: strong = {number_text(high)} (or a value between "
            f"{number_text(low)} and {number_text(high)}), or leave strong out for the "
            "scale's upper half")


def _read_direction(reader: TableReader, key: str,
                    problems: list[str]) -> tuple[bool, str, str]:
    """``(symmetric, direction, reciprocity)`` of ``[relations.<key>]``.

    ``symmetric = true`` alone means ``direction = "undirected"``; with ``direction =
    "directed"`` it keeps its old meaning (the "union" rule may rebuild a non-respondent's
    arcs). An undirected relation declared ``symmetric = false``, and ``reciprocity`` on a
    directed relation, are contradictions.
    """
    where = f"[relations.{key}]"
    symmetric = reader.boolean("symmetric", False)
    direction = reader.choice("direction", DIRECTIONS,
                              "undirected" if symmetric else "directed")
    if direction == "undirected" and "symmetric" in reader.table and not symmetric:
        problems.append(f'{where} direction = "undirected" contradicts symmetric = false: '
                        "an undirected relation is symmetric; remove symmetric")
    reciprocity = reader.choice("reciprocity", RECIPROCITY_RULES, "either")
    if direction == "directed" and "reciprocity" in reader.table:
        problems.append(f"{where} reciprocity only applies to an undirected relation: "
                        'add direction = "undirected" or remove reciprocity')
    return symmetric or direction == "undirected", direction, reciprocity


def _infer_roles(relations: dict[str, Relation]) -> dict[str, Relation]:
    """Give a relation without a declared role the role its key names (``collaborate``
    → ``collaboration``, see :data:`ROLE_FROM_KEY`), unless another relation declares
    that role; such a role is flagged ``role_inferred``."""
    declared = {r.role for r in relations.values() if r.role}
    found = {}
    for key, relation in relations.items():
        role = ROLE_FROM_KEY.get(key)
        if relation.role is None and role is not None and role not in declared:
            relation = replace(relation, role=role, role_inferred=True)
        found[key] = relation
    return found


def _read_items(table: Mapping[str, Any], problems: list[str]) -> dict[str, PerceptionItem]:
    items = dict(DEFAULT_ITEMS)
    for key, spec in table.items():
        _check_key(key, "[items]", problems)
        reader = TableReader(spec, f"[items.{key}]", problems)
        reader.check_keys(reference.keys("items"))
        milestone = reader.text("milestone")
        if milestone is not None and milestone not in MILESTONES:
            hint = closest(milestone, MILESTONES)
            problems.append(f"[items.{key}] milestone {milestone!r} is not one of "
                            f"{', '.join(MILESTONES)}" + (f"; did you mean {hint!r}?"
                                                          if hint else ""))
            milestone = None
        items[key] = PerceptionItem(key, reader.text("text") or key, milestone)
    return items


def _read_aliases(table: Mapping[str, Any], problems: list[str]) -> dict[str, str]:
    aliases = {}
    for alias, member in table.items():
        if not isinstance(member, str):
            problems.append(f"[aliases] {alias!r} must name a member id in quotes")
            continue
        aliases[alias] = member
    return aliases


def _read_waves(table: Mapping[str, Any], files: StudyFiles,
                relations: Mapping[str, Relation],
                scales: Mapping[str, Scale], items: Mapping[str, PerceptionItem],
                problems: list[str]) -> dict[str, Wave]:
    waves = {}
    for key, spec in table.items():
        _check_key(key, "[waves]", problems)
        reader = TableReader(spec, f"[waves.{key}]", problems)
        reader.check_keys(reference.keys("waves"))
        surveys_raw = reader._typed("surveys", (list,), "a list of [[waves.X.surveys]]", [])
        if not surveys_raw:
            problems.append(f"[waves.{key}] has no surveys: add at least one "
                            f"[[waves.{key}.surveys]] with a file and its questions")
        surveys = tuple(
            _read_survey(s, f"[[waves.{key}.surveys]] #{i}", files, relations, scales,
                         items, problems)
            for i, s in enumerate(surveys_raw, start=1)
        )
        waves[key] = Wave(key, reader.text("label") or key, surveys)
    if not waves:
        problems.append("no [waves] defined: add at least one wave with its surveys")
    return waves


def _read_survey(table: Mapping[str, Any], where: str, files: StudyFiles,
                 relations: Mapping[str, Relation], scales: Mapping[str, Scale],
                 items: Mapping[str, PerceptionItem], problems: list[str]) -> SurveyFile:
    reader = TableReader(table, where, problems)
    reader.check_keys(reference.keys("surveys"))
    file = reader.text("file", required=True) or ""
    where = f"{where} ({file})" if file else where
    questions_raw = reader._typed("questions", (list,), "a list of [[…questions]]", [])
    if not questions_raw:
        problems.append(f"{where} has no questions: add [[…questions]] tables saying "
                        "which columns hold which answers")
    questions = tuple(
        _read_question(q, f"{where} question #{i}", relations, scales, items, problems)
        for i, q in enumerate(questions_raw, start=1)
    )
    header_rows = reader.integer("header_rows", at_least=1, at_most=MAX_HEADER_ROWS, fix=1,
                                 expected=f"must be 1 or more (at most {MAX_HEADER_ROWS})")
    return SurveyFile(
        file=file,
        path=files.path(file, where),
        respondent=reader.text("respondent", required=True) or "",
        questions=questions,
        platform=reader.choice("platform", PLATFORMS, "auto"),
        sheet=reader.text("sheet"),
        timestamp=reader.text("timestamp"),
        header_rows=header_rows,
    )


QUESTION_KEYS = {shape: reference.question_keys(shape) for shape in SHAPES}


def _read_question(table: Mapping[str, Any], where: str, relations: Mapping[str, Relation],
                   scales: Mapping[str, Scale], items: Mapping[str, PerceptionItem],
                   problems: list[str]) -> Question:
    reader = TableReader(table, where, problems)
    shape = reader.choice("shape", SHAPES, "long") if "shape" in reader.table else None
    if shape is None:
        problems.append(f"{where} needs a shape: one of {', '.join(SHAPES)}")
        return Question(shape="long")
    if reader.table["shape"] not in SHAPES:  # reported by choice(); checking the other
        return Question(shape="long")        # keys against "long" would only mislead
    reader.check_keys(("shape", *QUESTION_KEYS[shape]))
    relation = reader.text("relation")
    needs_relation = shape in ("matrix", "name_generator", "multi_select") or (
        shape == "long" and "relation_column" not in reader.table)
    if needs_relation and relation is None:
        problems.append(f"{where} ({shape}) needs relation = one of {', '.join(relations)}")
    if relation is not None and relation not in relations:
        hint = closest(relation, relations)
        problems.append(f"{where} relation {relation!r} is not defined under [relations]"
                        + (f"; did you mean {hint!r}?" if hint else ""))
    columns = _read_columns(reader, shape, where, problems)
    value_text = reader.text("value") if shape == "long" else None
    fixed_value = 1.0
    if shape in ("name_generator", "multi_select") and "value" in reader.table:
        # A tie's weight is above 0: a weight of 0 is no tie, so value = 0 would drop
        # every name given, silently. Refused, never read as 1.
        fixed_value = reader.number(
            "value", 1.0, at_least=None, above=0, fix=1,
            expected=f"must be a number above 0 and at most {LARGEST:,} (the weight of "
                     "the tie to each member named; a weight of 0 is no tie, so every "
                     "name in this question would count as not named)")
    scale = reader.text("scale")
    if scale is not None and scale not in (*scales, "yesno"):
        hint = closest(scale, scales)
        problems.append(f"{where} scale {scale!r} is not defined under [scales]"
                        + (f"; did you mean {hint!r}?" if hint else ""))
    item_map: dict[str, str] = {}
    if shape == "perceptions":
        item_map = _read_item_map(reader, where, items, problems)
        if scale is None:
            problems.append(f"{where} (perceptions) needs scale = the answer scale's name")
    if shape == "decision" and not reader.text("decision"):
        problems.append(f"{where} (decision) needs decision = a short id for the decision")
    facet = _read_facet(reader, where, relations.get(relation or ""), scales, problems) \
        if "facet" in QUESTION_KEYS[shape] else None
    return Question(
        shape=shape,
        relation=relation,
        relation_column=reader.text("relation_column"),
        columns=columns,
        column=reader.text("column"),
        separator=reader.text("separator"),
        header=reader.choice("header", HEADER_ROWS, "auto"),
        alter=reader.text("alter", required=shape == "long"),
        value=value_text,
        fixed_value=fixed_value,
        items=item_map,
        scale=scale,
        decision=reader.text("decision"),
        label=reader.text("label"),
        involved=reader.text("involved"),
        voice=reader.text("voice"),
        non_members=reader.text_list("non_members"),
        write_in=reader.boolean("write_in", False) if "write_in" in reader.table else None,
        facet=facet,
    )


def _read_facet(reader: TableReader, where: str, relation: Relation | None,
                scales: Mapping[str, Scale], problems: list[str]) -> str | None:
    """The trust or value facet a rating question measures. It needs one relation (not a
    ``relation_column``) answered on a scale of ratings from 0 up: a share of the scale's
    maximum means nothing for "any mention" or for negative values."""
    if "facet" not in reader.table:
        return None
    facet = reader.choice("facet", tuple(FACETS), "")
    if not facet:
        return None
    if "relation_column" in reader.table:
        problems.append(f"{where} facet {facet!r} rates one relation: give relation = "
                        "\"…\" instead of relation_column, or put the facet's rows in a "
                        "question of their own")
    elif relation is not None and relation.scale == "tie":
        problems.append(f"{where} facet {facet!r} needs a rating: relation "
                        f"{relation.key!r} has scale = \"tie\" (any mention is 1); give "
                        "it an answer scale from [scales], e.g. scale = \"trust\"")
    elif relation is not None and relation.scale in scales:
        values = scales[relation.scale].values
        if values and (min(values) < 0 or max(values) <= 0):
            problems.append(f"{where} facet {facet!r} needs ratings from 0 up (a rating "
                            "counts as a share of the scale's highest value), but scale "
                            f"{relation.scale!r} runs from {min(values):g} to "
                            f"{max(values):g}; number its labels from 0 or 1")
    return facet


def _read_columns(reader: TableReader, shape: str, where: str,
                  problems: list[str]) -> str | tuple[str, ...] | None:
    raw = reader.table.get("columns")
    has_column = "column" in reader.table
    if shape == "matrix" or (shape in ("multi_select", "decision") and not has_column):
        pattern = reader.text("columns")
        if shape == "decision" and pattern is None:
            problems.append(f"{where} (decision) needs column (one cell, names joined by "
                            "separator) or columns (a pattern with {member}) for "
                            "'whose input shaped it'")
        elif pattern is None:
            problems.append(f"{where} ({shape}) needs columns = a header pattern with "
                            "{member}, e.g. \"collab_{member}\"" +
                            (" (or column = one cell with names)" if shape != "matrix" else ""))
        elif MEMBER_SLOT not in pattern:
            problems.append(f"{where} columns {pattern!r} must contain {MEMBER_SLOT} where "
                            "the member's id or name appears in the header")
        return pattern
    if shape == "name_generator":
        if isinstance(raw, str):
            return (raw,)
        listed = reader.text_list("columns")
        if not listed:
            problems.append(f"{where} (name_generator) needs columns = the list of name "
                            'columns, e.g. ["advice_1", "advice_2", "advice_3"]')
        return listed
    if raw is not None and shape in ("multi_select", "decision"):
        problems.append(f"{where}: give column or columns, not both")
    return None


def _read_item_map(reader: TableReader, where: str, items: Mapping[str, PerceptionItem],
                   problems: list[str]) -> dict[str, str]:
    table = reader.table_of("items")
    if not table:
        problems.append(f"{where} (perceptions) needs items = {{ item_key = \"column\" }}")
    for key, column in table.items():
        if not isinstance(column, str):
            problems.append(f"{where} items.{key} must name a column in quotes")
        if key not in items:
            hint = closest(key, items)
            problems.append(f"{where} item {key!r} is not a known item; define it under "
                            f"[items.{key}] with its text and milestone"
                            + (f", or did you mean {hint!r}?" if hint else ""))
    return {k: v for k, v in table.items() if isinstance(v, str)}
