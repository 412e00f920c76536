"""What several evidence rules read the same way.

A focus group's parity on a relation's measure, the parity of a trust or value score it
received, a value scored or not measured with its reason, "read with care" notes on small
groups, the focus groups too small to show, and perception items (mean answers rescaled,
broken down by group). Items whose data do not exist, or on which the measure is undefined
(see :mod:`cpower_network.indicators.reasons`), are *not measured*, with their reason.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ..config.indicators import IndicatorSettings
from ..results.model import RelationResult, Results
from . import reasons, scoring
from .evidence import EvidenceItem
from .scoring import Component, not_measured

UNDEFINED = "undefined on these data"


def _parity_row(relation: RelationResult, group: str,
                measure: str) -> tuple[float | None, int | None]:
    """The parity of ``group`` on ``measure`` in ``relation`` and the group's size there
    (None, None when the table has no such row)."""
    table = relation.parity
    row = table[(table["group"] == group) & (table["measure"] == measure)]
    if not len(row):
        return None, None
    size = int(row["group_size"].iloc[0]) if "group_size" in row else None
    return float(row["parity"].iloc[0]), size


def _parity(results: Results, relation: RelationResult, group: str, measure: str,
            label: str) -> Component:
    """The parity ratio of ``group`` on ``measure``, or why it is not measured."""
    value, size = _parity_row(relation, group, measure)
    reason = reasons.parity(results, relation, group, measure, size)
    if reason or value is None or scoring.missing(value):
        return not_measured(label, reason or UNDEFINED)
    return scoring.parity(label, value)


def rating_scores(results: Results, score: str):
    """The wave's trust and value scores when ``score`` ("trust" or "value") was asked,
    else None."""
    ratings = results.wave.ratings
    if ratings is None or score not in ratings.scores.measured:
        return None
    return ratings.scores


def score_parity(results: Results, score: str, group: str, label: str) -> Component:
    """The parity of ``score`` received by ``group``, or why it is not measured."""
    scores = rating_scores(results, score)
    if scores is None:
        return Component(label, None, None, scoring.NOT_ASKED)
    rows = scores.groups[(scores.groups["score"] == score) & (scores.groups["group"] == group)]
    reason = reasons.group(results, group)
    if rows.empty and not reason:
        reason = "nobody in the group was rated"
    value = None if rows.empty else float(rows["parity"].iloc[0])
    return _scored(scoring.parity, label, value, reason=reason)


def _scored(rule: Callable[..., Component], label: str, value: float | None, *args: float,
            reason: str | None = None) -> Component:
    """``rule(label, value, *args)``, or not measured because of ``reason`` (or because
    the value is undefined)."""
    if reason or scoring.missing(value):
        return not_measured(label, reason or UNDEFINED)
    return rule(label, value, *args)


def _flags(results: Results, groups: list[str], components: list[Component]) -> list[str]:
    """"read with care" notes for the small groups whose figures were measured
    (``components[i]`` is read for ``groups[i]``; one component stands for them all)."""
    if len(components) == 1:
        components = components * len(groups)
    measured = [g for g, c in zip(groups, components, strict=True) if c.score is not None]
    return reasons.group_notes(results, measured)


def _all_not_measured(labels: list[str], reason: str) -> list[Component]:
    return [not_measured(label, reason) for label in labels]


def _hidden_groups(results: Results) -> dict[str, str]:
    """Focus groups too small to show on their own -> why."""
    found = {}
    for group in results.wave.groups[1:]:
        reason = reasons.group(results, group.key)
        if reason:
            found[group.key] = reason
    return found


def _perception(results: Results, key: str, milestone: str, label: str, items: list[str],
                *, group: str = "all", settings: IndicatorSettings) -> EvidenceItem:
    """Perception items: the mean answer (of ``group``) rescaled, broken down by group
    (groups too small to measure left out of the breakdown, with a note)."""
    table = results.wave.perceptions
    hidden = _hidden_groups(results)
    reason = None if group == "all" else reasons.group(results, group)
    components, breakdown = [], {}
    for item in items:
        rows = table[table["item"] == item]
        text = results.study.items.get(item, (item, None))[0]
        chosen = rows[rows["group"] == group]
        if chosen.empty and (reason is None or rows.empty):
            components.append(Component(text, None, None, scoring.NOT_ASKED))
            continue
        components.append(not_measured(text, reason) if reason
                          else _on_scale(text, chosen.iloc[0]))
        breakdown.update(_perception_breakdown(item, rows, hidden, settings))
    notes = []
    if breakdown:
        shown = [g.key for g in results.wave.groups[1:] if g.key not in hidden]
        notes = [f"left out of the breakdown: {why}" for why in hidden.values()]
        notes += reasons.group_notes(results, shown)
    return EvidenceItem(key, milestone, label, components, breakdown, notes=notes)


def _on_scale(text: str, row: pd.Series) -> Component:
    """One perception item's mean answer on its scale (not measured: nobody answered)."""
    if not row["answers"]:
        return not_measured(text, "nobody answered")
    return scoring.on_scale(text, float(row["mean"]), float(row["scale_min"]),
                            float(row["scale_max"]))


def _perception_breakdown(item: str, rows: pd.DataFrame, hidden: dict[str, str],
                          settings: IndicatorSettings) -> dict[str, float]:
    """Each shown group's mean answer to ``item``, and the lived-experience gap."""
    found = {f"{item}: {row['group']}": float(row["mean"])
             for _, row in rows.iterrows() if row["group"] not in hidden}
    le = rows[rows["group"] == settings.lived_experience]
    if not le.empty and settings.lived_experience not in hidden:
        found[f"{item}: lived-experience gap"] = float(le["gap"].iloc[0])
    return found
