"""Perception items of a wave: each group's mean answer, everyone else's, and the gap.

The answer scale of each perception item (its lowest and highest value), and the
summary table the report and the indicators read.
"""

from __future__ import annotations

import pandas as pd

from ..ingest import Study
from ..results.model import Group


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
