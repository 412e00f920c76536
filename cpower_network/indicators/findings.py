"""The most important findings, in words a coalition can quote.

Small rules each propose a finding with a priority; the report's headline and
``cpower analyze``'s summary show the top three. Findings speak of groups and silos,
never of individual members, so they are safe in every audience.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..wording import counted, silo_name
from .roles import relation_for


@dataclass(frozen=True)
class Finding:
    """A finding: its sentence, the milestone it is evidence for, and its priority."""

    text: str
    milestone: str | None
    priority: float


def _pct(share: float) -> str:
    return f"{share * 100:.0f} %"


def decision_parity_finding(results: Any, indicators: Any) -> list[Finding]:
    """How decision influence compares with membership, for each focus group."""
    decisions = results.wave.decisions
    if decisions is None:
        return []
    found = []
    for rank, group in enumerate(results.wave.groups[1:]):
        if group.key not in decisions.parity.index or group.size == 0:
            continue
        row = decisions.parity.loc[group.key]
        if row["parity"] != row["parity"]:
            continue
        if row["parity"] < 1:
            text = (f"{group.label} members hold {_pct(row['share'])} of decision influence "
                    f"while making up {_pct(row['membership_share'])} of the coalition "
                    f"(parity {row['parity']:.2f}).")
        else:
            text = (f"{group.label} members hold {_pct(row['share'])} of decision influence, "
                    f"at least their {_pct(row['membership_share'])} share of the coalition "
                    f"(parity {row['parity']:.2f}).")
        gap = abs(1 - row["parity"])
        found.append(Finding(text, "lived_experience", 90 - 10 * rank + 20 * min(gap, 1)))
    return found


def silo_gap_finding(results: Any, indicators: Any) -> list[Finding]:
    """The silo pair with the fewest ties for its size (silos of 3 or more members)."""
    gaps = results.wave.worklist.silo_gaps
    silos = results.roster.loc[results.wave.members, "silo"].value_counts()
    sizeable = gaps[gaps["silo_a"].map(silos).ge(3) & gaps["silo_b"].map(silos).ge(3)]
    if sizeable.empty:
        return []
    row = sizeable.iloc[0]
    column = _silo_column(results)
    fewest = ", the fewest for their size of any two silos" if len(gaps) > 1 else ""
    text = (f"Of the {counted(int(row['possible']), 'pair')} of members across "
            f"{silo_name(row['silo_a'], column)} and {silo_name(row['silo_b'], column)}, "
            f"{int(row['ties'])} {'is' if int(row['ties']) == 1 else 'are'} in touch "
            f"in any relation{fewest}.")
    return [Finding(text, "cohesion", 85 if row["density"] < 0.02 else 55)]


def _silo_column(results: Any) -> str:
    """The roster's silo column, which names numeric silo codes ("sector 1")."""
    return getattr(getattr(results, "study", None), "silo_label", None) or "silo"


def isolates_finding(results: Any, indicators: Any) -> list[Finding]:
    """Members with no tie in any relation."""
    count = len(results.wave.worklist.isolates)
    if not count:
        return []
    noun = "member has" if count == 1 else "members have"
    return [Finding(f"{count} {noun} no tie in any relation: a weaver's first calls.",
                    "cohesion", 70 + min(count, 10))]


def mixing_finding(results: Any, indicators: Any) -> list[Finding]:
    """Whether collaboration (the relation playing that role, or else the first relation)
    stays inside silos."""
    relations = results.wave.relations
    relation = (relation_for(results, indicators.settings, "collaboration").relation
                or next(iter(relations.values()), None))
    if relation is None or relation.ei.value != relation.ei.value:
        return []
    ei = relation.ei
    if ei.p_value != ei.p_value:
        p = "not tested against chance"
    else:
        p = "p < 0.001" if ei.p_value < 0.001 else f"p = {ei.p_value:.3f}"
    if ei.value == ei.expected or ei.p_value > 0.05:
        text = (f"{relation.label} ties cross silos about as often as random mixing would "
                f"give (E-I {ei.value:.2f}, expected {ei.expected:.2f}).")
        return [Finding(text, "safety_trust", 40)]
    if ei.value > ei.expected:
        text = (f"{relation.label} ties cross silos more often than random mixing would "
                f"give: E-I {ei.value:.2f} against {ei.expected:.2f} expected ({p}).")
        return [Finding(text, "safety_trust", 30)]
    most = (f"; {_pct((1 - ei.value) / 2)} of them stay inside a silo" if ei.value < 0
            else "")
    text = (f"{relation.label} ties cross silos less often than random mixing would give: "
            f"E-I {ei.value:.2f} against {ei.expected:.2f} expected ({p}){most}.")
    return [Finding(text, "safety_trust", 60 + 20 * min(ei.expected - ei.value, 1))]


def response_finding(results: Any, indicators: Any) -> list[Finding]:
    """A focus group whose response rate is below the warning threshold."""
    threshold = results.settings.response_rate_warning
    found = []
    labels = {g.key: g.label for g in results.wave.groups}
    for key, row in results.wave.response.iloc[1:].iterrows():
        if row["rate"] == row["rate"] and row["rate"] < threshold:
            found.append(Finding(
                f"Only {_pct(row['rate'])} of {labels.get(key, key).lower()} members "
                "answered: read their figures with care.", None, 75))
    return found


def weakest_indicator_finding(results: Any, indicators: Any) -> list[Finding]:
    """The lowest-scoring measured indicator."""
    measured = [m for m in indicators.milestones if m.score is not None]
    if not measured:
        return []
    weakest = min(measured, key=lambda m: m.score)
    return [Finding(weakest.reading, weakest.key, 50 if weakest.band != "Strong" else 20)]


FINDING_RULES: list[Callable[[Any, Any], list[Finding]]] = [
    decision_parity_finding, silo_gap_finding, isolates_finding, mixing_finding,
    response_finding, weakest_indicator_finding,
]


def top_findings(results: Any, indicators: Any) -> list[Finding]:
    """All findings, most important first (the first three are the headline)."""
    found = [f for rule in FINDING_RULES for f in rule(results, indicators)]
    return sorted(found, key=lambda f: -f.priority)
