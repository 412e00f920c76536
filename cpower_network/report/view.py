"""The report's top-level view model: headline, maps, sections, methods."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..results import Results
from .format import is_code, num, pct, score, wave_name
from .maps import map_payload
from .methods import Method, methods_for
from .sections import (
    Context,
    DecisionsView,
    RelationView,
    decisions_view,
    quality_view,
    relation_views,
    worklist_view,
)

#: Where each milestone's evidence is shown in the report (the scorecard's arrows).
EVIDENCE_SECTIONS = {
    "setting_the_table": ("quality", "Data quality and membership"),
    "safety_trust": ("silos", "Across silos"),
    "cohesion": ("worklist", "Weaver's worklist"),
    "financing": ("power", "Power"),
    "lived_experience": ("decisions", "Decisions"),
}
AUDIENCES = ("evaluator", "retreat")


@dataclass
class ItemView:
    label: str
    score: str
    measured: bool
    components: list[dict[str, str]]
    breakdown: list[tuple[str, str]]
    notes: list[str]
    weight: str


@dataclass
class IndicatorView:
    key: str
    label: str
    description: str
    band: str
    score: str
    score_value: float
    reading: str
    evidence: tuple[str, str]
    items: list[ItemView]


@dataclass
class ReportView:
    """Everything the report template sees."""

    title: str
    study: str
    wave: str
    wave_title: str  # the wave as the subtitle names it ("Wave 1", not "1")
    audience: str
    anonymized: bool
    members: int
    respondents: str
    indicators: list[IndicatorView]
    findings: list[str]
    more_findings: list[str]
    map: dict[str, Any]
    relations: list[RelationView]
    decisions: DecisionsView
    worklist: dict[str, Any]
    quality: dict[str, Any]
    methods: tuple[Method, ...]
    settings: list[tuple[str, str]]
    version: str
    seed: int
    previous_wave: str | None = None
    previous_wave_name: str = ""  # "wave 2024", "Wave 1" (never "wave Wave 1")
    newcomers: int = 0
    notes: list[str] = field(default_factory=list)
    #: Added to the maps' how-to-read text: which relations are undirected (or "").
    map_note: str = ""


def build_view(results: Results, *, audience: str = "evaluator") -> ReportView:
    """Turn results into the report's view model for ``audience``."""
    ctx = Context(results, audience)
    wave = results.wave
    rate = wave.response.at["all", "rate"]
    findings = [f.text for f in results.indicators.findings]
    return ReportView(
        title=f"{results.study.name}: how power is shared",
        study=results.study.name,
        wave=wave.label,
        wave_title=wave_name(wave.label, capital=True) if is_code(wave.label) else wave.label,
        audience=audience,
        anonymized=results.anonymized,
        members=len(wave.members),
        respondents=f"{int(wave.response.at['all', 'respondents'])} ({pct(rate)})",
        indicators=[_indicator(m, audience) for m in results.indicators.milestones],
        findings=findings[:3],
        more_findings=findings[3:],
        map=map_payload(results, audience=audience, seed=results.seed),
        relations=relation_views(ctx),
        decisions=decisions_view(ctx),
        worklist=worklist_view(ctx),
        quality=quality_view(ctx),
        methods=methods_for(r.graph for r in wave.relations.values()),
        settings=_settings(results),
        version=results.version,
        seed=results.seed,
        previous_wave=wave.previous_wave,
        previous_wave_name=wave_name(wave.previous_wave) if wave.previous_wave else "",
        newcomers=len(wave.newcomers),
        map_note=map_note([r.label for r in wave.relations.values()
                           if not r.graph.is_directed()], audience),
    )


def map_note(undirected: list[str], audience: str) -> str:
    """The maps' sentence about undirected relations, with a leading space; "" when
    every relation is directed.

    >>> map_note([], "evaluator")
    ''
    >>> map_note(["Work together"], "retreat")
    ' Work together is undirected: a line is a tie between two members, without arrows.'
    """
    if not undirected:
        return ""
    verb = "is" if len(undirected) == 1 else "are"
    card = (", and a member's card lists their contacts" if audience == "evaluator"
            else "")
    return (f" {', '.join(undirected)} {verb} undirected: a line is a tie between two "
            f"members, without arrows{card}.")


def _indicator(indicator, audience: str) -> IndicatorView:
    items = []
    for item in indicator.items:
        items.append(ItemView(
            label=item.label, score=score(item.score), measured=item.measured,
            components=[{"label": c.label, "raw": num(c.raw, 3) if c.raw is not None else
                         "–", "score": score(c.score), "how": c.how}
                        for c in item.components],
            breakdown=[(k, num(v, 2)) for k, v in item.breakdown.items()],
            notes=list(item.notes), weight=num(item.weight)))
    value = indicator.score if indicator.score is not None else 0.0
    return IndicatorView(
        key=indicator.key, label=indicator.label, description=indicator.description,
        band=indicator.band, score=score(indicator.score), score_value=round(value, 1),
        reading=indicator.reading, evidence=_evidence_link(indicator.key, audience),
        items=items)


def _evidence_link(key: str, audience: str) -> tuple[str, str]:
    anchor, title = EVIDENCE_SECTIONS[key]
    if anchor == "worklist" and audience != "evaluator":
        title = "Connections"  # the retreat view's name for the section
    return anchor, title


def _settings(results: Results) -> list[tuple[str, str]]:
    rows = [(f"analysis.{k}", str(v)) for k, v in asdict(results.settings).items()]
    indicator_settings = asdict(results.indicators.settings)
    weights = indicator_settings.pop("weights")
    rows += [(f"indicators.{k}", str(v)) for k, v in indicator_settings.items()]
    rows += [(f"indicators.weights.{k}", str(v)) for k, v in sorted(weights.items())]
    rows.append(("seed", str(results.seed)))
    return rows
