"""Anonymise a study before anything is measured, so no output can leak a name.

:func:`anonymize_study` returns a copy of a :class:`~cpower_network.ingest.Study` in
which every member id and name becomes a code (``M001``…), every organisation a code
(``Org 01``…), and free text is gone: extra roster columns, survey values and column
headers in the data-quality record (headers of grid questions carry members' names),
problem messages (replaced by a generic sentence per kind). Silo names and the study's
own labels (relations, items, decisions, from ``cpower.toml``) are kept; a silo column
that holds organisations (it is the organisation column, shares a value with it, or is
named for organisations) is coded like organisations.

Codes cannot be decoded with the roster: they are not given in roster order (nor
organisations in order of first appearance) but in a shuffled order, and the copy's
roster and waves list members in code order, so no table or map follows the roster.
The shuffle is drawn from the seed *and* a digest of the survey answers
(:func:`shuffle_generator`): the seed alone is printed in every report, so a shuffle
seeded by it could be replayed by anyone holding the roster. The same study and seed
always give the same codes, so outputs stay byte-identical.

Because reports and exports only ever see results computed from this copy, an
anonymised report cannot contain a real name anywhere in its bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re

import numpy as np
import pandas as pd

from ..errors import Problem
from . import Study, WaveData
from .quality import DataQuality
from .roster import NOT_KNOWN

GENERIC_MESSAGES = {
    "unknown-name": "a name that is not on the roster",
    "ambiguous-name": "a name that fits several members",
    "off-scale": "an answer off the scale",
    "self-nomination": "a respondent named themselves",
    "duplicate-response": "a member answered the same survey twice",
    "not-in-wave": "an answer about a member outside this wave",
    "not-asked": "a question with no column for some members of the wave",
}


#: Columns of the answer tables that say where an answer was read, not what it was.
WHERE_READ = ("file", "row", "column", "involved_column", "voice_column")
#: Words in a silo column's name that say it holds organisations.
ORGANISATION_WORDS = frozenset({"organisation", "organisations", "organization",
                                "organizations", "org", "orgs", "agency", "agencies",
                                "employer", "employers", "company", "companies",
                                "institution", "institutions", "affiliation"})


def member_codes(members: list[str], rng: np.random.Generator | None = None
                 ) -> dict[str, str]:
    """A code per member: ``M1``… given in the order of a shuffle drawn from ``rng``
    (roster order without one).

    >>> member_codes(["ana", "bo", "cy"])
    {'ana': 'M1', 'bo': 'M2', 'cy': 'M3'}
    >>> member_codes(["ana", "bo", "cy"], np.random.default_rng(2))
    {'ana': 'M3', 'bo': 'M1', 'cy': 'M2'}
    """
    width = len(str(len(members)))
    order = rng.permutation(len(members)) if rng is not None else range(len(members))
    return {m: f"M{k + 1:0{width}d}" for m, k in zip(members, order, strict=True)}


def _value_codes(values: list, prefix: str,
                 rng: np.random.Generator | None = None) -> dict[str, str]:
    """A code per distinct non-blank text in ``values``, in a shuffled order."""
    unique = [v for v in dict.fromkeys(values) if isinstance(v, str) and v.strip()]
    width = max(2, len(str(len(unique))))
    order = rng.permutation(len(unique)) if rng is not None else range(len(unique))
    return {v: f"{prefix} {k + 1:0{width}d}" for v, k in zip(unique, order, strict=True)}


def shuffle_generator(study: Study, seed: int) -> np.random.Generator:
    """The random generator the codes are shuffled with: seeded by ``seed`` and a
    SHA-256 digest of every answer in the study (what was answered, not where it was
    read), so the same study and seed give the same codes, and the roster and the
    printed seed alone cannot replay the shuffle."""
    digest = hashlib.sha256(str(seed).encode("utf-8"))
    for key in sorted(study.waves):
        wave = study.waves[key]
        for frame in (wave.ties, wave.perceptions, wave.decisions, wave.participation,
                      wave.responses):
            answers = frame[[c for c in frame.columns if c not in WHERE_READ]]
            digest.update(answers.to_csv(index=False, lineterminator="\n")
                          .encode("utf-8"))
    return np.random.default_rng(int.from_bytes(digest.digest(), "big"))


def silo_holds_organisations(study: Study) -> bool:
    """Whether the silo column holds organisations: it is the organisation column, one
    of its values is also an organisation, or its name is a word for organisations
    ("agency", "organization", "employer"…).

    >>> import cpower_network as cp
    >>> silo_holds_organisations(cp.load_study(cp.example_study_path()))
    False
    """
    config = study.config.roster
    if config.organisation and config.silo == config.organisation:
        return True
    roster = study.roster
    if "organisation" in roster:
        organisations = {o for o in roster["organisation"] if isinstance(o, str) and o.strip()}
        if organisations & set(roster["silo"].astype(str)):
            return True
    words = re.findall(r"[a-z]+", str(config.silo or "").casefold())
    return any(word in ORGANISATION_WORDS for word in words)


def anonymize_study(study: Study, *, seed: int | None = None) -> Study:
    """A copy of ``study`` with codes instead of names, organisations and free text.

    Parameters
    ----------
    study : Study
    seed : int, optional
        Seeds the shuffle of the codes (default: the study's seed); see
        :func:`shuffle_generator`.

    Examples
    --------
    >>> import cpower_network as cp
    >>> study = cp.load_study(cp.example_study_path())
    >>> hidden = anonymize_study(study)
    >>> hidden.roster.index[0], hidden.roster["name"].iloc[0]
    ('M01', 'M01')
    >>> anonymize_study(study).roster.equals(hidden.roster)    # the same codes again
    True
    """
    rng = shuffle_generator(study, study.config.seed if seed is None else seed)
    codes = member_codes(list(study.roster.index), rng)
    roster = _roster(study, codes, rng)
    waves = {key: _wave(wave, codes) for key, wave in study.waves.items()}
    quality = DataQuality(
        problems=[_problem(p) for p in study.quality.problems],
        set_aside=study.quality.set_aside.assign(column="", value=""),
        cells_read=study.quality.cells_read,
    )
    config = dataclasses.replace(study.config, aliases={})
    return Study(config=config, roster=roster, waves=waves, quality=quality)


def _roster(study: Study, codes: dict[str, str], rng: np.random.Generator) -> pd.DataFrame:
    """The roster with codes, in code order (so it does not follow the source)."""
    source = study.roster
    keep = ["name", "silo", "organisation", "role", "leader", "consent", *study.focus_groups]
    roster = source[[c for c in keep if c in source]].copy()
    roster.index = pd.Index([codes[m] for m in source.index], name="member_id")
    roster["name"] = list(roster.index)
    coded_silos = silo_holds_organisations(study)
    values = list(source["organisation"]) if "organisation" in roster else []
    organisations = _value_codes(values + (list(source["silo"].astype(str))
                                           if coded_silos else []), "Org", rng)
    if "organisation" in roster:
        roster["organisation"] = [organisations.get(o, "") for o in source["organisation"]]
    if coded_silos:
        roster["silo"] = [organisations.get(str(s), "Org") for s in source["silo"]]
    if "role" in roster:
        leadership = set(study.config.roster.leadership_roles)
        roster["role"] = [r if r in leadership else "" for r in source["role"]]
    return _sorted_by_code(roster)


def _sorted_by_code(roster: pd.DataFrame) -> pd.DataFrame:
    """``roster`` in code order, its blank-focus-cell marks (one character per row, in
    ``attrs[NOT_KNOWN]``) reordered with the rows so each stays with its member.

    >>> frame = pd.DataFrame({"g": [True, False]}, index=pd.Index(["M2", "M1"]))
    >>> frame.attrs[NOT_KNOWN] = {"g": "10"}
    >>> _sorted_by_code(frame).attrs[NOT_KNOWN]
    {'g': '01'}
    """
    order = np.argsort(roster.index.to_numpy(), kind="stable")
    marks = roster.attrs.get(NOT_KNOWN, {})
    ordered = roster.iloc[order]
    if marks:
        ordered.attrs = {**roster.attrs, NOT_KNOWN: {
            key: "".join(blank[i] for i in order) if len(blank) == len(roster) else blank
            for key, blank in marks.items()}}
    return ordered


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
        key=wave.key, label=wave.label, members=sorted(codes[m] for m in wave.members),
        ties=recode(wave.ties, ["respondent", "alter"]),
        perceptions=recode(wave.perceptions, ["respondent"]),
        decisions=recode(wave.decisions, ["respondent", "named"]),
        participation=recode(wave.participation, ["respondent"]),
        responses=recode(wave.responses, ["respondent"]),
        relation_files=wave.relation_files,
        not_asked={key: sorted(codes[m] for m in members)
                   for key, members in wave.not_asked.items()},
    )


def _problem(problem: Problem) -> Problem:
    message = GENERIC_MESSAGES.get(problem.code, problem.code.replace("-", " "))
    return Problem(problem.severity, problem.code, message, file=problem.file)
