"""Result objects: the only thing reports and exports see.

:func:`cpower_network.analysis.pipeline.analyze` fills them;
:mod:`cpower_network.export.results_json` saves them as versioned JSON. Tables are
pandas DataFrames, graphs networkx graphs, numbers plain Python floats and ints.

In a notebook, each object shows a one-line summary (its repr names counts and
configuration keys, never a member), :class:`Results` an HTML table, and a part looked
up by a name it does not have raises a :class:`KeyError` naming the valid names:

>>> import cpower_network as cp
>>> results = cp.analyze(cp.load_study(cp.example_study_path()), seed=1)
>>> results  # doctest: +NORMALIZE_WHITESPACE
<Results: Riverbend Child Care Coalition, wave '2025', 71 members, 6 relations
 (collaborate, trust, advice, influence, value, decisions), 5 indicators>
>>> results.wave.relations["collaborate"]  # doctest: +NORMALIZE_WHITESPACE
<RelationResult: 'collaborate' (Work together), directed, 71 members, 1,052 ties,
 density 0.21, 59 respondents>
>>> try:
...     results.wave.relations["colaborate"]
... except KeyError as error:
...     print(error)  # doctest: +NORMALIZE_WHITESPACE
'colaborate' is not a relation of this wave; relations: collaborate, trust, advice,
 influence, value, decisions; did you mean 'collaborate'?
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from ..common import handoff
from ..common import notebook as nb
from ..config.settings import AnalysisSettings
from ..ingest.summary import QualitySummary
from ..measures.community_detection import CommunityResult
from ..measures.crosssilo import EIResult
from ..measures.structure import StructureResult
from ..weave import Worklist
from .ratings import Ratings

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
    """A group of members results are broken down by (a focus group, or everyone).

    Attributes
    ----------
    key : str
        ``"all"`` for every member of the wave, else the focus group's key in
        ``cpower.toml``.
    label : str
        As reports show it.
    members : tuple of str
        Member ids (roster order).
    """

    key: str
    label: str
    members: tuple[str, ...]

    @property
    def size(self) -> int:
        """How many members the group has."""
        return len(self.members)

    def __repr__(self) -> str:
        return nb.bracket("Group", f"{self.key!r} ({nb.one_line(self.label, 50)}), "
                                   f"{nb.counted(self.size, 'member')}")


@dataclass
class TieStrength:
    """How strong ties are, and how strength differs across silos (docs/methods.md §Indicators).

    Attributes
    ----------
    mean : float
        Mean tie weight (each tie of an undirected relation counted once); NaN without
        ties.
    strong_share : float
        Share of ties of at least ``strong_threshold``.
    strong_threshold : float
        The relation's ``strong`` value in ``cpower.toml`` (default 1).
    cross_silo_share : float
        Share of ties joining members of different silos.
    cross_within_ratio : float
        Mean weight of ties across silos ÷ mean weight of ties within silos; NaN when
        either kind is missing.
    """

    mean: float
    strong_share: float
    strong_threshold: float
    cross_silo_share: float
    cross_within_ratio: float


@dataclass
class RelationResult:
    """Every measure of one relation's graph in one wave: ``results.wave.relations[key]``.

    "Members" below are the members of the wave whom some question of this relation
    asked about (members nobody was asked about are left out of every measure, see
    :attr:`WaveResult.not_asked`); tables indexed by member use the member id of the
    roster. Power measures are ``in_degree, in_strength, betweenness, pagerank,
    harmonic`` (:data:`POWER_MEASURES`); focus groups are the study's
    ``[focus_groups]`` keys.

    Attributes
    ----------
    key, label : str
        The relation's key in ``cpower.toml`` (``"collaborate"``) and its label.
    symmetric : bool
        The relation is mutual by nature (``symmetric`` in ``cpower.toml``). Whether it
        is measured as undirected (ties combined from both members' reports) is
        ``not graph.is_directed()``.
    nonrespondents : {"respondents", "union"}
        How ties of members who did not answer are read (``[analysis]``).
    respondents : int
        Members who answered a survey asking about this relation.
    graph : networkx.DiGraph or networkx.Graph
        The relation's graph: nodes are member ids (attributes ``silo``, ``respondent``
        and the focus-group flags), edges carry ``weight`` (the answer's value); an
        undirected relation is a ``networkx.Graph``.
    structure : StructureResult
        Whole-network figures: ``n_members, n_ties, isolates, density, reciprocity,
        transitivity, average_clustering, weak_components, largest_component_share,
        average_path_length, diameter, fragmentation, degree_centralization``.
    centralities : pandas.DataFrame
        One row per member (index ``member``: member id), columns ``in_degree,
        out_degree, in_strength, out_strength, betweenness, pagerank, harmonic, core``.
        With ``nonrespondents = "respondents"`` the ``out_`` columns are NaN for members
        who did not answer.
    parity : pandas.DataFrame
        One row per focus group and power measure (a ``RangeIndex``), columns ``group,
        measure, share, membership_share, parity, group_size, not_measured``: parity =
        share ÷ membership share (1 = fair share); ``not_measured`` says why ``share``
        and ``parity`` are NaN ("" when measured).
    differences : pandas.DataFrame
        One row per focus group and power measure (a ``RangeIndex``), columns ``group,
        measure, difference, mean_members, mean_rest, p_value, permutations, testable,
        withheld, q_value``: the difference of means (group − everyone else), its
        permutation p-value and Benjamini–Hochberg q-value; ``withheld`` says why a
        p-value is NaN ("" when given).
    concentration : dict of str to float
        ``gini_<measure>`` for each power measure and ``degree_centralization``; NaN
        without ties.
    ei : EIResult
        Krackhardt–Stern E-I index across silos: ``value, expected, p_value, q_value,
        permutations, internal, external, by_group`` (silo -> E-I), ``by_member``
        (member id -> E-I), ``response_rates``, ``testable``.
    mixing : pandas.DataFrame
        Silos × silos (index ``sender``, columns ``receiver``, both sorted): tie counts
        from each sender silo to each receiver silo (an undirected tie counts both ways).
    density : pandas.DataFrame
        Silos × silos like ``mixing``: ties ÷ possible pairs (block density); NaN where
        no pair exists.
    assortativity : float
        Attribute assortativity of ties by silo (−1 to 1).
    brokerage : pandas.DataFrame
        One row per member (index: member id), columns ``coordinator, itinerant,
        representative, gatekeeper, liaison, total``: Gould–Fernandez brokerage role
        counts; empty (no rows) for an undirected relation.
    bridging : dict of str to list of str
        Member id -> the other silos they are tied to, for members tied into at least
        two silos besides their own.
    communities : CommunityResult
        ``partition`` (member id -> community, 0 the largest), ``count``,
        ``modularity``, ``ami``/``nmi`` against silos, and how many runs agreed.
    strength : TieStrength
        Mean tie strength, share of strong ties, strength across versus within silos.
    """

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

    def __repr__(self) -> str:
        shape = "undirected" if not self.graph.is_directed() else "directed"
        return nb.bracket("RelationResult", (
            f"{self.key!r} ({nb.one_line(self.label, 40)}), {shape}, "
            f"{nb.counted(self.structure.n_members, 'member')}, "
            f"{nb.counted(self.structure.n_ties, 'tie')}, "
            f"density {nb.number(self.structure.density)}, "
            f"{nb.counted(self.respondents, 'respondent')}"))


@dataclass
class DecisionResult:
    """Who shapes decisions (docs/methods.md §Decision influence):
    ``results.wave.decisions``.

    Attributes
    ----------
    decisions : list of (str, str)
        ``(key, label)`` of each decision asked about, in survey order.
    scores : pandas.DataFrame
        One row per member (index: member id), columns ``named`` (times named as shaping
        a decision, weighted), ``share`` (of all nominations), ``pagerank`` (on the
        influence graph), ``rank`` (1 = most named).
    parity : pandas.DataFrame
        One row per focus group (index: group key), columns ``share, membership_share,
        parity, group_size``: the group's share of decision influence ÷ its share of
        members.
    gini : float
        Gini coefficient of ``named`` (0 everyone equally named, 1 one person); NaN
        when nobody was named.
    participation : pandas.DataFrame
        One row per decision (index: decision key), one column per group (``all`` and
        each focus group): share of the group's respondents who took part.
    voice : pandas.DataFrame
        One row per focus group (index: group key), columns ``mean, others, gap,
        answers``: mean "my input shaped the outcome" of the group and of everyone
        else.
    formal : pandas.DataFrame
        One row per member (index: member id, most influential first), columns ``role,
        leader, named, rank, informal_leader`` (top 10 % by influence without a
        leadership role).
    named_by_group : pandas.DataFrame
        One row per decision (index: decision key), one column per focus group: share of
        that decision's nominations that went to the group's members.
    voice_scale : (float, float)
        Lowest and highest value of the voice question's scale (NaN, NaN without one).
    """

    decisions: list[tuple[str, str]]
    scores: pd.DataFrame
    parity: pd.DataFrame
    gini: float
    participation: pd.DataFrame
    voice: pd.DataFrame
    formal: pd.DataFrame
    named_by_group: pd.DataFrame
    voice_scale: tuple[float, float] = (float("nan"), float("nan"))

    def __repr__(self) -> str:
        return nb.bracket("DecisionResult", (
            f"{nb.counted(len(self.decisions), 'decision')} "
            f"({nb.listing(k for k, _ in self.decisions)}), "
            f"{nb.counted(len(self.scores), 'member')} scored, "
            f"influence Gini {nb.number(self.gini)}"))


@dataclass
class WaveResult:
    """Everything measured in one wave: ``results.wave``.

    Attributes
    ----------
    wave, label : str
        The wave's key in ``cpower.toml`` and its label.
    members : list of str
        Member ids of the wave (roster order).
    groups : list of Group
        ``all`` (every member) first, then each focus group; :meth:`group` finds one by
        key.
    relations : dict of str to RelationResult
        Relation key -> its measures, in ``cpower.toml`` order (``"decisions"`` last, for
        the influence graph, when decisions were asked). An unknown key raises a
        ``KeyError`` naming the relations.
    decisions : DecisionResult or None
        Decision influence; None when no survey asked about decisions.
    response : pandas.DataFrame
        One row per group (index: ``all`` then each focus group key), columns
        ``members, respondents, rate``.
    perceptions : pandas.DataFrame
        One row per perception item and group (a ``RangeIndex``), columns ``item, group,
        mean, answers, others, gap, scale_min, scale_max``: gap = the group's mean −
        everyone else's (NaN for ``all``).
    worklist : Worklist
        The weaver's worklist: isolates, pendants, gatekeepers, silo gaps, suggested
        introductions.
    combined : networkx.DiGraph
        Every member with a tie in any relation ("in touch"); nodes are member ids.
    newcomers : list of str
        Members new since ``previous_wave`` (empty for the first wave).
    previous_wave : str or None
    newcomer_degree : dict of str to float
        ``newcomers``, ``returning`` (mean contacts in ``combined``) and
        ``newcomer_count``; empty for the first wave.
    not_asked : dict of str to list of str
        Relation key (or ``"decisions"``) -> member ids nobody was asked about in this
        wave: their ties in that relation are unknown, not absent.
    tests_run : int
        Permutation tests in the wave's family (the denominator of the q-values).
    ratings : Ratings or None
        Trust and value scores and dyadic agreement; None when not computed.
    """

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
    #: Trust and value scores and dyadic agreement (:class:`~cpower_network.results.ratings.
    #: Ratings`), None when not computed.
    ratings: Ratings | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.relations, nb.Keyed):
            self.relations = nb.Keyed(self.relations, what="a relation",
                                      plural="relations", where="this wave")

    def group(self, key: str) -> Group:
        """The group ``key`` (``"all"`` or a focus group's key).

        Raises
        ------
        KeyError
            No group has that key (the message names the groups).
        """
        return nb.find(self.groups, key, name=lambda g: g.key, what="a group",
                       plural="groups", where="this wave")

    def __repr__(self) -> str:
        return nb.bracket("WaveResult", (
            f"{self.wave!r} ({nb.one_line(self.label, 40)}), "
            f"{nb.counted(len(self.members), 'member')}, "
            f"{nb.counted(len(self.groups) - 1, 'focus group')}, "
            f"{nb.counted(len(self.relations), 'relation')} "
            f"({nb.listing(self.relations)}), "
            f"{nb.counted(len(self.newcomers), 'newcomer')}"))


@dataclass
class StudyInfo:
    """What a report needs to know about the study itself.

    Attributes
    ----------
    name : str
    waves, relations, focus_groups : list of (str, str)
        ``(key, label)`` of each, in ``cpower.toml`` order.
    silo_label : str
        What silos are called (``"sector"``).
    items : dict of str to (str, str or None)
        Perception item key -> (its wording, the milestone it is evidence for).
    leadership_roles : list of str
        Roster roles read as formal leadership.
    """

    name: str
    waves: list[tuple[str, str]]
    relations: list[tuple[str, str]]
    focus_groups: list[tuple[str, str]]
    silo_label: str
    items: dict[str, tuple[str, str | None]]
    leadership_roles: list[str]

    def __repr__(self) -> str:
        return nb.bracket("StudyInfo", (
            f"{nb.one_line(self.name)}, {nb.counted(len(self.waves), 'wave')}, "
            f"{nb.counted(len(self.relations), 'relation')}, "
            f"{nb.counted(len(self.focus_groups), 'focus group')}"))


@dataclass
class Results:
    """The results of ``cpower analyze``: one wave, its indicators and data quality.

    Attributes
    ----------
    study : StudyInfo
        The study's name, waves, relations and focus groups (keys and labels).
    roster : pandas.DataFrame
        One row per member of the study (index ``member_id``), columns ``name, silo``
        then the roster's other columns (``organisation, role, leader, consent`` where
        configured) and one boolean column per focus group.
    wave : WaveResult
        Everything measured in the wave: ``results.wave.relations["collaborate"]``,
        ``results.wave.decisions``, ``results.wave.response``…
    quality : QualitySummary
        Members, silos, answers read and set aside per wave, errors and warnings.
    settings : AnalysisSettings
        The ``[analysis]`` settings used.
    seed : int
    version : str
        The cpower version that computed the results.
    indicators : Indicators, optional
        The Collective Power indicators (:mod:`cpower_network.indicators`):
        ``results.indicators["cohesion"].band``; ``.findings`` holds the top findings.
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
        return handoff.write("report", self, path, audience=audience)

    def to_json(self, path, *, audience: str = "evaluator"):
        """Write the results as versioned JSON (see :mod:`cpower_network.export.results_json`):
        everything for ``audience="evaluator"``, group-level figures only for
        ``"retreat"``."""
        return handoff.write("results_json", self, path, audience=audience)

    def export(self, format: str, path):
        """Write an export: gexf, graphml, kumu, csv or json (see
        :mod:`cpower_network.export`)."""
        return handoff.write("export", self, format, path)

    def __repr__(self) -> str:
        relations = self.wave.relations
        parts = [nb.one_line(self.study.name), f"wave {self.wave.wave!r}",
                 nb.counted(len(self.wave.members), "member"),
                 f"{nb.counted(len(relations), 'relation')} ({nb.listing(relations)})"]
        if self.indicators is not None:
            parts.append(nb.counted(len(self.indicators.milestones), "indicator"))
        if self.anonymized:
            parts.append("anonymised")
        return nb.bracket("Results", ", ".join(parts))

    def _repr_html_(self) -> str:
        """A compact HTML summary for notebooks: the study, the wave, the indicator
        bands and the top three findings (every string escaped; no script)."""
        study, wave = self.study, self.wave
        facts = [
            ("Study", study.name),
            ("Wave", nb.wave_heading(wave.wave, wave.label)),
            ("Waves in the study", ", ".join(k for k, _ in study.waves)),
            ("Members", f"{len(wave.members):,}" + _respondents(wave)),
            ("Relations", ", ".join(r.label for r in wave.relations.values()) or "none"),
            ("Focus groups", ", ".join(f"{g.label} ({g.size})" for g in wave.groups[1:])
             or "none"),
            ("Seed", f"{self.seed}" + (", anonymised" if self.anonymized else "")),
        ]
        parts = [nb.facts_table(f"cpower results: {nb.one_line(study.name, 80)}", facts)]
        if self.indicators is not None:
            rows = [(i.label, i.band, nb.score_text(i.score))
                    for i in self.indicators.milestones]
            parts.append(nb.band_table("Collective Power indicators",
                                       ("Indicator", "Band", "Score"), rows))
            parts.append(nb.sentence_list("Top findings",
                                          [f.text for f in self.indicators.findings[:3]]))
        return nb.summary_block(*parts)


def _respondents(wave: WaveResult) -> str:
    """`` (59 answered)`` from the wave's response table, "" without one."""
    try:
        answered = int(wave.response.loc["all", "respondents"])
    except (KeyError, TypeError, ValueError):
        return ""
    return f" ({answered:,} answered)"

