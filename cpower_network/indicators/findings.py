"""The most important findings, in words a coalition can quote.

Small rules each propose a finding with a priority; the report's headline and
``cpower analyze``'s summary show the top three. Findings speak of groups and silos,
never of individual members, so they are safe in every audience: a focus group too small
to measure (:mod:`cpower_network.config.groups`) is never the subject of a finding, and
one under ``small_group`` members is flagged. A finding agrees with the tables it
summarises: it claims "more/less than chance" only where the test's Benjamini–Hochberg
q-value is under 0.05, and "the fewest of any two silos" only among three or more silos,
saying which silos it left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..common.wording import counted, either, probability, silo_name
from ..config import groups as groups_policy
from ..graphs import DECISIONS
from ..measures.inference import ALPHA, NOT_TESTABLE
from . import reasons
from .roles import relation_for

#: Above every other finding (decision parity reaches 110): with no ties at all, the
#: data are the first thing to check.
NO_TIES_PRIORITY = 115
#: The false discovery rate under which a test's result is called more or less than
#: chance.
FDR = ALPHA


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
        if group.key not in decisions.parity.index or reasons.group(results, group.key):
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
        text += "".join(f" {note}." for note in reasons.group_notes(results, [group.key]))
        gap = abs(1 - row["parity"])
        found.append(Finding(text, "lived_experience", 90 - 10 * rank + 20 * min(gap, 1)))
    return found


def silo_gap_finding(results: Any, indicators: Any) -> list[Finding]:
    """The silo pair with the fewest ties for its size, among silos of ``suppress_group``
    or more members (the sentence says how many smaller silos it left out); none when
    nobody reported a tie at all."""
    combined = getattr(results.wave, "combined", None)
    if combined is not None and not reasons.has_ties(combined):
        return []
    gaps = results.wave.worklist.silo_gaps
    silos = results.roster.loc[results.wave.members, "silo"].value_counts()
    _small, suppress = reasons.thresholds(results)
    sizeable = gaps[gaps["silo_a"].map(silos).ge(suppress)
                    & gaps["silo_b"].map(silos).ge(suppress)]
    if sizeable.empty:
        return []
    row = sizeable.iloc[0]
    column = _silo_column(results)
    ties = int(row["ties"])
    text = (f"Of the {counted(int(row['possible']), 'pair')} of members across "
            f"{silo_name(row['silo_a'], column)} and {silo_name(row['silo_b'], column)}, "
            f"{ties} {'is' if ties == 1 else 'are'} in touch "
            f"{_through(getattr(results.wave.worklist, 'in_touch', []))}"
            f"{_fewest(sizeable, int((silos < suppress).sum()), suppress)}.")
    return [Finding(text, "cohesion", 85 if row["density"] < 0.02 else 55)]


def _through(relations: list[str]) -> str:
    """How two members are in touch: "(work together, trust or go to for advice)".

    >>> _through(["Work together", "Trust"]), _through([])
    ('(work together or trust)', 'in any relation')
    """
    if not relations:
        return "in any relation"
    return f"({either([r[:1].lower() + r[1:] for r in relations])})"


def _fewest(sizeable: Any, left_out: int, suppress: int) -> str:
    """", the fewest … of any two silos" when the first of ``sizeable`` (pairs of silos,
    fewest first) is compared with another pair; nothing with one pair to compare."""
    if len(sizeable) < 2:
        return ""
    tied = sizeable["density"].iloc[1] <= sizeable["density"].iloc[0]
    text = (", as few for their size as any two silos" if tied
            else ", the fewest for their size of any two silos")
    if left_out:
        text += (f" of {suppress} or more members "
                 f"({counted(left_out, 'smaller silo')} left out)")
    return text


def _silo_column(results: Any) -> str:
    """The roster's silo column, which names numeric silo codes ("sector 1")."""
    return getattr(getattr(results, "study", None), "silo_label", None) or "silo"


def isolates_finding(results: Any, indicators: Any) -> list[Finding]:
    """Members in touch with no one (no tie in a relation that means contact)."""
    count = len(results.wave.worklist.isolates)
    if not count or count >= len(results.wave.members):
        return []       # everyone: the no-ties finding says so
    noun = "member is" if count == 1 else "members are"
    silent = set(getattr(results.wave.worklist, "did_not_answer", ()))
    unsure = sum(1 for m in results.wave.worklist.isolates if m in silent)
    known = "" if not unsure else (
        f" as far as anyone reported ({'they' if unsure == count else unsure} did not "
        "answer themselves)")
    return [Finding(f"{count} {noun} in touch with no one{known}: a weaver's first calls.",
                    "cohesion", 70 + min(count, 10))]


