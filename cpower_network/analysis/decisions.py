"""Decision influence of a wave: who shaped each decision, by group, and whose voice counted.

Influence scores, their parity and Gini, participation and voice by group, formal
against informal power, and each group's share of the "shaped it" mentions.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from ..ingest import Study
from ..measures.decisions import (
    decision_parity,
    formal_and_informal,
    influence_gini,
    influence_scores,
    participation_by_group,
    voice_by_group,
)
from ..results.model import DecisionResult, Group


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
