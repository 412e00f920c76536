"""The report's top-level view model: headline, maps, sections, methods."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..config.groups import SMALL_GROUP, SUPPRESS_GROUP, thresholds
from ..indicators.reasons import NO_FOCUS_GROUPS, defines_focus_groups
from ..results.model import Results
from .decisions import DecisionsView, decisions_view
from .format import counted, fdr_sentence, is_code, num, pct, score, silo_name, wave_name
from .maps import OTHER_SILOS, MapPrivacy, map_payload, map_privacy
from .methods import Method, methods_for
from .quality import quality_view
from .ratings import ratings_view
from .sections import Context, RelationView, relation_views
from .shared import Suppressed, shared_results
from .worklist import worklist_view

#: Where each milestone's evidence is shown in the report (the scorecard's arrows).
EVIDENCE_SECTIONS = {
    "setting_the_table": ("quality", "Data quality and membership"),
    "safety_trust": ("silos", "Across silos"),
    "cohesion": ("worklist", "Weaver's worklist"),
    "financing": ("power", "Power"),
    "lived_experience": ("decisions", "Decisions"),
}
AUDIENCES = ("evaluator", "retreat")
# SMALL_GROUP and SUPPRESS_GROUP (groups_policy): groups under the first are flagged
# "n = 4, read with care" in every table and chart; under the second they are left out of
# every shared view and their p-values withheld in the evaluator view too.


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
    ratings: dict[str, Any]
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
    #: What the map's shapes and borders mark (the focus groups it shows).
    map_marks: str = ""
    #: "55 tests, false discovery rate 5 %" where p-values are listed ("" for none).
    tests: str = ""
    #: Retreat view: what this view leaves out (groups too small), for the facilitator.
    shared_note: str = ""
    #: Retreat view: who the maps leave off or pool, and why.
    privacy_note: str = ""
    #: Without focus groups: what is not measured and how to define them ("" with some).
    no_focus_groups: str = ""
    #: Groups with fewer members are flagged; with fewer than ``suppress``, suppressed.
    small: int = SMALL_GROUP
    suppress: int = SUPPRESS_GROUP


def audience_results(results: Results, audience: str) -> tuple[Results, Suppressed]:
    """The results a view for ``audience`` is built from: all of them for the
    evaluator; for a shared view, without the groups too small to hide anyone."""
    _small, suppress = thresholds(results.settings, floors=True)
    if audience == "evaluator":
        return results, Suppressed(suppress)
    return shared_results(results, suppress)


def build_view(results: Results, *, audience: str = "evaluator") -> ReportView:
    """Turn results into the report's view model for ``audience``."""
    small, suppress = thresholds(results.settings, floors=True)
    shown, suppressed = audience_results(results, audience)
    ctx = Context(shown, audience, small=small, suppress=suppress)
    wave = shown.wave
    rate = wave.response.at["all", "rate"]
    findings = [f.text for f in shown.indicators.findings]
    payload = map_payload(shown, audience=audience, seed=results.seed, suppress=suppress)
    privacy = map_privacy(shown.roster, wave.members, audience, suppress)
    return ReportView(
        title=f"{results.study.name}: how power is shared",
        study=results.study.name,
        wave=wave.label,
        wave_title=wave_name(wave.label, capital=True) if is_code(wave.label) else wave.label,
        audience=audience,
        anonymized=results.anonymized,
        members=len(wave.members),
        respondents=f"{int(wave.response.at['all', 'respondents'])} ({pct(rate)})",
        indicators=[_indicator(m, audience) for m in shown.indicators.milestones],
        findings=findings[:3],
        more_findings=findings[3:],
        map=payload,
        relations=relation_views(ctx),
        decisions=decisions_view(ctx),
        ratings=ratings_view(ctx),
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
        map_marks=map_marks([g["label"] for g in payload["focus_groups"]]),
        tests=fdr_sentence(wave.tests_run),
        shared_note=shared_note(suppressed, results.study.silo_label),
        privacy_note=privacy_note(privacy),
        no_focus_groups="" if defines_focus_groups(results) else NO_FOCUS_GROUPS_NOTE,
        small=small,
        suppress=suppress,
    )


#: The report's note in a study without focus groups (its figures are "not measured").
NO_FOCUS_GROUPS_NOTE = (
    f"Every figure about focus groups (parity ratios, group differences, voice gaps, and "
    f"the evidence on lived-experience and grassroots members) is not measured: "
    f"{NO_FOCUS_GROUPS}. To measure them, add a [focus_groups] table naming a yes/no "
    f"roster column for each group, e.g. lived_experience = {{ column = "
    f"\"lived_experience\", label = \"Lived experience\" }} (cpower config focus_groups "
    f"lists its keys), and run the analysis again.")


