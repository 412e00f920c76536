"""Assemble every measure of a study into :class:`~cpower_network.results.model.Results`.

This is the only way the rest of the code (report, exports, wave comparison, CLI) gets
measures: it builds the graphs, calls each measure's one function, and keeps the
results. Randomness (permutations, community runs) flows from one ``seed``.

This module holds the steps themselves: :func:`analyze` (one wave into results),
:func:`measure_wave` (every relation, decisions, worklist, ratings of a wave, with the
q-values of its tests) and :func:`measure_relation` (every measure of one relation). The
parts they call live beside it: :mod:`.members` (who is measured), :mod:`.centralities`,
:mod:`.group_tables` (focus groups' parity and permutation tests), :mod:`.decisions`,
:mod:`.perceptions` and :mod:`.deferred` (how costly computations are started).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import networkx as nx
import numpy as np
import pandas as pd

from .._version import __version__
from ..config import groups as groups_policy
from ..config.settings import AnalysisSettings
from ..graphs import DECISIONS, any_tie_graph, build_graph, contact_graph, relation_keys
from ..ingest import Study
from ..ingest.summary import quality_summary
from ..measures.brokerage import ROLES, brokerage_roles
from ..measures.centrality import member_centralities
from ..measures.community_detection import communities
from ..measures.crosssilo import EIResult, assortativity, bridging_members, ei_index, mixing_matrix
from ..measures.inference import (
    ALPHA,
    MIN_DRAWS,
    bh_q_values,
    check_seed,
    draws_for_family,
)
from ..measures.parallel import available_cores
from ..measures.parity import degree_centralization, gini
from ..measures.response import response_rates
from ..measures.structure import StructureResult, network_structure
from ..results.model import (
    POWER_MEASURES,
    Group,
    RelationResult,
    Results,
    StudyInfo,
    TieStrength,
    WaveResult,
)
from ..results.ratings import wave_ratings
from ..weave import worklist
from ..weave.study import focus_labels
from .centralities import centralities_of
from .decisions import measure_decisions
from .deferred import Submit, _draw, run_now
from .group_tables import _difference_table_later, parity_table
from .members import _newcomer_degree, _previous_wave, observed_groups, observed_part, wave_groups
from .perceptions import perception_scales, perception_summary

Progress = Callable[[str], None]
OUT_MEASURES = ("out_degree", "out_strength")


def analyze(study: Study, wave: str | None = None, *, seed: int | None = None,
            settings: AnalysisSettings | None = None, progress: Progress | None = None,
            engine: str = "igraph") -> Results:
    """Measure one wave of a study: every relation, decisions, the weaver's worklist.

    Parameters
    ----------
    study : Study
    wave : str, optional
        The wave to analyse (default: the latest).
    seed : int, optional
        Seed for permutation tests and community detection (default: the study's seed).
    settings : AnalysisSettings, optional
        Default: the study's ``[analysis]`` settings.
    progress : callable, optional
        Called with a short message at each stage.
    engine : {"igraph", "networkx"}
        Where heavy centralities are computed.

    Returns
    -------
    Results

    Examples
    --------
    >>> import cpower_network as cp
    >>> study = cp.load_study(cp.example_study_path())
    >>> results = analyze(study, "2025", seed=1)
    >>> sorted(results.wave.relations)[:2]
    ['advice', 'collaborate']
    """
    settings = settings or study.config.analysis
    seed = study.config.seed if seed is None else check_seed(seed)
    key = study.wave(wave).key
    result = measure_wave(study, key, seed=seed, settings=settings, progress=progress,
                          engine=engine)
    results = Results(study=study_info(study), roster=study.roster.copy(), wave=result,
                      quality=quality_summary(study), settings=settings, seed=seed,
                      version=__version__)
    from ..indicators import compute_indicators

    results.indicators = compute_indicators(results, study.config.indicators)
    return results


def study_info(study: Study) -> StudyInfo:
    config = study.config
    return StudyInfo(
        name=config.name,
        waves=[(k, w.label) for k, w in config.waves.items()],
        relations=[(k, r.label) for k, r in config.relations.items()],
        focus_groups=[(g.key, g.label) for g in config.focus_groups],
        silo_label=config.roster.silo,
        items={k: (i.text, i.milestone) for k, i in config.items.items()},
        leadership_roles=list(config.roster.leadership_roles),
    )


def measure_wave(study: Study, wave: str, *, seed: int, settings: AnalysisSettings,
                 progress: Progress | None = None, engine: str = "igraph") -> WaveResult:
    """Every measure of one wave (see :func:`analyze`)."""
    say = progress or (lambda _message: None)
    data = study.wave(wave)
    groups = wave_groups(study, data.members)
    rng = np.random.default_rng(seed)
    say(f"building the graphs ({wave})")
    graphs = {key: build_graph(study, key, wave, nonrespondents=settings.nonrespondents)
              for key in relation_keys(study, wave)}
    say(f"computing centralities ({wave}: {', '.join(graphs) or 'no relations'})")
    tables = centralities_of(graphs, engine=engine)
    family = len(graphs) * (1 + len(groups[1:]) * len(POWER_MEASURES))
    with ThreadPoolExecutor(max_workers=available_cores()) as pool:
        measured = {}
        for key, G in graphs.items():
            say(f"measuring {key} ({wave})")
            observed, table = observed_part(G, tables[key])
            measured[key] = relation_measurer(
                observed, observed_groups(groups, observed), rng=rng, settings=settings,
                engine=engine, centralities=table, family=family, submit=pool.submit)
        # what needs no p-value is done while the pool draws the refined permutations
        decisions = None
        if DECISIONS in graphs:
            observed, _ = observed_part(graphs[DECISIONS], None)
            decisions = measure_decisions(study, wave, observed,
                                          observed_groups(groups, observed))
        say(f"building the weaver's worklist ({wave})")
        combined = any_tie_graph(study, wave, graphs)
        work = worklist(contact_graph(study, wave, graphs), focus=study.focus_groups,
                        top=settings.introductions, focus_labels=focus_labels(study))
        say(f"scoring trust, value and agreement ({wave})")
        ratings = wave_ratings(study, wave, settings=settings, seed=seed)
        say(f"finishing the permutation tests ({wave})")
        relations = {key: finish() for key, finish in measured.items()}
    relations, tests_run = with_q_values(relations)
    previous = _previous_wave(study, wave)
    before = set(study.waves[previous].members) if previous else set()
    newcomers = [m for m in data.members if previous and m not in before]
    return WaveResult(
        wave=wave, label=data.label, members=list(data.members), groups=groups,
        relations=relations, decisions=decisions,
        response=response_rates(data.members, data.respondents(),
                                {g.key: g.members for g in groups[1:]}),
        perceptions=perception_summary(data.perceptions, groups,
                                       perception_scales(study, wave)),
        worklist=work, combined=combined, newcomers=newcomers, previous_wave=previous,
        newcomer_degree=_newcomer_degree(combined, newcomers) if previous else {},
        not_asked={key: list(G.graph["not_asked"]) for key, G in graphs.items()
                   if G.graph.get("not_asked")},
        tests_run=tests_run, ratings=ratings,
    )


def with_q_values(relations: dict[str, RelationResult]
                  ) -> tuple[dict[str, RelationResult], int]:
    """The wave's relation results with Benjamini–Hochberg q-values, and the family size.

    The family is every test the wave's report lists: each relation's E-I and each focus
    group's difference on each power measure, except tests that were withheld (group
    under ``suppress_group``) or cannot reject (``testable`` False). q-values go to
    ``ei.q_value`` and the ``q_value`` column of ``differences`` (NaN outside the family).

    >>> with_q_values({})
    ({}, 0)
    """
    entries: list[tuple[str, object]] = []
    p_values: list[float] = []
    for key, result in relations.items():
        if result.ei.testable and math.isfinite(result.ei.p_value):
            entries.append((key, None))
            p_values.append(result.ei.p_value)
        table = result.differences
        for index in table.index[table["testable"].astype(bool) & table["p_value"].notna()]:
            entries.append((key, index))
            p_values.append(float(table.at[index, "p_value"]))
    q_values = bh_q_values(p_values)
    found = {key: replace(r, differences=r.differences.assign(q_value=math.nan))
             for key, r in relations.items()}
    for (key, index), q in zip(entries, q_values, strict=True):
        if index is None:
            found[key] = replace(found[key], ei=replace(found[key].ei, q_value=q))
        else:
            found[key].differences.at[index, "q_value"] = q
    return found, len(p_values)


#: What is not measured on an undirected relation, and why (``G.graph["not_measured"]``).
UNDIRECTED_NOT_MEASURED = {
    "reciprocity": "not measured: the relation is undirected, so every tie is mutual by "
                   "construction (how often both members reported a tie is in the "
                   "relation's note on how reports were combined)",
    "brokerage": "not measured: Gould–Fernandez brokerage roles follow ties from one "
                 "member to the next, and the relation is undirected",
}


def measure_relation(G: nx.Graph, groups: list[Group], *, rng: np.random.Generator,
                     settings: AnalysisSettings, engine: str = "igraph",
                     centralities: pd.DataFrame | None = None,
                     family: int = 1) -> RelationResult:
    """Every measure of one relation graph (``centralities`` if already computed).

    Permutation tests draw ``settings.permutations`` relabellings; when that is None
    (the default, "enough"), each test first draws 1,000, and a test that lands at
    p ≤ 0.05 is drawn again with :func:`~cpower_network.measures.inference.draws_for_family`
    draws for a family of ``family`` tests, so its q-value is precise (a fresh p-value
    from the larger set replaces the first, which keeps the test valid).

    A directed relation (``nx.DiGraph``: u → v is u's report) is measured as described
    in :mod:`cpower_network.measures`. An undirected relation (``nx.Graph``, its ties
    combined from both members' reports) is measured as undirected throughout:

    =====================  ===========================================================
    measure family         on an undirected relation
    =====================  ===========================================================
    density                m / (n(n − 1)/2): ties over pairs, not ordered pairs
    degree, strength       ``in_`` and ``out_`` columns both hold the degree (number of
                           contacts) and strength (sum of tie weights); never blanked
                           for non-respondents (the rule applied is "union")
    betweenness            unordered pairs, 2/((n − 1)(n − 2)), as networkx's undirected
    PageRank               networkx's undirected PageRank (each edge both ways)
    harmonic closeness     distances along edges, /(n − 1)
    core number            on degree (a tie counts once)
    centralisation         Freeman degree centralisation over (n − 1)(n − 2)
    reciprocity            not measured (NaN): every tie is mutual by construction
    E-I, mixing            each tie once in the whole-network E-I; once from each end
                           in silo rows and members' E-I (a symmetric matrix)
    brokerage roles        not measured (empty table): Gould–Fernandez roles need the
                           direction of flow
    communities, strength  unchanged: Leiden and tie strength read each tie once
    =====================  ===========================================================

    The reasons for what is not measured are in ``G.graph["not_measured"]`` (empty for
    a directed relation).
    """
    return relation_measurer(G, groups, rng=rng, settings=settings, engine=engine,
                             centralities=centralities, family=family, submit=run_now)()


def relation_measurer(G: nx.Graph, groups: list[Group], *, rng: np.random.Generator,
                      settings: AnalysisSettings, engine: str = "igraph",
                      centralities: pd.DataFrame | None = None, family: int = 1,
                      submit: Submit) -> Callable[[], RelationResult]:
    """:func:`measure_relation`, with its costly redrawn tests handed to ``submit``.

    Everything is computed, and every seed drawn from ``rng``, in the same order as
    :func:`measure_relation`; only the tests drawn again with more draws run through
    ``submit`` (e.g. a thread pool's, so several run at once while this thread goes on).
    The whole-network structure (all-pairs path lengths) goes through ``submit`` too. The
    returned function waits for them and gives the result, the same whichever way they
    ran.
    """
    if centralities is None:
        centralities = member_centralities(G, engine=engine)
    centralities = centralities.copy()
    if G.graph.get("nonrespondents") == "respondents":
        silent = [v for v, answered in G.nodes(data="respondent") if not answered]
        centralities.loc[silent, list(OUT_MEASURES)] = float("nan")
    focus = groups[1:]
    _small, suppress_group = groups_policy.thresholds(settings)  # the study's own
    ei = _ei_test(G, rng=rng, permutations=settings.permutations, family=family,
                  submit=submit)
    G.graph["not_measured"] = {} if G.is_directed() else dict(UNDIRECTED_NOT_MEASURED)
    structure = submit(relation_structure, G, engine=engine)  # all-pairs paths: costly
    parity = parity_table(centralities, focus, suppress_group=suppress_group)
    differences = _difference_table_later(centralities, focus, rng=rng,
                                          permutations=settings.permutations,
                                          suppress_group=suppress_group, family=family,
                                          submit=submit)
    found = {
        "concentration": concentration(G, centralities),
        "mixing": mixing_matrix(G, "silo"),
        "density": mixing_matrix(G, "silo", normalized=True),
        "assortativity": assortativity(G, "silo"),
        "brokerage": relation_brokerage(G, "silo"),
        "bridging": bridging_members(G, "silo"),
        "communities": communities(G, seed=_draw(rng), resolution=settings.resolution,
                                   attribute="silo"),
        "strength": tie_strength(G),
    }

    def finish() -> RelationResult:
        return RelationResult(
            key=G.graph["relation"], label=G.graph["label"], symmetric=G.graph["symmetric"],
            nonrespondents=G.graph["nonrespondents"], respondents=G.graph["respondents"],
            graph=G, structure=structure.result(), centralities=centralities, parity=parity,
            differences=differences(), ei=ei(), **found)

    return finish


def _ei_test(G: nx.Graph, *, rng: np.random.Generator, permutations: int | None,
             family: int, submit: Submit) -> Callable[[], EIResult]:
    """The relation's E-I test; with ``permutations=None``, drawn again (through
    ``submit``) with :func:`~cpower_network.measures.inference.draws_for_family` draws
    when the first 1,000 give p ≤ 0.05."""
    first = MIN_DRAWS if permutations is None else permutations
    ei = ei_index(G, "silo", permutations=first, seed=_draw(rng))
    if permutations is None and ei.testable and ei.p_value <= ALPHA:
        more = draws_for_family(family, G.number_of_edges())
        if more > first:
            return submit(ei_index, G, "silo", permutations=more, seed=_draw(rng)).result
    return lambda: ei


def relation_structure(G: nx.Graph, *, engine: str = "igraph") -> StructureResult:
    """:func:`~cpower_network.measures.structure.network_structure`, with reciprocity not
    measured (NaN) on an undirected relation, where it would be 1 by construction.

    >>> relation_structure(nx.Graph([("a", "b")])).reciprocity
    nan
    >>> relation_structure(nx.DiGraph([("a", "b")])).reciprocity
    0.0
    """
    structure = network_structure(G, engine=engine)
    return structure if G.is_directed() else replace(structure, reciprocity=math.nan)


def relation_brokerage(G: nx.Graph, attribute: str) -> pd.DataFrame:
    """Gould–Fernandez brokerage roles of a directed relation; an empty table (no member
    measured) for an undirected one, whose ties have no direction of flow.

    >>> relation_brokerage(nx.Graph([("a", "b")]), "silo").empty
    True
    """
    if G.is_directed():
        return brokerage_roles(G, attribute)
    return pd.DataFrame({role: pd.Series(dtype="int64") for role in (*ROLES, "total")})


def concentration(G: nx.Graph, centralities: pd.DataFrame) -> dict[str, float]:
    """Gini of each power measure, and Freeman in-degree centralisation (degree
    centralisation over (n − 1)(n − 2) for an undirected relation)."""
    if not G.number_of_edges():  # every score equal by construction: not measured
        return {**{f"gini_{m}": math.nan for m in POWER_MEASURES},
                "degree_centralization": math.nan}
    found = {f"gini_{m}": gini(centralities[m].tolist()) for m in POWER_MEASURES}
    found["degree_centralization"] = degree_centralization(G, direction="in")
    return found


def tie_strength(G: nx.Graph) -> TieStrength:
    """Mean tie strength, share of strong ties, and strength across versus within silos
    (each tie of an undirected relation counted once)."""
    weights = np.array([w for _, _, w in G.edges(data="weight")], dtype=float)
    cross = np.array([G.nodes[u]["silo"] != G.nodes[v]["silo"] for u, v in G.edges()],
                     dtype=bool)
    threshold = float(G.graph.get("strong", 1.0))
    if not weights.size:
        nan = float("nan")
        return TieStrength(nan, nan, threshold, nan, nan)
    within = weights[~cross].mean() if (~cross).any() else float("nan")
    across = weights[cross].mean() if cross.any() else float("nan")
    return TieStrength(
        mean=float(weights.mean()),
        strong_share=float((weights >= threshold).mean()),
        strong_threshold=threshold,
        cross_silo_share=float(cross.mean()),
        cross_within_ratio=float(across / within) if within == within and within else
        float("nan"),
    )
