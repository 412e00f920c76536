"""The study configuration: where each file is and what each column means.

A study folder holds ``cpower.toml``. :func:`read_config` parses it into a frozen
:class:`StudyConfig`, collecting *every* problem (unknown keys with the closest valid key,
wrong types, files that do not exist) into one :class:`~cpower_network.errors.ConfigError`.

This module reads the file, its ``[study]``, ``[items]`` and ``[aliases]`` tables, and
checks ``[indicators]`` against the rest; each other table has its own module:
:mod:`~cpower_network.config.roster` (``[roster]``, ``[focus_groups]``),
:mod:`~cpower_network.config.relations`, :mod:`~cpower_network.config.surveys`
(``[waves]``, their surveys and questions), :mod:`~cpower_network.config.scales` and
:mod:`~cpower_network.config.settings` (``[analysis]``); the built-in perception items are
in :mod:`~cpower_network.config.perception_items`.

Defaults have one source: the dataclass fields of these modules and
:mod:`cpower_network.config.settings`. The order of precedence is: these defaults, then
the study's ``cpower.toml``, then command-line options.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, config_error
from . import reference
from .files import OUTSIDE_FILES, StudyFiles
from .perception_items import DEFAULT_ITEMS, MILESTONES, PerceptionItem
from .relations import Relation, _read_relations
from .roster import FocusGroup, RosterConfig, _read_focus_groups, _read_roster
from .scales import TIE, YES_NO, Scale, read_scales
from .schema import TableReader, _check_key, closest
from .settings import AnalysisSettings, read_analysis_settings
from .surveys import Wave, _read_waves

CONFIG_NAME = "cpower.toml"


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
    from .evidence_items import ITEM_KEYS
    from .indicators import ROLE_SETTINGS, read_indicator_settings

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
