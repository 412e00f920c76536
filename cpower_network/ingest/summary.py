"""The data-quality summary of a loaded study (what ``cpower validate`` prints and the
report's data-quality section shows)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from ..measures.response import response_rates
from . import Study

PROBLEM_REASONS = {
    "self-nomination": "self-nominations",
    "duplicate": "duplicate responses",
    "off the scale": "answers off the scale",
    "unknown name": "names not on the roster",
}


@dataclass(frozen=True)
class UnmatchedName:
    """A name written in surveys that matches no member, with how often and suggestions."""

    text: str
    count: int
    fix: str


@dataclass(frozen=True)
class WaveQuality:
    """Data quality of one wave."""

    wave: str
    label: str
    members: int
    respondents: int
    rates: pd.DataFrame
    ties: dict[str, int]
    nonzero_ties: dict[str, int]
    perceptions: int
    decisions: int
    set_aside: dict[str, int]
    low_groups: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class QualitySummary:
    """Data quality across the study."""

    members: int
    silos: dict[str, int]
    focus_groups: dict[str, int]
    waves: list[WaveQuality]
    errors: int
    warnings: int
    unmatched: list[UnmatchedName]
    counts: dict[str, int]


def quality_summary(study: Study) -> QualitySummary:
    """Summarise a study's data quality: members, response rates, ties read, problems.

    Parameters
    ----------
    study : Study

    Returns
    -------
    QualitySummary
    """
    roster = study.roster
    threshold = study.config.analysis.response_rate_warning
    waves = []
    for key, wave in study.waves.items():
        members = study.focus_group_members(wave.members)
        groups = {g.label: members[g.key] for g in study.config.focus_groups}
        rates = response_rates(wave.members, wave.respondents(), groups)
        ties = wave.ties.groupby("relation").size()
        nonzero = wave.ties[wave.ties["value"] > 0].groupby("relation").size()
        aside = study.quality.set_aside
        reasons = aside[aside["wave"] == key]["reason"].value_counts().sort_index()
        waves.append(WaveQuality(
            wave=key, label=wave.label, members=len(wave.members),
            respondents=len(wave.respondents()), rates=rates,
            ties={r: int(ties.get(r, 0)) for r in study.relations},
            nonzero_ties={r: int(nonzero.get(r, 0)) for r in study.relations},
            perceptions=len(wave.perceptions), decisions=len(wave.participation),
            set_aside={str(k): int(v) for k, v in reasons.items()},
            low_groups=[g for g in groups if rates.at[g, "rate"] < threshold],
        ))
    return QualitySummary(
        members=len(roster),
        silos={str(k): int(v) for k, v in roster["silo"].value_counts().sort_index().items()},
        focus_groups={g.label: int(roster[g.key].sum()) for g in study.config.focus_groups},
        waves=waves,
        errors=len(study.quality.errors),
        warnings=len(study.quality.warnings),
        unmatched=_unmatched(study),
        counts=_problem_counts(study),
    )


def _unmatched(study: Study) -> list[UnmatchedName]:
    found = [p for p in study.quality.problems if p.code == "unknown-name"]
    counts = Counter(p.value for p in found)
    fixes = {p.value: p.fix or "" for p in found}
    return [UnmatchedName(text, n, fixes[text])
            for text, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _problem_counts(study: Study) -> dict[str, int]:
    reasons = study.quality.set_aside["reason"]
    return {label: int(reasons.str.startswith(prefix).sum())
            for prefix, label in PROBLEM_REASONS.items()}
