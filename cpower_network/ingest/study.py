"""The :class:`Study`: a roster and, per wave, tidy validated frames. No graph here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..common import notebook as nb
from ..common.wording import counted
from ..config.study import StudyConfig, read_config
from ..errors import DataError, UsageError
from .filecontext import Outputs
from .quality import DataQuality, Ledger
from .roster import read_roster
from .survey import read_survey

TIE_COLUMNS = ["wave", "relation", "respondent", "alter", "value", "file", "row", "column",
               "facet"]
PERCEPTION_COLUMNS = ["wave", "item", "respondent", "value", "file", "row", "column"]
DECISION_COLUMNS = ["wave", "decision", "respondent", "named", "involvement", "file", "row",
                    "column"]
PARTICIPATION_COLUMNS = ["wave", "decision", "respondent", "involvement", "voice", "file",
                         "row", "involved_column", "voice_column"]
RESPONSE_COLUMNS = ["wave", "file", "respondent", "row"]


@dataclass
class WaveData:
    """One wave's members and answers, as tidy frames.

    Attributes
    ----------
    key, label : str
    members : list of str
        Member ids in this wave (roster order).
    ties : DataFrame
        ``wave, relation, respondent, alter, value`` plus where each answer came from
        (``file, row, column``) and ``facet`` (the trust or value facet the question
        measures, ``""`` for none). Zero answers ("Never") are kept: they are answers.
    perceptions : DataFrame
        ``wave, item, respondent, value`` plus ``file, row, column``.
    decisions : DataFrame
        ``wave, decision, respondent, named, involvement``: one row per member a respondent
        said shaped a decision.
    participation : DataFrame
        ``wave, decision, respondent, involvement, voice``: one row per respondent and
        decision ("were you involved", "my input shaped the outcome").
    responses : DataFrame
        ``wave, file, respondent, row``: who answered which survey file.
    relation_files : dict
        Relation key -> the survey files that asked about it.
    not_asked : dict
        Relation key (or ``"decisions"``) -> member ids (roster order) whom no question
        of this wave could be answered about: a grid without their column, a list of
        choices without them, and no free-recall question for the relation. Their
        missing ties are *not observed*, not absent.
    """

    key: str
    label: str
    members: list[str]
    ties: pd.DataFrame
    perceptions: pd.DataFrame
    decisions: pd.DataFrame
    participation: pd.DataFrame
    responses: pd.DataFrame
    relation_files: dict[str, list[str]] = field(default_factory=dict)
    not_asked: dict[str, list[str]] = field(default_factory=dict)

    def respondents(self, relation: str | None = None) -> list[str]:
        """Members who answered (the surveys asking about ``relation``), roster order."""
        frame = self.responses
        if relation is not None:
            frame = frame[frame["file"].isin(self.relation_files.get(relation, []))]
        answered = set(frame["respondent"])
        return [m for m in self.members if m in answered]

    def __repr__(self) -> str:
        return nb.bracket("WaveData", (
            f"{self.key!r} ({nb.one_line(self.label, 40)}), "
            f"{nb.counted(len(self.members), 'member')}, "
            f"{nb.counted(self.responses['respondent'].nunique(), 'respondent')}, "
            f"{nb.counted(len(self.ties), 'tie answer')}, "
            f"{nb.counted(len(self.relation_files), 'relation')}"))


@dataclass
class Study:
    """A loaded study: configuration, roster, per-wave tidy frames, data quality.

    Examples
    --------
    >>> import cpower_network as cp
    >>> study = cp.load_study(cp.example_study_path())
    >>> list(study.waves)
    ['2024', '2025']
    >>> study.quality.ok
    True
    >>> study  # doctest: +NORMALIZE_WHITESPACE
    <Study: Riverbend Child Care Coalition, 75 members, 2 waves (2024, 2025), 5 relations
     (collaborate, trust, advice, influence, value), 2 focus groups, no errors, 2 warnings>

    Attributes
    ----------
    config : StudyConfig
        ``cpower.toml`` as read.
    roster : pandas.DataFrame
        One row per member (index ``member_id``), columns ``name, silo``, the roster's
        other configured columns (``organisation, role, leader, consent``) and one
        boolean column per focus group.
    waves : dict of str to WaveData
        Wave key -> its members and answers, in ``cpower.toml`` order; an unknown key
        raises a ``KeyError`` naming the waves (:meth:`wave` too).
    quality : DataQuality
        Every problem found (``quality.errors``, ``quality.warnings``) and the answer
        cells set aside.
    """

    config: StudyConfig
    roster: pd.DataFrame
    waves: dict[str, WaveData]
    quality: DataQuality

    def __post_init__(self) -> None:
        if not isinstance(self.waves, nb.Keyed):
            self.waves = nb.Keyed(self.waves, what="a wave", plural="waves",
                                  where="this study")

    def __repr__(self) -> str:
        errors, warnings = len(self.quality.errors), len(self.quality.warnings)
        problems = nb.counted(errors, "error") if errors else "no errors"
        if warnings:
            problems += f", {nb.counted(warnings, 'warning')}"
        return nb.bracket("Study", (
            f"{nb.one_line(self.name)}, {nb.counted(len(self.roster), 'member')}, "
            f"{nb.counted(len(self.waves), 'wave')} ({nb.listing(self.waves, 4)}), "
            f"{nb.counted(len(self.relations), 'relation')} "
            f"({nb.listing(self.relations, 5)}), "
            f"{nb.counted(len(self.focus_groups), 'focus group')}, {problems}"))

    def _repr_html_(self) -> str:
        """A compact HTML summary for notebooks: members, waves, relations, focus groups
        and data quality (every string escaped; no script)."""
        config = self.config
        facts = [("Study", self.name), ("Members", f"{len(self.roster):,}")]
        facts += [(f"Wave {key}", f"{data.label}: {len(data.members):,} members, "
                   f"{len(data.respondents()):,} answered")
                  for key, data in self.waves.items()]
        facts += [("Relations", ", ".join(r.label for r in config.relations.values())
                   or "none"),
                  ("Focus groups", ", ".join(g.label for g in config.focus_groups)
                   or "none"),
                  ("Data quality", f"{nb.counted(len(self.quality.errors), 'error')}, "
                   f"{nb.counted(len(self.quality.warnings), 'warning')}")]
        return nb.summary_block(
            nb.facts_table(f"cpower study: {nb.one_line(self.name, 80)}", facts))

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def path(self) -> Path:
        return self.config.root

    @property
    def focus_groups(self) -> list[str]:
        return [g.key for g in self.config.focus_groups]

    def focus_group_members(self, members: list[str]) -> dict[str, list[str]]:
        """Focus group key -> those of ``members`` the roster marks as in it, in the order
        of ``members`` (one column read per group, not one cell per member)."""
        found = {}
        for group in self.config.focus_groups:
            flags = self.roster[group.key].to_dict()
            found[group.key] = [m for m in members if bool(flags[m])]
        return found

    @property
    def relations(self) -> list[str]:
        return list(self.config.relations)

    def require_clean(self, *, allow_problems: bool = False) -> None:
        """Refuse to measure a study whose data has errors, unless asked to.

        Analysing a study with errors measures only what is left: the answers with
        problems are set aside. That must be a choice, never a surprise.

        Raises
        ------
        DataError
            Naming how many errors of which kinds, and how many answer cells were set
            aside because of them; ``allow_problems=True`` analyses what is left.
        """
        errors = self.quality.errors
        if not errors or allow_problems:
            return
        kinds = ", ".join(f"{code} {count}" for code, count in
                          sorted(Counter(p.code for p in errors).items()))
        lost = self.quality.problem_cells()
        raise DataError(
            f"{self.path}: {counted(len(errors), 'error')} in the "
            f"data ({kinds}); {lost} answer cells would be left out of the measures. See "
            f"them in study.quality.errors or with: cpower validate {self.path}. Fix them, "
            "or pass allow_problems=True to analyse what is left.", problems=errors)

    def wave(self, key: str | None = None) -> WaveData:
        """The wave ``key`` (the latest wave when ``None``).

        Raises
        ------
        UsageError
            No wave has that key: the message names the waves and the closest one. It
            is a :class:`KeyError` too.
        """
        if key is None:
            return self.waves[list(self.waves)[-1]]
        key = wave_key(key)
        if key not in self.waves:
            from ..config.schema import closest

            hint = closest(key, self.waves)
            raise nb.UnknownKeyError(
                f"no wave {key!r} in this study; waves: {', '.join(self.waves)}"
                + (f"; did you mean {hint!r}?" if hint else ""), key=key, valid=self.waves)
        return self.waves[key]


def wave_key(key: object) -> str:
    """A wave key as the study names it: text. A whole number (``2025``) is the same key
    as its digits; anything else is refused.

    Raises
    ------
    UsageError
        ``key`` is neither text nor a whole number.

    >>> wave_key(2025), wave_key("w1")
    ('2025', 'w1')
    """
    if isinstance(key, str):
        return key
    if isinstance(key, int) and not isinstance(key, bool):
        return str(key)
    raise UsageError(f"a wave key is text, like '2025' (the key under [waves] in "
                     f"cpower.toml), not {type(key).__name__} {key!r}")


def load_study(path: str | Path, *, strict: bool = False,
               allow_outside_files: bool | None = None) -> Study:
    """Read a study folder: configuration, roster and every survey of every wave.

    Every problem is collected (see ``study.quality``); answers with problems are set
    aside, never silently dropped. No graph is built here.

    Parameters
    ----------
    path : str or Path
        The study folder (holding ``cpower.toml``) or the ``cpower.toml`` file.
    strict : bool
        Raise :class:`~cpower_network.errors.DataError` listing every error-severity
        problem instead of returning a study with problems recorded.
    allow_outside_files : bool, optional
        Let ``cpower.toml`` name files outside the study folder (after following
        symlinks); off by default (see :func:`~cpower_network.config.study.read_config`).

    Returns
    -------
    Study

    Raises
    ------
    ConfigError
        The configuration is missing or wrong (exit code 2 on the command line).
    DataError
        The roster cannot be read at all, or ``strict`` and the data has errors.
    """
    config = read_config(path, allow_outside_files=allow_outside_files)
    ledger = Ledger()
    roster = read_roster(config, ledger)
    outputs = Outputs()
    relation_files: dict[str, dict[str, list[str]]] = {}
    for key, wave in config.waves.items():
        before = len(outputs.responses)
        for survey in wave.surveys:
            zeros_before = len(roster.matcher.zero_matches)
            read_survey(config, key, survey, roster, ledger, outputs)
            lost = dict.fromkeys(roster.matcher.zero_matches[zeros_before:])
            _note_lost_zeros(list(lost), survey.file, ledger)
        files = relation_files.setdefault(key, {})
        for survey in wave.surveys:
            for question in survey.questions:
                if question.relation:
                    files.setdefault(question.relation, []).append(survey.file)
        if len(outputs.responses) == before:
            ledger.error("empty-wave", f"wave {key!r} has no usable responses",
                         file=str(config.source.name),
                         fix="check the wave's survey files and the respondent column")
    study = Study(config=config, roster=roster.frame,
                  waves=_waves(config, roster.membership, outputs, relation_files),
                  quality=ledger.finish())
    if strict and not study.quality.ok:
        raise DataError(f"{config.root}: {len(study.quality.errors)} problems in the data",
                        problems=study.quality.errors)
    return study


def _note_lost_zeros(matches: list[tuple[str, str]], file: str, ledger: Ledger) -> None:
    """One warning per id a survey wrote without its leading zeros ("7" for "007")."""
    for text, member in matches:
        ledger.warning("leading-zeros", f"{text!r} was read as the member id {member!r}: "
                       "the id lost its leading zeros (a spreadsheet saved it as a number)",
                       file=file, value=text, expected=member,
                       fix="format the id column as text before saving the export; "
                           "nothing else to do, the answers were matched")


def _waves(config: StudyConfig, membership: dict[str, list[str]], outputs: Outputs,
           relation_files: dict[str, dict[str, list[str]]]) -> dict[str, WaveData]:
    frames = {
        "ties": _frame(outputs.ties, TIE_COLUMNS),
        "perceptions": _frame(outputs.perceptions, PERCEPTION_COLUMNS),
        "decisions": _frame(outputs.decisions, DECISION_COLUMNS),
        "participation": _frame(outputs.participation, PARTICIPATION_COLUMNS),
        "responses": _frame(outputs.responses, RESPONSE_COLUMNS),
    }
    waves = {}
    for key, wave in config.waves.items():
        parts = {name: frame[frame["wave"] == key].reset_index(drop=True)
                 for name, frame in frames.items()}
        files = {r: list(f) for r, f in relation_files.get(key, {}).items()}
        # A long file with a relation column answers every relation it names.
        for relation, file in parts["ties"][["relation", "file"]].drop_duplicates().values:
            if file not in files.setdefault(relation, []):
                files[relation].append(file)
        waves[key] = WaveData(key=key, label=wave.label, members=list(membership[key]),
                              relation_files=files,
                              not_asked=_not_asked(key, membership[key], outputs), **parts)
    return waves


def _not_asked(wave: str, members: list[str], outputs: Outputs) -> dict[str, list[str]]:
    """Per relation, members that every roster-bound question of ``wave`` left out."""
    missing: dict[str, dict[str, set[tuple[str, str]]]] = {}
    questions: dict[str, set[tuple[str, str]]] = {}
    for w, key, member, file, question in outputs.not_asked:
        if w == wave:
            missing.setdefault(key, {}).setdefault(member, set()).add((file, question))
    for w, key, file, question in outputs.bound_questions:
        if w == wave:
            questions.setdefault(key, set()).add((file, question))
    result = {}
    for key, by_member in missing.items():
        if (wave, key) in outputs.open_questions:
            continue
        left_out = [m for m in members if by_member.get(m, set()) >= questions[key]]
        if left_out:
            result[key] = left_out
    return dict(sorted(result.items()))


FLOAT_COLUMNS = {"value", "involvement", "voice"}


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for column in columns:
        if column in FLOAT_COLUMNS:
            frame[column] = frame[column].astype("float64")
        elif column == "row":
            frame[column] = frame[column].astype("int64")
        else:
            frame[column] = frame[column].astype(object)
    return frame
