"""Evidence items of *Financing*: whether resources reach grassroots and lived-experience
members (the resources relation), and agreement on how funds were distributed."""

from __future__ import annotations

from ..config.indicators import IndicatorSettings
from ..results.model import Results
from .evidence import EvidenceItem, rule
from .roles import Source
from .rule_parts import _flags, _parity, _perception


@rule("resources_reach", "financing", "Resources reach grassroots and lived experience",
      role="resources", received="resources received")
def resources_reach(results: Results, settings: IndicatorSettings,
                    source: Source) -> EvidenceItem:
    groups = [settings.grassroots, settings.lived_experience]
    components = [_parity(results, source.relation, g, "in_strength",
                          f"parity of resources received: {g}") for g in groups]
    return EvidenceItem("resources_reach", "financing",
                        "Resources reach grassroots and lived experience", components,
                        notes=_flags(results, groups, components))


@rule("funds_agreement", "financing", "Agreement on how funds were distributed")
def funds_agreement(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    return _perception(results, "funds_agreement", "financing",
                       "Agreement on how funds were distributed", ["funds_agreement"],
                       settings=settings)
