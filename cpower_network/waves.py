"""Power redistribution over time: the same measures across waves, and their noise.

:func:`compare` analyses each wave (every member of that wave), then recomputes the
measures of change on the members present in *every* compared wave ("stayers"), where
a change cannot come from who joined or left. Each change is tested by permutation:

* **group labels** (group-level measures: parity ratios, decision parity, voice and
  perception gaps): the group's labels are shuffled among stayers, the same shuffle in
  every wave, and the change recomputed; p is the share of shuffles with a change at
  least as large. Small p: this group's change is larger than random groups of the
  same size show.
* **silo labels** (E-I index): the same, shuffling silos among stayers.
* **paired swap** (Gini of influence, degree centralisation, density): each stayer's
  first- and last-wave scores are swapped with probability ½ and the statistic
  recomputed. Small p: the change is larger than wave-to-wave noise in members' scores.

Composite scores (indicators) show their values and change without a test: their
components are tested where they appear above.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

import networkx as nx
import numpy as np

from ._version import __version__
from .analysis import study_info
from .anonymize import anonymize_study
from .api import analyze
from .errors import UsageError
from .graphs import DECISIONS, build_graph, relation_keys
from .ingest import Study
from .results import Results, StudyInfo
from .waves_measures import track_measures
from .waves_reading import redistribution_sentences

Progress = Callable[[str], None]


@dataclass(frozen=True)
class MemberFlow:
    """Who joined, left and stayed between two waves (matched by roster id)."""

    before: str
    after: str
    joined: list[str]
    left: list[str]
    stayed: list[str]


@dataclass(frozen=True)
class TieChange:
    """Ties gained, lost and kept in one relation between two waves, among members
    present in both (a tie to someone who left is not "lost")."""

    relation: str
    label: str
    before: str
    after: str
    kept: int
    gained: int
    lost: int
    kept_cross: int
    gained_cross: int
    lost_cross: int


@dataclass
class MeasureChange:
    """One measure across waves: values, change, and whether it exceeds chance."""

    key: str
    label: str
    category: str
    values: list[float | None]
    stayers: list[float | None]
    test: str = "none"
    p_value: float | None = None
    reading: str = ""

    @property
    def change(self) -> float | None:
        return _delta(self.values)

    @property
    def change_stayers(self) -> float | None:
        return _delta(self.stayers)


@dataclass
class Comparison:
    """The comparison of two or more waves (see :func:`compare`)."""

    study: StudyInfo
    waves: list[tuple[str, str]]
    results: list[Results]
    flows: list[MemberFlow]
    ties: list[TieChange]
    measures: list[MeasureChange]
    headline: list[str]
    stayers: list[str]
    seed: int
    permutations: int
    version: str = __version__
    anonymized: bool = False
    graphs: dict[str, list[nx.DiGraph]] = field(default_factory=dict)

    def measure(self, key: str) -> MeasureChange:
        return next(m for m in self.measures if m.key == key)

    def to_html(self, path, *, audience: str = "evaluator"):
        """Write the comparison report (offline HTML, like ``analyze``'s)."""
        from .report.compare import write_compare_report

        return write_compare_report(self, path, audience=audience)

    def to_json(self, path):
        """Write the comparison as JSON."""
        from .waves_json import write_comparison_json

        return write_comparison_json(self, path)


def _delta(values: list[float | None]) -> float | None:
    first, last = values[0], values[-1]
    if first is None or last is None or first != first or last != last:
        return None
    return float(last - first)


def _number(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if value != value else value


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
        Draws per permutation test (default: ``[analysis] permutations``, at least 1,000).
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

    Examples
    --------
    >>> import cpower_network as cp
    >>> found = compare(cp.load_study(cp.example_study_path()), permutations=200, seed=3)
    >>> parity = found.measure("decisions/parity/lived_experience")
    >>> parity.values[-1] > parity.values[0]
    True
    """
    say = progress or (lambda _message: None)
    keys = _wave_keys(study, waves)
    study.require_clean(allow_problems=allow_problems)
    source = anonymize_study(study) if anonymize else study
    seed = source.config.seed if seed is None else seed
    draws = max(permutations if permutations is not None
                else source.config.analysis.permutations, 1)
    results = []
    for key in keys:
        say(f"analysing wave {key}")
        # require_clean above has already refused errors unless they were allowed
        results.append(analyze(source, key, seed=seed, progress=say, allow_problems=True))
    for r in results:
        r.anonymized = anonymize
    stayers = [m for m in results[0].wave.members
               if all(m in set(r.wave.members) for r in results[1:])]
    say("comparing waves")
    graphs = {rel: [build_graph(source, rel, k) for k in keys]
              for rel in _shared_relations(source, keys)}
    rng = np.random.default_rng(seed)
    measures = track_measures(results, graphs, stayers, source, rng, draws)
    found = Comparison(
        study=study_info(source), waves=[(k, source.waves[k].label) for k in keys],
        results=results, flows=_flows(results), ties=_tie_changes(graphs, keys, source),
        measures=measures, headline=[], stayers=stayers, seed=seed, permutations=draws,
        anonymized=anonymize, graphs=graphs)
    found.headline = redistribution_sentences(found)
    return found


def _wave_keys(study: Study, waves: list[str] | None) -> list[str]:
    keys = list(study.waves) if not waves else list(waves)
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
            both = set(before) & set(after)
            old = {(u, v) for u, v in before.edges() if u in both and v in both}
            new = {(u, v) for u, v in after.edges() if u in both and v in both}

            def cross(edges: set, silo: dict = silo) -> int:
                return sum(1 for u, v in edges if silo[u] != silo[v])

            changes.append(TieChange(
                relation=relation, label=after.graph["label"], before=keys[i],
                after=keys[i + 1], kept=len(old & new), gained=len(new - old),
                lost=len(old - new), kept_cross=cross(old & new),
                gained_cross=cross(new - old), lost_cross=cross(old - new)))
    return changes
