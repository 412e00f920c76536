"""Collective Power indicators: network and perception evidence → 0–100 scores → bands.

The five milestones of the Collective Power Framework that coalitions use to check
themselves (docs/methods.md §Indicators). Every indicator keeps its evidence items,
every item its raw values, group breakdown, score and how it was computed. Items without
data, or whose measure is undefined on the data (no ties, one silo, a group too small, a
centrality that does not vary), are "not measured" with their reason and left out, never
counted as zero: a milestone none of whose items is measured is "Not measured", and its
notes say why.

>>> from cpower_network.indicators import MILESTONES
>>> [m.key for m in MILESTONES]
['setting_the_table', 'safety_trust', 'cohesion', 'financing', 'lived_experience']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..common import notebook as nb
from ..config.evidence_items import ITEM_KEYS
from ..config.indicators import IndicatorSettings, read_indicator_settings
from . import items as _items  # noqa: F401  (registers every evidence rule, in report order)
from .evidence import RULES, EvidenceItem
from .findings import Finding, top_findings
from .scoring import Component, why_not_measured


@dataclass(frozen=True)
class Milestone:
    """A milestone of the Collective Power Framework."""

    key: str
    label: str
    description: str


MILESTONES = (
    Milestone("setting_the_table", "Setting the table",
              "The right people are at the table, including those closest to the issue, "
              "and everyone can take part."),
    Milestone("safety_trust", "Safety and trust",
              "Relationships are strong, honest and mutual, across silos and with "
              "members who have lived experience."),
    Milestone("cohesion", "Cohesion",
              "Members are connected, collaborate, and do not depend on a few hubs; "
              "silos dissolve into one coalition."),
    Milestone("financing", "Financing",
              "Resources reach grassroots members and members with lived experience, "
              "and members agree on how funds are shared."),
    Milestone("lived_experience", "Directed by lived experience",
              "Those closest to the issue hold increasing leadership and decision-making "
              "power, and are prepared and supported to lead."),
)


@dataclass
class Indicator:
    """One milestone's indicator: its evidence, score, band and reading.

    Attributes
    ----------
    key, label, description : str
        The milestone (one of :data:`MILESTONES`).
    items : list of EvidenceItem
        Its evidence items, each with its raw values, group breakdown, score (0–100),
        weight and how it was computed; :meth:`item` finds one by key.
    score : float or None
        Weighted mean of the measured items' scores; None when none is measured (the
        band is then "Not measured").
    band : str
        "Emerging", "Developing", "Strong" or "Not measured".
    reading : str
        A plain-language sentence on how to read it.
    notes : list of str
        Each item not measured and why ("Connectedness: not measured (no ties in
        collaborate)").
    """

    key: str
    label: str
    description: str
    items: list[EvidenceItem]
    score: float | None
    band: str
    reading: str
    notes: list[str] = field(default_factory=list)

    @property
    def measured_items(self) -> list[EvidenceItem]:
        return [i for i in self.items if i.measured and i.weight > 0]

    @property
    def not_measured(self) -> dict[str, str]:
        """Item key -> why it is not measured, for the items not measured."""
        return {i.key: i.not_measured for i in self.items if i.not_measured}

    def item(self, key: str) -> EvidenceItem:
        """The evidence item ``key``.

        Raises
        ------
        KeyError
            The indicator has no such item (the message names its items).
        """
        return nb.find(self.items, key, name=lambda i: i.key, what="an evidence item",
                       plural="items", where=f"the {self.key} indicator")

    def __repr__(self) -> str:
        score = "" if self.score is None else f" {nb.score_text(self.score)}/100"
        return nb.bracket("Indicator", (
            f"{self.key!r}, {nb.one_line(self.band, 30)}{score}, "
            f"{len(self.measured_items)} of {nb.counted(len(self.items), 'item')} "
            "measured"))


@dataclass
class Indicators:
    """The five indicators, the settings used and the top findings: ``results.indicators``.

    Looked up by milestone key like a dict (``results.indicators["cohesion"]``); ``in``,
    ``len``, :meth:`keys` and iteration (over the keys) work as for a dict. An unknown
    key raises a :class:`KeyError` naming the indicators.

    Attributes
    ----------
    milestones : list of Indicator
        One per milestone, in :data:`MILESTONES` order.
    settings : IndicatorSettings
        Band thresholds, targets, weights and the relations and groups used.
    findings : list of Finding
        The most important findings, most important first (``text``, ``milestone``,
        ``priority``); reports show the first three.

    Examples
    --------
    >>> cohesion = Indicator("cohesion", "Cohesion", "…", [], 84.0, "Strong", "…")
    >>> financing = Indicator("financing", "Financing", "…", [], None, "Not measured", "…")
    >>> indicators = Indicators([cohesion, financing], settings=IndicatorSettings())
    >>> indicators
    <Indicators: cohesion Strong 84, financing Not measured; 0 findings>
    >>> list(indicators), "cohesion" in indicators, len(indicators)
    (['cohesion', 'financing'], True, 2)
    >>> indicators["cohesion"]
    <Indicator: 'cohesion', Strong 84/100, 0 of 0 items measured>
    >>> try:
    ...     indicators["coheson"]
    ... except KeyError as error:
    ...     print(error)  # doctest: +NORMALIZE_WHITESPACE
    'coheson' is not an indicator of these results; indicators: cohesion, financing;
     did you mean 'cohesion'?
    """

    milestones: list[Indicator]
    settings: IndicatorSettings
    findings: list[Finding] = field(default_factory=list)

    def __getitem__(self, key: str) -> Indicator:
        return nb.find(self.milestones, key, name=lambda m: m.key, what="an indicator",
                       plural="indicators", where="these results")

    def __contains__(self, key: object) -> bool:
        return any(m.key == key for m in self.milestones)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self.milestones)

    def keys(self) -> list[str]:
        """The milestone keys, in order."""
        return [m.key for m in self.milestones]

    def values(self) -> list[Indicator]:
        """The indicators, in order."""
        return list(self.milestones)

    def items(self) -> list[tuple[str, Indicator]]:
        """``(key, indicator)`` pairs, in order, as a dict gives them."""
        return [(m.key, m) for m in self.milestones]

    def get(self, key: str, default: Any = None) -> Indicator | Any:
        """The indicator ``key``, or ``default`` when there is none (no error)."""
        return next((m for m in self.milestones if m.key == key), default)

    def __repr__(self) -> str:
        bands = ", ".join(f"{m.key} {nb.one_line(m.band, 20)}"
                          + ("" if m.score is None else f" {nb.score_text(m.score)}")
                          for m in self.milestones)
        return nb.bracket("Indicators",
                          f"{bands}; {nb.counted(len(self.findings), 'finding')}")


def compute_indicators(results: Any, table: Mapping[str, Any] | None = None, *,
                       settings: IndicatorSettings | None = None) -> Indicators:
    """Score the five milestones from a wave's results.

    Parameters
    ----------
    results : Results
        From :func:`cpower_network.analysis.pipeline.analyze`.
    table : mapping, optional
        The study's ``[indicators]`` table (overrides the defaults).
    settings : IndicatorSettings, optional
        Use these settings instead of reading ``table``.

    Returns
    -------
    Indicators
    """
    if settings is None:
        settings = read_indicator_settings(table or {}, item_keys=ITEM_KEYS)
    milestones = []
    for milestone in MILESTONES:
        items = []
        for _key, key_milestone, _label, rule in RULES:
            if key_milestone == milestone.key:
                item = rule(results, settings)
                item.weight = settings.weight(item.key)
                items.append(item)
        milestones.append(_indicator(milestone, items, settings))
    indicators = Indicators(milestones=milestones, settings=settings)
    indicators.findings = top_findings(results, indicators)
    return indicators


def _indicator(milestone: Milestone, items: list[EvidenceItem],
               settings: IndicatorSettings) -> Indicator:
    scored = [(i.score, i.weight) for i in items if i.measured and i.weight > 0]
    total = sum(w for _, w in scored)
    score = sum(s * w for s, w in scored) / total if total else None
    band = settings.band(score)
    notes = [f"{i.label}: not measured ({i.not_measured})" for i in items if not i.measured]
    return Indicator(milestone.key, milestone.label, milestone.description, items, score,
                     band, reading(milestone, items, score, band), notes)


def reading(milestone: Milestone, items: list[EvidenceItem], score: float | None,
            band: str) -> str:
    """A plain-language sentence on how to read an indicator."""
    measured = [i for i in items if i.measured and i.weight > 0]
    missing = [i.label.lower() for i in items if not i.measured]
    if not measured:
        if any(i.measured for i in items):
            return (f"{milestone.label} is not scored: every measured item has weight 0 "
                    "in [indicators.weights].")
        return (f"{milestone.label} was not measured: "
                f"{why_not_measured([c for i in items for c in i.components])}.")
    text = f"{milestone.label} is {band.lower()} ({score:.0f} out of 100)."
    if len(measured) > 1:
        best = max(measured, key=lambda i: i.score)
        worst = min(measured, key=lambda i: i.score)
        text += (f" The strongest evidence is {best.label.lower()} ({best.score:.0f}); "
                 f"the weakest is {worst.label.lower()} ({worst.score:.0f}).")
    if missing:
        text += f" Not measured: {', '.join(missing)}."
    return text


__all__ = [
    "MILESTONES",
    "Component",
    "EvidenceItem",
    "Finding",
    "Indicator",
    "IndicatorSettings",
    "Indicators",
    "compute_indicators",
]
