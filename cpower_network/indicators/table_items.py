"""Evidence items of *Setting the table*: diversity of membership, lived experience in
leadership, newcomers welcomed, and whether members feel they can take part."""

from __future__ import annotations

from ..common.wording import counted
from ..config.indicators import IndicatorSettings
from ..measures.diversity import blau_index
from ..results.model import Results
from . import reasons, scoring
from .evidence import EvidenceItem, rule
from .rule_parts import _perception, _scored
from .scoring import Component, not_measured


@rule("diversity", "setting_the_table", "Diversity of membership")
def diversity(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    members = results.wave.members
    silos = results.roster.loc[members, "silo"]
    # Normalised by its maximum 1 − 1/K, the Blau index is 0/0 with one silo.
    component = _scored(scoring.share, "Blau index of silos, normalised",
                        blau_index(silos, normalized=True), reason=reasons.one_silo(results))
    breakdown = {}
    for group in results.wave.groups[1:]:
        breakdown[f"share of {group.label.lower()} members"] = group.size / len(members)
    return EvidenceItem("diversity", "setting_the_table", "Diversity of membership",
                        [component], breakdown)


@rule("le_leadership", "setting_the_table", "Lived experience in leadership")
def le_leadership(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    roster = results.roster.loc[results.wave.members]
    label = "Lived experience in leadership"
    group = settings.lived_experience
    if "leader" not in roster or not roster["leader"].any():
        return EvidenceItem("le_leadership", "setting_the_table", label,
                            [Component("leadership roles held", None, None,
                                       "not measured: no leadership roles in the roster")])
    what = "share of leadership roles ÷ membership share"
    leaders = roster[roster["leader"]]
    # The group's reason first: without the group, a roster column of that name (kept
    # as text) is not its membership.
    reason = reasons.group(results, group) or (
        None if group in roster else f"no {group!r} column in the roster")
    if reason:
        return EvidenceItem("le_leadership", "setting_the_table", label,
                            [not_measured(what, reason)],
                            {"leadership roles": float(len(leaders))})
    leader_share = float(leaders[group].mean())
    membership = float(roster[group].mean())
    ratio = leader_share / membership if membership else None
    return EvidenceItem("le_leadership", "setting_the_table", label,
                        [_scored(scoring.parity, what, ratio)],
                        {"leadership roles": float(len(leaders)),
                         "share held by lived experience": leader_share,
                         "lived-experience membership share": membership},
                        notes=reasons.group_notes(results, [group]))


@rule("newcomers", "setting_the_table", "Newcomers welcomed")
def newcomers(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    degree = results.wave.newcomer_degree
    label = "Newcomers welcomed"
    what = "newcomers' contacts ÷ returning members'"
    reason = _newcomers_unmeasured(degree)
    if reason:
        return EvidenceItem("newcomers", "setting_the_table", label,
                            [Component(what, None, None, reason)])
    ratio = degree["newcomers"] / degree["returning"] if degree["returning"] else None
    return EvidenceItem("newcomers", "setting_the_table", label,
                        [scoring.against_target("newcomers' mean contacts ÷ returning "
                                                "members'", ratio, 1.0)],
                        {k: float(v) for k, v in degree.items()},
                        notes=_newcomers_left_out(degree))


def _newcomers_unmeasured(degree: dict[str, float]) -> str | None:
    """Why the newcomers' contacts cannot be measured, or None when they can."""
    if not degree:
        return "not measured: needs a previous wave"
    if degree.get("newcomer_count"):
        return None
    unasked = int(degree.get("newcomers_not_asked", 0))
    if unasked:
        return (f"not measured: the newcomers ({unasked}) were not asked about in this "
                "wave's grids")
    return "not measured: no newcomers this wave"


def _newcomers_left_out(degree: dict[str, float]) -> list[str]:
    """Notes on members left out of the means because nobody was asked about them."""
    notes = []
    for key, who in (("newcomers_not_asked", "newcomer"),
                     ("returning_not_asked", "returning member")):
        count = int(degree.get(key, 0))
        if count:
            notes.append(f"{counted(count, who)} {'was' if count == 1 else 'were'} not "
                         "asked about in this wave's grids and left out of the mean: their "
                         "ties are unknown, not absent")
    return notes


@rule("table_perception", "setting_the_table", "Members feel they can take part")
def table_perception(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    return _perception(results, "table_perception", "setting_the_table",
                       "Members feel they can take part", ["take_part", "role_clear"],
                       settings=settings)
