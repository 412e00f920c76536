"""Assemble every measure of a study into :class:`~cpower_network.results.model.Results`.

This is the only way the rest of the code (report, exports, wave comparison, CLI) gets
measures: it builds the graphs, calls each measure's one function, and keeps the
results. Randomness (permutations, community runs) flows from one ``seed``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

import networkx as nx
import numpy as np
import pandas as pd

from .._version import __version__
from ..common.wording import counted
from ..config import groups as groups_policy
from ..config.settings import AnalysisSettings
from ..graphs import DECISIONS, any_tie_graph, build_graph, contact_graph, relation_keys, unobserved
from ..ingest import Study
from ..ingest.summary import quality_summary
from ..measures.brokerage import ROLES, brokerage_roles
from ..measures.centrality import member_centralities
from ..measures.communities import communities
from ..measures.crosssilo import EIResult, assortativity, bridging_members, ei_index, mixing_matrix
from ..measures.decisions import (
    decision_parity,
    formal_and_informal,
    influence_gini,
    influence_scores,
    participation_by_group,
    voice_by_group,
)
from ..measures.inference import (
    ALPHA,
    MIN_DRAWS,
    NOT_TESTABLE,
    bh_q_values,
    check_seed,
    draws_for_family,
)
from ..measures.parallel import available_cores, centralities_in_processes
from ..measures.parity import (
    degree_centralization,
    gini,
    group_differences,
    group_parity,
    is_constant,
)
from ..measures.response import response_rates
from ..measures.structure import StructureResult, network_structure
from ..results.model import (
    MEASURE_LABELS,
    POWER_MEASURES,
    DecisionResult,
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


def wave_groups(study: Study, members: list[str]) -> list[Group]:
    """Everyone, then each focus group, restricted to ``members``."""
    roster = study.roster
    groups = [Group("all", "All members", tuple(members))]
    for focus in study.config.focus_groups:
        flags = roster.loc[members, focus.key].astype(bool)
        groups.append(Group(focus.key, focus.label, tuple(flags[flags].index)))
    return groups


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
        say(f"finishing the permutation tests ({wave})")
        relations = {key: finish() for key, finish in measured.items()}
    relations, tests_run = with_q_values(relations)
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


def observed_part(G: nx.Graph, centralities: pd.DataFrame | None
                  ) -> tuple[nx.Graph, pd.DataFrame | None]:
    """The graph among the members somebody was asked about, and their centralities.

    A member no question of the relation asked about (``asked`` False: no column in its
    grid) has ties nobody could report, so every measure of the relation (density,
    centralities, parity, E-I, silo mixing, brokerage, communities, decision influence)
    is computed among the others; ``G.graph["not_asked"]`` still lists them. A graph in
    which everyone was asked about is returned as it is.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b"), ("g", "a")], not_asked=["g"])
    >>> nx.set_node_attributes(G, {"a": True, "b": True, "g": False}, "asked")
    >>> H, _ = observed_part(G, None)
    >>> sorted(H), H.graph["not_asked"], H.graph["measured_among"]
    (['a', 'b'], ['g'], 2)
    """
    left_out = unobserved(G)
    if not left_out:
        return G, centralities
    H = G.subgraph([v for v in G if v not in left_out]).copy()
    H.graph["measured_among"] = H.number_of_nodes()
    table = None if centralities is None else centralities.drop(index=list(left_out),
                                                                errors="ignore")
    return H, table


def observed_groups(groups: list[Group], G: nx.Graph) -> list[Group]:
    """``groups`` restricted to the members of ``G`` (see :func:`observed_part`)."""
    if all(m in G for g in groups for m in g.members):
        return groups
    return [replace(g, members=tuple(m for m in g.members if m in G)) for g in groups]


def _previous_wave(study: Study, wave: str) -> str | None:
    keys = list(study.waves)
    index = keys.index(wave)
    return keys[index - 1] if index > 0 else None


def _newcomer_degree(G: nx.DiGraph, newcomers: list[str]) -> dict[str, float]:
    """Mean number of contacts (either direction) of newcomers and of returning members.

    Members nobody was asked about (node attribute ``asked`` False) have unobserved
    ties, not zero contacts: they are left out of both means and counted apart, under
    ``newcomers_not_asked`` and ``returning_not_asked`` (keys present only when not 0).

    Parameters
    ----------
    G : networkx.DiGraph
        The wave's any-tie graph.
    newcomers : list of str
        Members who joined since the previous wave.

    Returns
    -------
    dict of str to float
        ``newcomers`` and ``returning`` (means, NaN when nobody is left to average) and
        ``newcomer_count`` (newcomers in the mean).

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b"), ("a", "c"), ("b", "c")])
    >>> G.add_node("g", asked=False)
    >>> _newcomer_degree(G, ["c", "g"])
    {'newcomers': 2.0, 'returning': 2.0, 'newcomer_count': 1.0, 'newcomers_not_asked': 1.0}
    """
    U = G.to_undirected(as_view=True)
    new = set(newcomers)
    unknown = unobserved(G)
    degree = dict(U.degree())
    newcomer = [degree[v] for v in U if v in new and v not in unknown]
    returning = [degree[v] for v in U if v not in new and v not in unknown]
    found = {"newcomers": float(np.mean(newcomer)) if newcomer else float("nan"),
             "returning": float(np.mean(returning)) if returning else float("nan"),
             "newcomer_count": float(len(newcomer))}
    left_out = {"newcomers_not_asked": float(len(unknown & new)),
                "returning_not_asked": float(len(unknown - new))}
    found.update({key: count for key, count in left_out.items() if count})
    return found


#: Above this many arcs in a wave, each relation's centralities run in their own process.
PARALLEL_MIN_ARCS = 50_000


def centralities_of(graphs: dict[str, nx.DiGraph], *, engine: str = "igraph",
                    workers: int | None = None) -> dict[str, pd.DataFrame]:
    """Every relation's member centralities, the exact path measures of large waves
    spread over the cores.

    Waves with more than :data:`PARALLEL_MIN_ARCS` arcs share their betweenness and
    harmonic closeness, in pieces, between this process and worker processes (see
    :mod:`cpower_network.measures.parallel`). The pieces depend only on the graphs, so the
    results are the same whichever way they run.
    """
    arcs = sum(G.number_of_edges() for G in graphs.values())
    workers = workers or available_cores()
    if arcs < PARALLEL_MIN_ARCS or workers < 2:
        return {key: member_centralities(G, engine=engine) for key, G in graphs.items()}
    return centralities_in_processes(graphs, engine=engine, workers=workers)


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


#: How a costly computation is started: ``submit(fn, *args, **kwargs)`` gives a Future.
Submit = Callable[..., Future]


def run_now(fn: Callable[..., object], *args: object, **kwargs: object) -> Future:
    """A Future already holding ``fn(*args, **kwargs)`` (computed here, at once)."""
    done: Future = Future()
    done.set_result(fn(*args, **kwargs))
    return done


def _draw(rng: np.random.Generator) -> int:
    return int(rng.integers(0, 2**31 - 1))


def parity_table(centralities: pd.DataFrame, groups: list[Group], *,
                 suppress_group: int = 3) -> pd.DataFrame:
    """Share, membership share and parity ratio of each group for each power measure.

    ``not_measured`` says why ``share`` and ``parity`` are NaN: a group under
    ``suppress_group`` members (its "share" would be one person's score) or a measure that
    does not vary (uniform PageRank on a network without ties gives parity 1 for anyone).
    """
    flat = _constant_measures(centralities)
    rows = []
    for group in groups:
        for measure in POWER_MEASURES:
            result = group_parity(centralities[measure], list(group.members))
            reason = (groups_policy.group_reason(result.group_size, suppress=suppress_group)
                      or flat[measure])
            nan = math.nan
            rows.append((group.key, measure, nan if reason else result.share,
                         result.membership_share, nan if reason else result.parity,
                         result.group_size, reason or ""))
    return pd.DataFrame(rows, columns=["group", "measure", "share", "membership_share",
                                       "parity", "group_size", "not_measured"])


def _constant_measures(centralities: pd.DataFrame) -> dict[str, str]:
    """Power measure -> "<label> does not vary: every member equal" ("" when it varies)."""
    return {m: "" if not is_constant(centralities[m])
            else f"{MEASURE_LABELS.get(m, m)} does not vary: every member equal"
            for m in POWER_MEASURES}


def difference_table(centralities: pd.DataFrame, groups: list[Group], *,
                     rng: np.random.Generator, permutations: int | None,
                     suppress_group: int = 3, family: int = 1) -> pd.DataFrame:
    """Difference of group means for each power measure, with permutation p-values.

    Columns: ``group``, ``measure``, ``difference``, ``mean_members``, ``mean_rest``,
    ``p_value``, ``permutations`` (draws behind it), ``testable`` (the null can reach
    p ≤ 0.05), ``withheld`` (why the p-value is not given: a measure that does not vary,
    a group under ``suppress_group`` members, or a null that cannot reject; empty when
    given). A withheld p-value is NaN; so is the difference of a measure that does not
    vary. ``permutations=None`` draws as :func:`measure_relation` says.
    """
    return _difference_table_later(centralities, groups, rng=rng, permutations=permutations,
                                   suppress_group=suppress_group, family=family,
                                   submit=run_now)()


def _difference_table_later(centralities: pd.DataFrame, groups: list[Group], *,
                            rng: np.random.Generator, permutations: int | None,
                            suppress_group: int, family: int,
                            submit: Submit) -> Callable[[], pd.DataFrame]:
    """:func:`difference_table`, its redrawn tests run through ``submit``."""
    flat = _constant_measures(centralities)
    tests = [(group, _group_tests(centralities[list(POWER_MEASURES)], list(group.members),
                                  rng=rng, permutations=permutations, family=family,
                                  submit=submit))
             for group in groups]
    return lambda: _difference_rows(flat, [(g, found()) for g, found in tests],
                                    suppress_group)


def _difference_rows(flat: dict[str, str], tests: list[tuple[Group, pd.DataFrame]],
                     suppress_group: int) -> pd.DataFrame:
    """The difference table from each group's tests."""
    rows = []
    for group, found in tests:
        for measure, result in found.iterrows():
            reason = flat[measure] or _withheld(len(group.members), bool(result["testable"]),
                                                int(result["permutations"]), suppress_group)
            rows.append((group.key, measure,
                         math.nan if flat[measure] else result["difference"],
                         result["mean_members"], result["mean_rest"],
                         math.nan if reason else result["p_value"],
                         int(result["permutations"]), not reason, reason))
    return pd.DataFrame(rows, columns=["group", "measure", "difference", "mean_members",
                                       "mean_rest", "p_value", "permutations", "testable",
                                       "withheld"])


def _group_tests(table: pd.DataFrame, members: list[str], *, rng: np.random.Generator,
                 permutations: int | None, family: int,
                 submit: Submit) -> Callable[[], pd.DataFrame]:
    """:func:`group_differences`, drawn again (through ``submit``) with more draws where
    p ≤ 0.05 (auto)."""
    first = MIN_DRAWS if permutations is None else permutations
    found = group_differences(table, members, permutations=first, seed=_draw(rng))
    small = found["testable"].astype(bool) & (found["p_value"] <= ALPHA)
    more = draws_for_family(family, len(table))
    if not (permutations is None and small.any() and more > first):
        return lambda: found
    again = submit(group_differences, table, members, permutations=more, seed=_draw(rng))

    def merged() -> pd.DataFrame:
        redrawn = again.result()
        found.loc[small, ["p_value", "testable"]] = redrawn.loc[small, ["p_value", "testable"]]
        found["permutations"] = np.where(small, more, first)
        return found

    return merged


def _withheld(size: int, testable: bool, permutations: int, suppress_group: int) -> str:
    """Why a group's p-value is not given ("" when it is)."""
    if not permutations:
        return "not tested (permutations = 0)"
    if groups_policy.too_small(size, suppress_group):
        return (f"group of {counted(size, 'member')}: too small to test "
                f"(fewer than {suppress_group})")
    return "" if testable else NOT_TESTABLE


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


def measure_decisions(study: Study, wave: str, G: nx.DiGraph,
                      groups: list[Group]) -> DecisionResult:
    """Decision influence, parity, Gini, participation, voice, formal vs informal."""
    data = study.wave(wave)
    scores = influence_scores(G)
    group_members = {g.key: g.members for g in groups}
    labels = _decision_labels(study, wave)
    return DecisionResult(
        decisions=[(d, labels.get(d, d)) for d in dict.fromkeys(data.participation["decision"])],
        scores=scores,
        parity=decision_parity(scores, {g.key: g.members for g in groups[1:]}),
        gini=influence_gini(scores),
        participation=participation_by_group(data.participation, group_members),
        voice=voice_by_group(data.participation, {g.key: g.members for g in groups[1:]}),
        voice_scale=_voice_scale(study, wave),
        formal=formal_and_informal(scores, study.roster.loc[data.members]),
        named_by_group=named_by_group(data.decisions, groups),
    )


def _voice_scale(study: Study, wave: str) -> tuple[float, float]:
    for survey in study.config.waves[wave].surveys:
        for question in survey.questions:
            if question.shape == "decision" and question.voice:
                values = study.config.scale_for(question.scale or "yesno").values
                return float(min(values)), float(max(values))
    return float("nan"), float("nan")


def _decision_labels(study: Study, wave: str) -> dict[str, str]:
    return {q.decision: q.label or q.decision
            for survey in study.config.waves[wave].surveys for q in survey.questions
            if q.shape == "decision"}


def named_by_group(decisions: pd.DataFrame, groups: list[Group]) -> pd.DataFrame:
    """Per decision, the share of "shaped it" mentions that went to each group."""
    order = list(dict.fromkeys(decisions["decision"]))
    table = {}
    for group in groups[1:]:
        mask = decisions["named"].isin(set(group.members))
        shares = mask.groupby(decisions["decision"], sort=False).mean()
        table[group.key] = [float(shares.get(d, float("nan"))) for d in order]
    return pd.DataFrame(table, index=pd.Index(order), dtype="float64")


def perception_scales(study: Study, wave: str) -> dict[str, tuple[float, float]]:
    """(lowest, highest) value of each perception item's answer scale in ``wave``."""
    scales = {}
    for survey in study.config.waves[wave].surveys:
        for question in survey.questions:
            if question.shape == "perceptions":
                values = study.config.scale_for(question.scale).values
                scales.update(dict.fromkeys(question.items, (min(values), max(values))))
    return scales


def perception_summary(perceptions: pd.DataFrame, groups: list[Group],
                       scales: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """Mean answer per item and group, with everyone else's mean and the gap.

    Returns
    -------
    DataFrame
        ``item, group, mean, answers, others, gap, scale_min, scale_max`` (gap = group
        mean − others' mean; NaN for the group of all members).
    """
    rows = []
    for item in dict.fromkeys(perceptions["item"]):
        answers = perceptions[perceptions["item"] == item]
        for group in groups:
            inside = answers["respondent"].isin(set(group.members))
            mine, rest = answers.loc[inside, "value"], answers.loc[~inside, "value"]
            mean = float(mine.mean()) if len(mine) else float("nan")
            others = float(rest.mean()) if len(rest) and group.key != "all" else float("nan")
            low, high = scales.get(item, (float("nan"), float("nan")))
            rows.append((item, group.key, mean, len(mine), others, mean - others,
                         float(low), float(high)))
    return pd.DataFrame(rows, columns=["item", "group", "mean", "answers", "others", "gap",
                                       "scale_min", "scale_max"])