def map_marks(groups: list[str]) -> str:
    """What the maps' shapes and borders mark: the first focus group a diamond, the
    second a thick border ("" without focus groups).

    >>> map_marks(["Lived experience", "Grassroots"])
    '; diamonds mark members of Lived experience and a thick border members of Grassroots'
    >>> map_marks([])
    ''
    """
    if not groups:
        return ""
    text = f"; diamonds mark members of {groups[0]}"
    return text + (f" and a thick border members of {groups[1]}" if len(groups) > 1 else "")


def shared_note(suppressed: Suppressed, column: str = "silo") -> str:
    """The retreat view's note on the groups it leaves out ("" when none).

    >>> print(shared_note(Suppressed(3, ("Lived experience",), ("Funders",),
    ...                              ("Central in the everyday network",))))
    ... # doctest: +NORMALIZE_WHITESPACE
    Left out of this view because they have fewer than 3 members, so that their
    figures would be one or two members' own: the focus group Lived experience; the
    silo Funders (from the silo tables and heat maps). Not shown for the same reason:
    central in the everyday network.
    """
    if not suppressed:
        return ""
    parts = []
    if suppressed.groups:
        noun = "focus group" if len(suppressed.groups) == 1 else "focus groups"
        parts.append(f"the {noun} {_and(list(suppressed.groups))}")
    if suppressed.silos:
        noun = "silo" if len(suppressed.silos) == 1 else "silos"
        names = [silo_name(s, column) for s in suppressed.silos]
        parts.append(f"the {noun} {_and(names)} (from the silo tables and heat maps)")
    text = (f"Left out of this view because they have fewer than {suppressed.threshold} "
            f"members, so that their figures would be one or two members' own: "
            f"{'; '.join(parts)}.") if parts else ""
    if suppressed.items:
        text += (f" Not shown for the same reason: "
                 f"{', '.join(i.lower() for i in suppressed.items)}.")
    return text.strip()


def privacy_note(privacy: MapPrivacy) -> str:
    """The retreat maps' note on who they leave off and which silos they pool ("" when
    neither).

    >>> privacy_note(MapPrivacy(3, frozenset({"m1"}), ("Funders",)))
    ... # doctest: +NORMALIZE_WHITESPACE
    'Silos with fewer than 3 members are drawn together in grey as “Other silos”. 1
    member who did not agree to be named is left off the maps: so few members of their
    silo did not agree that an unnamed dot among its named members would single them
    out by elimination (a grey dot would not hide them: the layout keeps members beside
    their silo). Their ties still count in every figure.'
    """
    text = ""
    if privacy.pooled:
        text += (f"Silos with fewer than {privacy.threshold} members are drawn together in "
                 f"grey as “{OTHER_SILOS}”. ")
    if privacy.left_off:
        n = len(privacy.left_off)
        text += (f"{counted(n, 'member')} who did not agree to be named "
                 f"{'is' if n == 1 else 'are'} left off the maps: so few members of their "
                 "silo did not agree that an unnamed dot among its named members would "
                 "single them out by elimination (a grey dot would not hide them: the "
                 "layout keeps members beside their silo). Their ties still count in "
                 "every figure.")
    return text.strip()


def _and(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``.

    >>> _and(["a"]), _and(["a", "b"]), _and(["a", "b", "c"])
    ('a', 'a and b', 'a, b and c')
    """
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


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


def _setting_text(key: str, value: object) -> str:
    """A setting as the report prints it; unset permutations say what they mean.

    >>> _setting_text("permutations", 5000)
    '5000'
    >>> _setting_text("permutations", None).startswith("unset: 1,000 per test")
    True
    """
    if key == "permutations" and value is None:
        return ("unset: 1,000 per test; a test at p ≤ 0.05 is drawn again with enough "
                "draws for its q-value")
    return str(value)


def _settings(results: Results) -> list[tuple[str, str]]:
    rows = [(f"analysis.{k}", _setting_text(k, v))
            for k, v in asdict(results.settings).items()]
    indicator_settings = asdict(results.indicators.settings)
    weights = indicator_settings.pop("weights")
    rows += [(f"indicators.{k}", str(v)) for k, v in indicator_settings.items()]
    rows += [(f"indicators.weights.{k}", str(v)) for k, v in sorted(weights.items())]
    rows.append(("seed", str(results.seed)))
    return rows
