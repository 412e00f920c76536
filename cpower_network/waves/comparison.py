"""Power redistribution over time: the same measures across waves, and their noise.

:func:`compare` analyses each wave (every member of that wave), then recomputes the
measures of change on the members present in *every* compared wave ("stayers"), where
a change cannot come from who joined or left, and, for anything built on reported ties,
on the ties observed in every wave: those sent by stayers who answered in every wave
(:mod:`cpower_network.waves.views`). Each change from the first to the last wave is
tested by permutation (:mod:`cpower_network.waves.inference`):

* **group labels** (group-level measures: parity ratios, decision parity, voice and
  perception gaps): the group's labels are shuffled among the members compared, the
  same shuffle in every wave. Small p: this group's change is larger than random groups
  of the same size show.
* **dyad swap** (E-I index, density, degree centralisation): each pair of members'
  tie state (a directed relation's two arcs together, an undirected relation's edge)
  is swapped between the first and the last wave with probability ½, and the statistic
  recomputed from the swapped ties. Small p: the change is larger than "nothing
  changed" (every dyad's state exchangeable between waves) gives.
* **paired swap** (Gini of decision influence, on per-decision shares): each member's
  first- and last-wave shares are swapped with probability ½.

The rules of :mod:`cpower_network.measures.inference` apply: p = (k + 1)/(B + 1) from at
least 1,000 draws; a test whose null cannot reach p ≤ 0.05 is "not testable with these
data"; a focus group with fewer than ``suppress_group`` (3) members among those compared
gets no p-value; every p-value gets a Benjamini–Hochberg q-value within the comparison,
and only q < 0.05 is called larger than chance. Composite scores (indicators) show
their values and change without a test: their components are tested where they appear.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

import networkx as nx
import numpy as np

from .._version import __version__
from ..analysis.pipeline import analyze, study_info
from ..common import handoff
from ..common import notebook as nb
from ..errors import UsageError
from ..graphs import DECISIONS, build_graph, relation_keys
from ..ingest import Study
from ..ingest.anonymize import anonymize_study
from ..ingest.study import wave_key
from ..measures.inference import check_draws, check_seed, draws_for_family
from ..results.model import Results, StudyInfo
from .changes import GroupSize, MeasureChange, MemberFlow, TieChange
from .measures import track_measures
from .reading import redistribution_sentences, summary_sentence
from .views import build_view

Progress = Callable[[str], None]


@dataclass
class Comparison:
    """The comparison of two or more waves (see :func:`compare`).

    Attributes
    ----------
    study : StudyInfo
    waves : list of (str, str)
        ``(key, label)`` of each wave compared, in time order.
    results : list of Results
        Each wave's own analysis (every member of that wave), in the same order.
    flows : list of MemberFlow
        Who joined, left and stayed between each pair of consecutive waves.
    ties : list of TieChange
        Ties kept, gained and lost per relation between consecutive waves.
    measures : list of MeasureChange
        Every measure across the waves, with its change and test; :meth:`measure` finds
        one by key (``"decisions/parity/lived_experience"``, ``"collaborate/ei"``…).
    headline : list of str
        Sentences on power redistribution, most important first.
    stayers : list of str
        Member ids present in every wave compared.
    seed : int
    permutations : int
        The most draws any test used (0: no tests).
    version : str
    anonymized : bool
    graphs : dict of str to list of networkx.DiGraph
        Relation key -> its graph in each wave (relations asked in every wave); an
        unknown key raises a ``KeyError`` naming the relations.
    tests_run : int
        Tests with a p-value: the family of the Benjamini–Hochberg q-values.
    summary : str
        One sentence: tests run, how many pass q < 0.05, how many are not testable.
    groups : list of GroupSize
        Each focus group's size in each wave and among stayers.
    """

    study: StudyInfo
    waves: list[tuple[str, str]]
    results: list[Results]
    flows: list[MemberFlow]
    ties: list[TieChange]
    measures: list[MeasureChange]
    headline: list[str]
    stayers: list[str]
    seed: int
    #: The most draws any test used (0: no tests).
    permutations: int
    version: str = __version__
    anonymized: bool = False
    graphs: dict[str, list[nx.DiGraph]] = field(default_factory=dict)
    #: Tests with a p-value: the family of the Benjamini–Hochberg q-values.
    tests_run: int = 0
    #: One sentence: tests run, how many pass q < 0.05, how many are not testable.
    summary: str = ""
    groups: list[GroupSize] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not isinstance(self.graphs, nb.Keyed):
            self.graphs = nb.Keyed(self.graphs, what="a relation", plural="relations",
                                   where="this comparison")

    def measure(self, key: str) -> MeasureChange:
        """The measure ``key`` across the waves.

        Raises
        ------
        KeyError
            No measure has that key (the message names the measures and the closest).
        """
        return nb.find(self.measures, key, name=lambda m: m.key, what="a measure",
                       plural="measures", where="this comparison",
                       how="[m.key for m in comparison.measures]")

    def __repr__(self) -> str:
        passed = sum(m.larger_than_chance for m in self.measures)
        tests = (f"{nb.counted(self.tests_run, 'test')} ({passed:,} q < 0.05)"
                 if self.tests_run else "no tests")
        parts = [nb.one_line(self.study.name),
                 "waves " + " → ".join(nb.one_line(k, 20) for k, _ in self.waves),
                 nb.counted(len(self.stayers), "stayer"),
                 nb.counted(len(self.measures), "measure"), tests]
        if self.anonymized:
            parts.append("anonymised")
        return nb.bracket("Comparison", ", ".join(parts))

    def _repr_html_(self) -> str:
        """A compact HTML summary for notebooks: waves, members, the indicators in each
        wave and the first three headline sentences (every string escaped; no script)."""
        facts = [("Study", self.study.name),
                 ("Waves", " → ".join(nb.wave_heading(k, label) for k, label in self.waves)),
                 ("Members", " → ".join(f"{len(r.wave.members):,}" for r in self.results)
                  + f" ({len(self.stayers):,} in every wave)")]
        facts += [(f"{f.before} → {f.after}", f"{len(f.joined):,} joined, "
                   f"{len(f.left):,} left, {len(f.stayed):,} stayed") for f in self.flows]
        facts.append(("Tests", self.summary or "none"))
        parts = [nb.facts_table(f"cpower comparison: {nb.one_line(self.study.name, 80)}",
                                facts)]
        scored = [r.indicators for r in self.results if r.indicators is not None]
        if scored and len(scored) == len(self.results):
            rows = []
            for i, first in enumerate(scored[0].milestones):
                rows.append((first.label, [s.milestones[i].band for s in scored],
                             " → ".join(nb.score_text(s.milestones[i].score)
                                        for s in scored)))
            parts.append(nb.band_table("Collective Power indicators",
                                       ("Indicator", "Band", "Score"), rows))
        parts.append(nb.sentence_list("Headline", self.headline[:3]))
        return nb.summary_block(*parts)

    def to_html(self, path, *, audience: str = "evaluator"):
        """Write the comparison report (offline HTML, like ``analyze``'s)."""
        return handoff.write("compare_report", self, path, audience=audience)

    def to_json(self, path):
        """Write the comparison as JSON."""
        return handoff.write("comparison_json", self, path)


def compare(study: Study, waves: list[str] | None = None, *, seed: int | None = None,
            permutations: int | None = None, anonymize: bool = False,
            progress: Progress | None = None, allow_problems: bool = False) -> Comparison:
    """Compare two or more waves: membership, ties, every measure, power redistribution.

    Parameters
    ----------
    study : Study
    waves : list of str, optional
        Wave keys in time order (default: every wave of the study).
    seed : int, optional
        Seed for analyses and permutation tests (default: the study's).
    permutations : int, optional
        Draws per permutation test: 0 (no tests) or at least 1,000. Default: the study's
        ``[analysis] permutations``; when that is not set, enough for the false
        discovery rate over the comparison's m tests (:func:`draws_rule`).
    anonymize : bool
        Replace names, organisations and free text with codes before measuring.
    progress : callable, optional
    allow_problems : bool
        Compare a study whose data has errors (those answers are set aside).

    Returns
    -------
    Comparison

    Raises
    ------
    DataError
        The data has errors and ``allow_problems`` is false.
    UsageError
        ``permutations`` is between 1 and 999 (a p-value from fewer draws is not
        printed), or the waves are not two or more waves of the study.

    Examples
    --------
    >>> import cpower_network as cp
    >>> found = compare(cp.load_study(cp.example_study_path()), permutations=1000, seed=3)
    >>> parity = found.measure("decisions/parity/lived_experience")
    >>> parity.values[-1] > parity.values[0], parity.q_value is not None
    (True, True)
    """
    say = progress or (lambda _message: None)
    requested = None if permutations is None else check_draws(permutations)
    keys = _wave_keys(study, waves)
    study.require_clean(allow_problems=allow_problems)
    source = anonymize_study(study) if anonymize else study
    seed = source.config.seed if seed is None else check_seed(seed)
    results = []
    for key in keys:
        say(f"analysing wave {key}")
        # require_clean above has already refused errors unless they were allowed
        results.append(analyze(source, key, seed=seed, progress=say))
    for r in results:
        r.anonymized = anonymize
    later = [set(r.wave.members) for r in results[1:]]
    stayers = [m for m in results[0].wave.members if all(m in s for s in later)]
    say("comparing waves")
    graphs = {rel: [build_graph(source, rel, k) for k in keys]
              for rel in _shared_relations(source, keys)}
    tracker = track_measures(results, graphs, stayers, source)
    draws = draws_rule(len(tracker.pending), requested
                       if requested is not None else source.config.analysis.permutations)
    say(f"testing {len(tracker.pending)} changes")
    tests = tracker.finish(draws, np.random.default_rng(seed))
    found = Comparison(
        study=study_info(source), waves=[(k, source.waves[k].label) for k in keys],
        results=results, flows=_flows(results), ties=_tie_changes(graphs, keys, source),
        measures=tracker.found, headline=[], stayers=stayers, seed=seed,
        permutations=max((m.draws or 0 for m in tracker.found), default=0),
        anonymized=anonymize, graphs=graphs, tests_run=tests,
        groups=_group_sizes(results, stayers, source))
    found.summary = summary_sentence(found)
    found.headline = redistribution_sentences(found)
    return found


def draws_rule(tests: int, permutations: int | None) -> int | Callable[[int], int]:
    """Draws per test: ``permutations`` when given (0: no tests, else at least 1,000);
    when None, enough for the false discovery rate over the ``tests`` tests,
    :func:`~cpower_network.measures.inference.draws_for_family` (20·m/α, rounded up to
    a thousand, fewer only where a null's size makes that too slow), a function of the
    null's size.

    >>> draws_rule(65, 2000), draws_rule(65, None)(66), draws_rule(65, None)(500_000)
    (2000, 26000, 1000)
    """
    if permutations is not None:
        return check_draws(permutations, name="[analysis] permutations")
    return lambda size: draws_for_family(tests, size)


def _group_sizes(results: list[Results], stayers: list[str], study: Study) \
        -> list[GroupSize]:
    settings = results[-1].settings
    sizes = []
    for group in results[-1].wave.groups[1:]:
        present = int(study.roster.loc[stayers, group.key].astype(bool).sum()) \
            if stayers else 0
        sizes.append(GroupSize(
            key=group.key, label=group.label,
            sizes=[r.wave.group(group.key).size if any(g.key == group.key
                                                       for g in r.wave.groups) else 0
                   for r in results],
            stayers=present, small=present < settings.small_group,
            suppressed=present < settings.suppress_group))
    return sizes


def _wave_keys(study: Study, waves: list[str] | str | None) -> list[str]:
    if isinstance(waves, str):                    # the command line's "2024,2025"
        waves = [key.strip() for key in waves.split(",") if key.strip()]
    keys = list(study.waves) if not waves else [wave_key(key) for key in waves]
    for key in keys:
        study.wave(key)  # raises UsageError with a suggestion for an unknown wave
    if len(keys) < 2:
        raise UsageError("compare needs at least two waves; this study has "
                         f"{', '.join(study.waves)}" if not waves else
                         "give at least two waves, e.g. --waves 2024,2025")
    if len(set(keys)) != len(keys):
        raise UsageError(f"a wave is listed twice: {', '.join(keys)}")
    return keys


def _shared_relations(study: Study, keys: list[str]) -> list[str]:
    present = [set(relation_keys(study, k)) for k in keys]
    return [r for r in relation_keys(study, keys[-1]) if all(r in p for p in present)]


def _flows(results: list[Results]) -> list[MemberFlow]:
    flows = []
    for before, after in pairwise(results):
        old, new = set(before.wave.members), set(after.wave.members)
        flows.append(MemberFlow(
            before=before.wave.wave, after=after.wave.wave,
            joined=[m for m in after.wave.members if m not in old],
            left=[m for m in before.wave.members if m not in new],
            stayed=[m for m in after.wave.members if m in old]))
    return flows


def _tie_changes(graphs: dict[str, list[nx.DiGraph]], keys: list[str],
                 study: Study) -> list[TieChange]:
    changes = []
    silo = study.roster["silo"].to_dict()
    for relation, series in graphs.items():
        if relation == DECISIONS:  # each wave asks about its own decisions: not churn
            continue
        for i in range(len(keys) - 1):
            before, after = series[i], series[i + 1]
            view = build_view([before, after], [m for m in after if m in before])
            old, new = (_tie_set(G) for G in view.graphs)
            kept, gained, lost = old & new, new - old, old - new
            changes.append(TieChange(
                relation=relation, label=after.graph["label"], before=keys[i],
                after=keys[i + 1], kept=len(kept), gained=len(gained), lost=len(lost),
                kept_cross=_crossing(kept, silo), gained_cross=_crossing(gained, silo),
                lost_cross=_crossing(lost, silo), answered=len(view.senders)))
    return changes


def _crossing(ties: set[tuple[str, str]], silo: dict[str, str]) -> int:
    """How many of ``ties`` join members of different silos."""
    return sum(1 for u, v in ties if silo[u] != silo[v])


def _tie_set(G: nx.Graph) -> set[tuple[str, str]]:
    """``G``'s ties as pairs; an undirected edge in one orientation (sorted), so the
    same edge matches across waves whichever way round it was stored."""
    if G.is_directed():
        return set(G.edges())
    return {(u, v) if str(u) <= str(v) else (v, u) for u, v in G.edges()}
