"""Anonymise a study before anything is measured, so no output can leak a name.

:func:`anonymize_study` returns a copy of a :class:`~cpower_network.ingest.Study` in
which every member id and name becomes a stable code (``M001``… in roster order), every
organisation a code (``Org 01``… in order of first appearance), and free text is gone:
extra roster columns, survey values and column headers in the data-quality record
(headers of grid questions carry members' names), problem messages (replaced by a
generic sentence per kind). Silo names and the study's own labels (relations, items,
decisions, from ``cpower.toml``) are kept; if the silo column *is* the organisation
column, silos are coded too.

Because reports and exports only ever see results computed from this copy, an
anonymised report cannot contain a real name anywhere in its bytes.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from .errors import Problem
from .ingest import Study, WaveData
from .ingest.quality import DataQuality

GENERIC_MESSAGES = {
    "unknown-name": "a name that is not on the roster",
    "ambiguous-name": "a name that fits several members",
    "off-scale": "an answer off the scale",
    "self-nomination": "a respondent named themselves",
    "duplicate-response": "a member answered the same survey twice",
    "not-in-wave": "an answer about a member outside this wave",
    "not-asked": "a question with no column for some members of the wave",
}


def member_codes(members: list[str]) -> dict[str, str]:
    """Stable codes in roster order.

    >>> member_codes(["ana", "bo", "cy"])
    {'ana': 'M1', 'bo': 'M2', 'cy': 'M3'}
    """
    width = len(str(len(members)))
    return {m: f"M{i:0{width}d}" for i, m in enumerate(members, start=1)}


def _value_codes(values: pd.Series, prefix: str) -> dict[str, str]:
    unique = [v for v in dict.fromkeys(values) if isinstance(v, str) and v.strip()]
    width = max(2, len(str(len(unique))))
    return {v: f"{prefix} {i:0{width}d}" for i, v in enumerate(unique, start=1)}


def anonymize_study(study: Study) -> Study:
    """A copy of ``study`` with codes instead of names, organisations and free text.

    Examples
    --------
    >>> import cpower_network as cp
    >>> study = anonymize_study(cp.load_study(cp.example_study_path()))
    >>> study.roster.index[0], study.roster["name"].iloc[0]
    ('M01', 'M01')
    """
    codes = member_codes(list(study.roster.index))
    roster = _roster(study, codes)
    waves = {key: _wave(wave, codes) for key, wave in study.waves.items()}
    quality = DataQuality(
        problems=[_problem(p) for p in study.quality.problems],
        set_aside=study.quality.set_aside.assign(column="", value=""),
        cells_read=study.quality.cells_read,
    )
    config = dataclasses.replace(study.config, aliases={})
    return Study(config=config, roster=roster, waves=waves, quality=quality)


def _roster(study: Study, codes: dict[str, str]) -> pd.DataFrame:
    source = study.roster
    keep = ["name", "silo", "organisation", "role", "leader", "consent", *study.focus_groups]
    roster = source[[c for c in keep if c in source]].copy()
    roster.index = pd.Index([codes[m] for m in source.index], name="member_id")
    roster["name"] = list(roster.index)
    if "organisation" in roster:
        organisations = _value_codes(source["organisation"], "Org")
        roster["organisation"] = [organisations.get(o, "") for o in source["organisation"]]
        config = study.config.roster
        if config.silo == config.organisation:
            roster["silo"] = roster["organisation"]
    if "role" in roster:
        leadership = set(study.config.roster.leadership_roles)
        roster["role"] = [r if r in leadership else "" for r in source["role"]]
    return roster


def _wave(wave: WaveData, codes: dict[str, str]) -> WaveData:
    def recode(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        frame = frame.copy()
        for column in columns:
            frame[column] = frame[column].map(codes)
        for column in ("column", "involved_column", "voice_column"):
            if column in frame:
                frame[column] = ""
        return frame

    return WaveData(
        key=wave.key, label=wave.label, members=[codes[m] for m in wave.members],
        ties=recode(wave.ties, ["respondent", "alter"]),
        perceptions=recode(wave.perceptions, ["respondent"]),
        decisions=recode(wave.decisions, ["respondent", "named"]),
        participation=recode(wave.participation, ["respondent"]),
        responses=recode(wave.responses, ["respondent"]),
        relation_files=wave.relation_files,
        not_asked={key: [codes[m] for m in members]
                   for key, members in wave.not_asked.items()},
    )


def _problem(problem: Problem) -> Problem:
    message = GENERIC_MESSAGES.get(problem.code, problem.code.replace("-", " "))
    return Problem(problem.severity, problem.code, message, file=problem.file)
