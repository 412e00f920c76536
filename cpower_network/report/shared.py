"""What a shared (retreat) view may hold: the results without any group too small to
hide its members.

A group with fewer than ``suppress`` members (a focus group or a silo) is one or two
people, so its "share", "parity" or "mean" is their own score (docs/methods.md §Small
groups and measures not measured). :func:`shared_results` returns a copy of the results in
which such focus groups are gone (their rows in every table, their roster column, and
the indicators and findings recomputed without them) and such silos are left out of
every silo-level table. The retreat report and the retreat JSON are built from that copy
only, so nothing either holds can come from a suppressed group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import pandas as pd

from ..config.groups import too_small
from ..indicators import MILESTONES, compute_indicators, reading
from ..indicators.findings import top_findings
from ..indicators.scoring import Component
from ..results.model import RelationResult, Results, WaveResult

#: The band of a milestone whose evidence a shared view withholds.
NOT_SHOWN = "Not shown"


@dataclass(frozen=True)
class Suppressed:
    """What :func:`shared_results` left out, for the page to say so.

    Attributes
    ----------
    threshold : int
        Groups with fewer members than this were left out.
    groups : tuple of str
        Labels of the focus groups left out.
    silos : tuple of str
        The silos left out (roster values).
    items : tuple of str
        Labels of the evidence items (or parts of them) not shown.
    """

    threshold: int
    groups: tuple[str, ...] = ()
    silos: tuple[str, ...] = ()
    items: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups or self.silos or self.items)


def withheld_reason(threshold: int) -> str:
    """What a withheld evidence value says instead of a number.

    >>> withheld_reason(3)
    'not shown in this view: it rests on a group of fewer than 3 members'
    """
    return f"not shown in this view: it rests on a group of fewer than {threshold} members"


def silo_sizes(results: Results) -> dict[str, int]:
    """Silo (as text) -> members of the wave in it, in sorted silo order."""
    silos = results.roster.loc[results.wave.members, "silo"].astype(str)
    return {str(s): int(n) for s, n in sorted(silos.value_counts().items())}


def small_silos(results: Results, below: int) -> tuple[str, ...]:
    """The silos (as text) with fewer than ``below`` members in the wave, sorted."""
    return tuple(s for s, n in silo_sizes(results).items() if too_small(n, below))


def shared_results(results: Results, suppress: int) -> tuple[Results, Suppressed]:
    """The results a shared view may be built from, and what was left out.

    Parameters
    ----------
    results : Results
    suppress : int
        Focus groups and silos with fewer members than this are left out.

    Returns
    -------
    (Results, Suppressed)
        A copy (``results`` itself when nothing is too small) and what it left out.
    """
    results = _rated_by_enough(results, suppress)
    dropped = [g for g in results.wave.groups[1:] if too_small(g.size, suppress)]
    silos = small_silos(results, suppress)
    if not dropped and not silos:
        return results, Suppressed(suppress)
    keys = {g.key for g in dropped}
    shared = replace(results,
                     roster=results.roster.drop(columns=[k for k in keys
                                                         if k in results.roster]),
                     wave=_wave(results, keys, set(silos)),
                     quality=_quality(results.quality, {g.label for g in dropped}))
    items: tuple[str, ...] = ()
    if results.indicators is not None:
        shared.indicators, items = _indicators(results, shared, suppress)
    return shared, Suppressed(suppress, tuple(g.label for g in dropped), silos, items)


def _wave(results: Results, groups: set[str], silos: set[str]) -> WaveResult:
    wave = results.wave
    silo_of = results.roster["silo"].astype(str)
    out = {m for m in wave.members if silo_of[m] in silos}
    perceptions = wave.perceptions
    if "group" in perceptions:
        perceptions = perceptions[~perceptions["group"].isin(groups)].reset_index(drop=True)
    return replace(
        wave, groups=[g for g in wave.groups if g.key not in groups],
        relations={k: _relation(r, groups, silos, out) for k, r in wave.relations.items()},
        decisions=_decisions(wave.decisions, groups),
        response=wave.response.drop(index=list(groups), errors="ignore"),
        perceptions=perceptions,
        worklist=replace(wave.worklist, silo_gaps=_without_silo_pairs(
            wave.worklist.silo_gaps, silos)),
        ratings=_ratings(wave.ratings, groups, silos))


def _rated_by_enough(results: Results, suppress: int) -> Results:
    """``results`` without the trust and value rows of silos and focus groups that fewer
    than ``suppress`` rated members stand behind (their mean would be one member's)."""
    ratings = results.wave.ratings
    if ratings is None:
        return results
    scores = ratings.scores
    keep_silos = scores.silos["members_rated"] >= suppress
    keep_groups = scores.groups["members_rated"] >= suppress
    if keep_silos.all() and keep_groups.all():
        return results
    shown = replace(ratings, scores=replace(scores, silos=scores.silos[keep_silos],
                                            groups=scores.groups[keep_groups]))
    return replace(results, wave=replace(results.wave, ratings=shown))


def _ratings(ratings, groups: set[str], silos: set[str]):
    """Trust and value scores without the rows of ``groups`` and ``silos``."""
    if ratings is None:
        return None
    scores = ratings.scores
    return replace(ratings, scores=replace(
        scores, groups=scores.groups[~scores.groups["group"].isin(groups)],
        silos=scores.silos[~scores.silos["silo"].astype(str).isin(silos)]))


def _relation(r: RelationResult, groups: set[str], silos: set[str],
              out: set[str]) -> RelationResult:
    """One relation without the rows of ``groups``, the silo figures of ``silos`` and,
    in the tables a shared view sums by silo, the members ``out`` of those silos."""
    def keep(mapping: dict, drop: set[str]) -> dict:
        return {k: v for k, v in mapping.items() if str(k) not in drop}

    return replace(
        r, parity=_without_rows(r.parity, groups), differences=_without_rows(r.differences,
                                                                           groups),
        mixing=_without_silos(r.mixing, silos), density=_without_silos(r.density, silos),
        ei=replace(r.ei, by_group=keep(r.ei.by_group, silos),
                   response_rates=keep(r.ei.response_rates, silos)),
        brokerage=r.brokerage.drop(index=[m for m in r.brokerage.index if m in out]),
        bridging=keep(r.bridging, out),
        communities=replace(r.communities,
                            partition=keep(r.communities.partition, out)))


def _decisions(decisions, groups: set[str]):
    if decisions is None:
        return None
    return replace(
        decisions, parity=decisions.parity.drop(index=list(groups), errors="ignore"),
        voice=decisions.voice.drop(index=list(groups), errors="ignore"),
        participation=decisions.participation.drop(columns=list(groups), errors="ignore"),
        named_by_group=decisions.named_by_group.drop(columns=list(groups), errors="ignore"))


def _quality(quality, labels: set[str]):
    waves = [replace(w, rates=w.rates.drop(index=list(labels), errors="ignore"),
                     low_groups=[g for g in w.low_groups if g not in labels])
             for w in quality.waves]
    return replace(quality, waves=waves,
                   focus_groups={k: v for k, v in quality.focus_groups.items()
                                 if k not in labels})


def _without_rows(frame: pd.DataFrame, groups: set[str]) -> pd.DataFrame:
    """``frame`` without the rows of ``groups`` (its ``group`` column)."""
    if not groups or "group" not in frame:
        return frame
    return frame[~frame["group"].isin(groups)].reset_index(drop=True)


def _without_silos(frame: pd.DataFrame, silos: set[str]) -> pd.DataFrame:
    """A silo × silo table without the rows and columns of ``silos``."""
    rows = [i for i in frame.index if str(i) not in silos]
    columns = [c for c in frame.columns if str(c) not in silos]
    return frame.loc[rows, columns]


def _without_silo_pairs(gaps: pd.DataFrame, silos: set[str]) -> pd.DataFrame:
    """Silo pairs, without every pair that involves one of ``silos``."""
    if gaps.empty or not silos:
        return gaps
    keep = ~(gaps["silo_a"].astype(str).isin(silos) | gaps["silo_b"].astype(str).isin(silos))
    return gaps[keep].reset_index(drop=True)


# -- indicators ---------------------------------------------------------------------------

def _indicators(results: Results, shared: Results, suppress: int):
    """The indicators and findings of ``shared``: an evidence value that needed a
    suppressed group says it is not shown (never "not measured", never a number), and a
    milestone whose whole evidence did says so."""
    found = compute_indicators(shared, settings=results.indicators.settings)
    before = {i.key: i for m in results.indicators.milestones for i in m.items}
    milestones = {m.key: m for m in MILESTONES}
    why = withheld_reason(suppress)
    items: list[str] = []
    for k, indicator in enumerate(found.milestones):
        kept, hidden = _withhold_items(indicator.items, before, why)
        items += [i.label for i in hidden]
        found.milestones[k] = replace(indicator, items=kept, band=_band(
            indicator, results, hidden), reading=_reading(
            milestones[indicator.key], kept, hidden, indicator, results, suppress))
    found.findings = top_findings(shared, found)
    return found, tuple(items)


def _withhold_items(items: Iterable, before: dict, why: str) -> tuple[list, list]:
    """The items, with every value that was measured but now cannot be shown replaced
    by ``why``; and the items so changed."""
    kept, hidden = [], []
    for item in items:
        original = before.get(item.key)
        changed = _withhold(item, original, why) if original is not None else item
        kept.append(changed)
        if changed is not item:
            hidden.append(changed)
    return kept, hidden


def _withhold(item, original, why: str):
    """``item`` as computed without the suppressed groups, shown against the original:
    a value still measured is kept, and so is a reason the original gives too; a value
    (or a reason) that changed because a group was left out says ``why`` instead, so
    the view neither shows the group's figure nor a misleading reason ("no such focus
    group")."""
    now = {c.label: c for c in item.components}
    components, changed = [], False
    for c in original.components:
        kept = now.get(c.label)
        if kept is not None and (kept.score is not None or
                                 (c.score is None and kept.how == c.how)):
            components.append(kept)
        else:
            components.append(Component(c.label, None, None, why))
            changed = True
    if not changed and len(item.components) == len(original.components):
        return item
    return replace(item, components=components)


def _band(indicator, results: Results, hidden: list) -> str:
    """The band, or "Not shown" when the view withholds all the milestone's evidence."""
    if hidden and indicator.score is None and results.indicators[indicator.key].score \
            is not None:
        return NOT_SHOWN
    return indicator.band


def _reading(milestone, items: list, hidden: list, indicator, results: Results,
             suppress: int) -> str:
    """The milestone's reading, saying which evidence this view leaves out."""
    if not hidden:
        return indicator.reading
    was_scored = results.indicators[indicator.key].score is not None
    if indicator.score is None and was_scored:
        return (f"{milestone.label} is not shown in this view: its evidence rests on "
                f"groups of fewer than {suppress} members.")
    hidden_keys = {i.key for i in hidden}
    text = reading(milestone, [i for i in items if i.key not in hidden_keys or i.measured],
                   indicator.score, indicator.band)
    labels = ", ".join(i.label.lower() for i in hidden)
    return (f"{text} Not shown in this view (it rests on groups of fewer than {suppress} "
            f"members): {labels}.")