def mixing_finding(results: Any, indicators: Any) -> list[Finding]:
    """Whether collaboration (the relation playing that role, or else the first relation)
    stays inside silos: "more/less often than random mixing" only when the E-I test's
    q-value is under :data:`FDR`; nothing with one silo or no ties."""
    relations = results.wave.relations
    relation = (relation_for(results, indicators.settings, "collaboration").relation
                or next(iter(relations.values()), None))
    if relation is None or relation.ei.value != relation.ei.value or \
            reasons.silo_count(results) < 2:
        return []
    ei = relation.ei
    values = f"E-I {ei.value:.2f} against {ei.expected:.2f} expected"
    plain = (f"{relation.label} ties cross silos at an E-I of {ei.value:.2f} against "
             f"{ei.expected:.2f} expected with random mixing")
    q = getattr(ei, "q_value", float("nan"))
    if not getattr(ei, "testable", True):
        text = f"{plain}; whether that differs from chance is {NOT_TESTABLE}."
        return [Finding(text, "safety_trust", 40)]
    if q != q:
        return [Finding(f"{plain} (not tested against chance).", "safety_trust", 40)]
    tested = _tested(ei.p_value, q, getattr(results.wave, "tests_run", 0))
    if q >= FDR or ei.value == ei.expected:
        text = f"{plain}, a difference the test does not tell from chance ({tested})."
        return [Finding(text, "safety_trust", 40)]
    test = f"{values}; {tested}"
    if ei.value > ei.expected:
        text = (f"{relation.label} ties cross silos more often than random mixing would "
                f"give ({test}).")
        return [Finding(text, "safety_trust", 30)]
    most = (f"; {_pct((1 - ei.value) / 2)} of them stay inside a silo" if ei.value < 0
            else "")
    text = (f"{relation.label} ties cross silos less often than random mixing would give "
            f"({test}){most}.")
    return [Finding(text, "safety_trust", 60 + 20 * min(ei.expected - ei.value, 1))]


def _tested(p: float, q: float, tests: int) -> str:
    """"p = 0.018, q = 0.040 across 12 tests" (the count left out while unknown).

    >>> _tested(0.0004, 0.004, 12), _tested(0.2, 0.31, 0)
    ('p < 0.001, q = 0.004 across 12 tests', 'p = 0.200, q = 0.310')
    """
    across = f" across {counted(int(tests), 'test')}" if tests else ""
    return f"{probability('p', p)}, {probability('q', q)}{across}"


def no_ties_finding(results: Any, indicators: Any) -> list[Finding]:
    """Relations in which nobody reported a tie: their network evidence is not measured
    (who shaped decisions is not a relation the network evidence reads)."""
    relations = [r for key, r in results.wave.relations.items() if key != DECISIONS]
    empty = [r.label for r in relations if not reasons.has_ties(r.graph)]
    if not empty:
        return []
    names = either(empty)
    if len(empty) == len(relations):
        return [Finding(f"Nobody reported a tie in {names}: the network evidence is not "
                        "measured. Check the survey exports before reading this as a "
                        "coalition without relationships.", "cohesion", NO_TIES_PRIORITY)]
    return [Finding(f"Nobody reported a tie in {names}: "
                    f"{'its' if len(empty) == 1 else 'their'} measures are not measured.",
                    None, 65)]


def response_finding(results: Any, indicators: Any) -> list[Finding]:
    """A focus group whose response rate is below the warning threshold."""
    threshold = results.settings.response_rate_warning
    found = []
    labels = {g.key: g.label for g in results.wave.groups}
    sizes = {g.key: g.size for g in results.wave.groups}
    _small, suppress = reasons.thresholds(results)
    for key, row in results.wave.response.iloc[1:].iterrows():
        if groups_policy.too_small(sizes.get(key, suppress), suppress):
            continue
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
    response_finding, weakest_indicator_finding, no_ties_finding,
]


def top_findings(results: Any, indicators: Any) -> list[Finding]:
    """All findings, most important first (the first three are the headline)."""
    found = [f for rule in FINDING_RULES for f in rule(results, indicators)]
    return sorted(found, key=lambda f: -f.priority)
