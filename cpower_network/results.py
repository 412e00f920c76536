"""Result objects: the only thing reports and exports see.

:func:`cpower_network.analysis.analyze` fills them; :mod:`cpower_network.results_json`
saves them as versioned JSON. Tables are pandas DataFrames, graphs networkx graphs,
numbers plain Python floats and ints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from .measures.communities import CommunityResult
from .measures.crosssilo import EIResult
from .measures.structure import StructureResult
from .ratings import Ratings
from .settings import AnalysisSettings
from .summary import QualitySummary
from .weave import Worklist

#: Centralities whose group shares are read as power (parity ratios).
POWER_MEASURES = ("in_degree", "in_strength", "betweenness", "pagerank", "harmonic")

MEASURE_LABELS = {
    "in_degree": "Ties received",
    "out_degree": "Ties reported",
    "in_strength": "Strength received",
    "out_strength": "Strength reported",
    "betweenness": "Betweenness (bridging)",
    "pagerank": "PageRank (prestige)",
    "harmonic": "Closeness (harmonic)",
    "core": "Core number",
    "named": "Named as shaping decisions",
}


@dataclass(frozen=True)
class Group:
    """A group of members results are broken down by (a focus group, or everyone)."""

    key: str
    label: str
    members: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass
class TieStrength:
    """How strong ties are, and how strength differs across silos (docs/methods.md §Indicators)."""

    mean: float
    strong_share: float
    strong_threshold: float
    cross_silo_share: float
    cross_within_ratio: float


@dataclass
class RelationResult:
    """Every measure of one relation's graph in one wave."""

    key: str
    label: str
    symmetric: bool
    nonrespondents: str
    respondents: int
    graph: nx.DiGraph
    structure: StructureResult
    centralities: pd.DataFrame
    parity: pd.DataFrame
    differences: pd.DataFrame
    concentration: dict[str, float]
    ei: EIResult
    mixing: pd.DataFrame
    density: pd.DataFrame
    assortativity: float
    brokerage: pd.DataFrame
    bridging: dict[str, list[str]]
    communities: CommunityResult
    strength: TieStrength


@dataclass
class DecisionResult:
    """Who shapes decisions (docs/methods.md §Decision influence)."""

    decisions: list[tuple[str, str]]
    scores: pd.DataFrame
    parity: pd.DataFrame
    gini: float
    participation: pd.DataFrame
    voice: pd.DataFrame
    formal: pd.DataFrame
    named_by_group: pd.DataFrame
    voice_scale: tuple[float, float] = (float("nan"), float("nan"))


@dataclass
class WaveResult:
    """Everything measured in one wave."""

    wave: str
    label: str
    members: list[str]
    groups: list[Group]
    relations: dict[str, RelationResult]
    decisions: DecisionResult | None
    response: pd.DataFrame
    perceptions: pd.DataFrame
    worklist: Worklist
    combined: nx.DiGraph
    newcomers: list[str] = field(default_factory=list)
    previous_wave: str | None = None
    newcomer_degree: dict[str, float] = field(default_factory=dict)
    #: Relation key (or ``"decisions"``) -> members nobody was asked about in this wave
    #: (roster order): their ties in that relation are unknown, not absent. Only
    #: relations with someone not asked about are keys.
    not_asked: dict[str, list[str]] = field(default_factory=dict)
    #: Number of permutation tests in this wave's family (E-I of each relation, each
    #: focus group's difference on each power measure); the denominator of the
    #: Benjamini–Hochberg q-values stored beside each p-value.
    tests_run: int = 0
    #: Trust and value scores and dyadic agreement (:class:`~cpower_network.ratings.
    #: Ratings`), None when not computed.
    ratings: Ratings | None = None

    def group(self, key: str) -> Group:
        return next(g for g in self.groups if g.key == key)


@dataclass
class StudyInfo:
    """What a report needs to know about the study itself."""

    name: str
    waves: list[tuple[str, str]]
    relations: list[tuple[str, str]]
    focus_groups: list[tuple[str, str]]
    silo_label: str
    items: dict[str, tuple[str, str | None]]
    leadership_roles: list[str]


@dataclass
class Results:
    """The results of ``cpower analyze``: one wave, its indicators and data quality.

    Attributes
    ----------
    study : StudyInfo
    roster : DataFrame
        The roster (indexed by member id).
    wave : WaveResult
    quality : QualitySummary
    settings : AnalysisSettings
    seed : int
    version : str
        The cpower version that computed the results.
    indicators : object, optional
        The Collective Power indicators (:mod:`cpower_network.indicators`).
    anonymized : bool
        Whether names, organisations and free text were replaced by codes.
    """

    study: StudyInfo
    roster: pd.DataFrame
    wave: WaveResult
    quality: QualitySummary
    settings: AnalysisSettings
    seed: int
    version: str
    indicators: Any = None
    anonymized: bool = False

    def to_html(self, path, *, audience: str = "evaluator"):
        """Write the interactive report (see :func:`cpower_network.report.write_report`)."""
        from .report import write_report

        return write_report(self, path, audience=audience)

    def to_json(self, path, *, audience: str = "evaluator"):
        """Write the results as versioned JSON (see :mod:`cpower_network.results_json`):
        everything for ``audience="evaluator"``, group-level figures only for
        ``"retreat"``."""
        from .results_json import write_json

        return write_json(self, path, audience=audience)

    def export(self, format: str, path):
        """Write an export: gexf, graphml, kumu, csv or json (see
        :mod:`cpower_network.export`)."""
        from .export import export

        return export(self, format, path)

