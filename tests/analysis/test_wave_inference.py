"""The statistics of a wave comparison hold up (docs/methods.md §Change between waves):
the dyad swap agrees with exact enumeration on small networks, out-tie measures use
members who answered in both waves, the Gini of influence is compared only where it can
be, a test that cannot reject says so, q-values decide what is "larger than chance",
draws are enforced, and small groups are flagged, withheld and (in shared views) left
out.
"""

from __future__ import annotations

import itertools
import json
import re

import numpy as np
import pytest

import cpower_network as cp
from cpower_network.export.comparison_json import comparison_document
from cpower_network.measures.inference import NOT_TESTABLE
from cpower_network.waves.inference import (
    DyadSwap,
    centralization_change,
    density_change,
    dyad_change,
    ei_change,
    run_one,
)


# ---------------------------------------------------------------------------------------
# The dyad swap, against every arrangement
# ---------------------------------------------------------------------------------------
def swapped_arcs(first: set, last: set, dyads: list, swaps: tuple) -> tuple[set, set]:
    """Both waves' arcs with the tie states of the dyads marked in ``swaps`` exchanged
    (both arcs of a dyad move together)."""
    one, two = set(first), set(last)
    for swap, (u, v) in zip(swaps, dyads, strict=True):
        if swap:
            for arc in ((u, v), (v, u)):
                in_one, in_two = arc in one, arc in two
                (one.add if in_two else one.discard)(arc)
                (two.add if in_one else two.discard)(arc)
    return one, two


def density(arcs: set, n: int) -> float:
    return len(arcs) / (n * (n - 1))


def ei(arcs: set, silo: list) -> float:
    external = sum(1 for u, v in arcs if silo[u] != silo[v])
    return (2 * external - len(arcs)) / len(arcs)


def centralisation(arcs: set, n: int) -> float:
    degree = [sum(1 for _, v in arcs if v == w) for w in range(n)]
    return sum(max(degree) - d for d in degree) / (n - 1) ** 2


def enumerate_changes(first: set, last: set, statistic) -> tuple[list, list[float]]:
    """The differing dyads (u < v, sorted) and the change under each of the 2^k swaps,
    in itertools.product order (the first dyad is the slowest-moving bit)."""
    dyads = sorted({(min(a), max(a)) for a in first ^ last})
    changes = []
    for swaps in itertools.product([False, True], repeat=len(dyads)):
        one, two = swapped_arcs(first, last, dyads, swaps)
        changes.append(statistic(two) - statistic(one))
    return dyads, changes


def exact_p(observed: float, changes: list[float]) -> float:
    """The exact two-sided p: the share of all arrangements at least as extreme."""
    return float(np.mean(np.abs(changes) >= abs(observed) - 1e-12))


def as_array(arcs: set) -> np.ndarray:
    return np.array(sorted(arcs), dtype=np.int64).reshape(-1, 2)


#: Four members, silos X X Y Y. Pair {0, 1} keeps its mutual tie; four dyads change:
#: {0, 2}: 0→2 becomes 2→0; {1, 2}: 1→2 is new; {1, 3}: 3→1 is new; {2, 3}: 2→3 becomes
#: 3→2. Wave 1 has 4 arcs, wave 2 has 6.
FOUR_FIRST = {(0, 1), (1, 0), (0, 2), (2, 3)}
FOUR_LAST = {(0, 1), (1, 0), (1, 2), (2, 0), (3, 2), (3, 1)}
FOUR_SILOS = [0, 0, 1, 1]


def four_member_statistics() -> dict:
    change = dyad_change(as_array(FOUR_FIRST), as_array(FOUR_LAST), 4, directed=True)
    return {
        "density": (density_change(change, 12), lambda arcs: density(arcs, 4)),
        "ei": (ei_change(change, np.array(FOUR_SILOS)), lambda arcs: ei(arcs, FOUR_SILOS)),
        "centralisation": (centralization_change(change),
                           lambda arcs: centralisation(arcs, 4)),
    }


def test_dyads_that_changed_by_hand():
    change = dyad_change(as_array(FOUR_FIRST), as_array(FOUR_LAST), 4, directed=True)
    assert change.pairs.tolist() == [[0, 2], [1, 2], [1, 3], [2, 3]]
    # last minus first, per dyad: (arc u→v, arc v→u)
    assert change.delta.tolist() == [[-1, 1], [1, 0], [0, 1], [-1, 1]]


def test_observed_changes_by_hand():
    found = four_member_statistics()
    # density 4/12 → 6/12; E-I (2·1 − 4)/4 = −0.5 → (2·3 − 6)/6 = 0; in-degrees
    # (1, 1, 1, 1) → (2, 2, 2, 0): centralisation 0 → (0 + 0 + 0 + 2)/3²
    assert found["density"][0][0] == pytest.approx(1 / 6)
    assert found["ei"][0][0] == pytest.approx(0.5)
    assert found["centralisation"][0][0] == pytest.approx(2 / 9)


@pytest.mark.parametrize("name", ["density", "ei", "centralisation"])
def test_dyad_swap_draws_equal_exact_enumeration(name):
    """Every one of the 2^4 arrangements gives, vectorised, the change a direct
    recomputation from the swapped arcs gives; with many random draws the p-value is
    the exact one, and 16 arrangements cannot reach 0.05."""
    (observed, statistic), direct = four_member_statistics()[name]
    dyads, changes = enumerate_changes(FOUR_FIRST, FOUR_LAST, direct)
    assert len(dyads) == 4
    every = np.array(list(itertools.product([False, True], repeat=4)))
    assert statistic(every).tolist() == pytest.approx(changes)
    found = run_one(DyadSwap(4), observed, statistic, draws=20_000,
                    rng=np.random.default_rng(7))
    assert found.p_value == pytest.approx(exact_p(observed, changes), abs=0.02)
    assert not found.testable and found.smallest_p > 0.05


def test_density_p_on_four_members_is_one_half():
    """Two dyads gained an arc, two moved one: swapping none or both gainers keeps
    |Δ| = 1/6 (4 of 16 arrangements each way), swapping one makes Δ = 0: p = 1/2."""
    (observed, _), direct = four_member_statistics()["density"]
    _, changes = enumerate_changes(FOUR_FIRST, FOUR_LAST, direct)
    assert sorted(set(np.round(changes, 12))) == pytest.approx([-1 / 6, 0, 1 / 6])
    assert exact_p(observed, changes) == 0.5


def test_dyad_swap_rejects_a_real_density_rise():
    """Eight members in a ring; the second wave adds 12 arcs on 12 new dyads. Only the
    two arrangements that swap none or all of them are as extreme: exact p = 2/4096."""
    n = 8
    ring = {(i, (i + 1) % n) for i in range(n)}
    extra = {(0, 2), (0, 3), (0, 4), (0, 5), (0, 6), (1, 3), (1, 4), (1, 5), (1, 6),
             (1, 7), (2, 4), (2, 5)}
    first, last = ring, ring | extra
    change = dyad_change(as_array(first), as_array(last), n, directed=True)
    observed, statistic = density_change(change, n * (n - 1))
    assert observed == pytest.approx(12 / 56)
    _, changes = enumerate_changes(first, last, lambda arcs: density(arcs, n))
    every = np.array(list(itertools.product([False, True], repeat=12)))
    assert statistic(every).tolist() == pytest.approx(changes)
    assert exact_p(observed, changes) == 2 / 4096
    found = run_one(DyadSwap(change.size), observed, statistic, draws=40_000,
                    rng=np.random.default_rng(3))
    assert found.testable
    assert found.p_value == pytest.approx(2 / 4096, abs=3e-4)


def test_undirected_dyads_are_edges():
    first = np.array([[0, 1], [1, 2]])
    last = np.array([[1, 0], [2, 3]])                 # {0,1} kept; {1,2} lost; {2,3} new
    change = dyad_change(first, last, 4, directed=False)
    assert change.pairs.tolist() == [[1, 2], [2, 3]]
    assert change.delta[:, 0].tolist() == [-1, 1]
    observed, statistic = density_change(change, 6)
    assert observed == 0.0
    # swapping only {2, 3} gives wave 1 three edges and wave 2 one: Δ = −2/6
    assert statistic(np.array([[False, True]])).tolist() == pytest.approx([-1 / 3])


def test_centralisation_draws_fall_on_both_sides():
    """A ring of 20 in which everyone starts naming member 0: the dyad swap moves each
    new arc to either wave, so draws fall on both sides of 0 and the rise is rare."""
    n = 20
    ring = {(i, (i + 1) % n) for i in range(n)}
    star = {(i, 0) for i in range(2, n)}
    change = dyad_change(as_array(ring), as_array(ring | star), n, directed=True)
    observed, statistic = centralization_change(change)
    # in-degrees: 18 for member 0, 1 for the 19 others; before, 1 for everyone
    assert change.size == 17 and observed == pytest.approx(19 * 17 / 19**2)
    draws = statistic(DyadSwap(change.size).draw(np.random.default_rng(1), 4000))
    assert draws.min() < 0 < draws.max()
    found = run_one(DyadSwap(change.size), observed, statistic, draws=2000,
                    rng=np.random.default_rng(2))
    assert found.testable and found.p_value < 0.01


# ---------------------------------------------------------------------------------------
# Studies small enough to check by hand
# ---------------------------------------------------------------------------------------
ROSTER = """member_id,name,sector,lived,youth,waves
a,Ann Able,X,yes,no,w1|w2
b,Bob Burr,X,yes,no,w1|w2
c,Cat Cole,X,yes,no,w1|w2
d,Dan Dee,Y,yes,no,w1|w2
e,Eve Eng,Y,no,no,w1|w2
f,Fay Fox,Y,no,no,w1|w2
g,Gus Gray,Y,no,yes,w1|w2
h,Hal Hill,X,no,yes,w1|w2
"""


def study_toml(decisions: dict[str, list[str]], youth: bool = True) -> str:
    """Waves w1, w2 with a long collaborate survey and, per wave, a decision survey
    asking about ``decisions[wave]`` (one column each)."""
    groups = 'lived_experience = { column = "lived", label = "Lived experience" }\n'
    if youth:
        groups += 'youth = { column = "youth", label = "Youth council" }\n'
    text = f"""
[study]
name = "Hand"
seed = 5
[roster]
file = "roster.csv"
silo = "sector"
waves = "waves"
[focus_groups]
{groups}
[relations.collaborate]
"""
    for wave, asked in decisions.items():
        text += f"""
[waves.{wave}]
[[waves.{wave}.surveys]]
file = "{wave}.csv"
respondent = "who"
[[waves.{wave}.surveys.questions]]
shape = "long"
relation = "collaborate"
alter = "alter"
"""
        if asked:
            text += f"""
[[waves.{wave}.surveys]]
file = "{wave}-decisions.csv"
respondent = "who"
"""
        for decision in asked:
            text += f"""
[[waves.{wave}.surveys.questions]]
shape = "decision"
decision = "{decision}"
label = "Decision {decision}"
column = "{decision}"
separator = ";"
"""
    return text


def test_a_stayer_going_silent_does_not_change_density(make_study):
    """Five members in a ring in w1; in w2 Eve does not answer, the others name whom
    they named. All members: 5/20 → 4/20, a fall. Members who answered in both waves
    (a–d) sent 4 arcs of 4·4 possible both times: no change."""
    roster = "\n".join(ROSTER.splitlines()[:6]) + "\n"
    root = make_study(study_toml({"w1": [], "w2": []}, youth=False), {
        "roster.csv": roster,
        "w1.csv": "who,alter\na,b\nb,c\nc,d\nd,e\ne,a\n",
        "w2.csv": "who,alter\na,b\nb,c\nc,d\nd,e\n"})
    study = cp.load_study(root)
    assert study.quality.errors == []
    found = cp.compare(study, permutations=1000, seed=1)
    density = found.measure("collaborate/density")
    assert density.values == [pytest.approx(0.25), pytest.approx(0.2)]
    assert density.stayers == [pytest.approx(0.25), pytest.approx(0.25)]
    assert density.change_stayers == 0.0 and density.compared == 4
    assert density.basis == ("ties sent to the 5 members present throughout by the 4 of "
                             "them who answered in every wave")
    assert density.basis in density.reading
    assert density.test == "dyad swap" and density.note == NOT_TESTABLE  # nothing moved
    (ties,) = found.ties
    assert (ties.kept, ties.gained, ties.lost, ties.answered) == (4, 0, 0, 4)


def test_an_undirected_tie_reported_the_other_way_round_is_kept(make_study):
    toml = study_toml({"w1": [], "w2": []}, youth=False).replace(
        "[relations.collaborate]", '[relations.collaborate]\ndirection = "undirected"')
    roster = "\n".join(ROSTER.splitlines()[:4]) + "\n"          # a, b, c
    study = cp.load_study(make_study(toml, {
        "roster.csv": roster, "w1.csv": "who,alter\na,b\nc,b\nb,a\n",
        "w2.csv": "who,alter\nb,a\nc,a\na,c\n"}))
    found = cp.compare(study, permutations=0)
    (ties,) = found.ties
    # {a, b} kept (reported by b the second time); {b, c} lost; {a, c} gained
    assert (ties.kept, ties.gained, ties.lost) == (1, 1, 1)
    density = found.measure("collaborate/density")
    assert density.stayers == [pytest.approx(2 / 3), pytest.approx(2 / 3)]
    assert density.basis == ("ties among the 3 of the 3 members present throughout who "
                             "answered in every wave")


def test_a_relation_nobody_answered_twice_is_not_compared(make_study):
    """a, b answer in w1, c–e in w2: no tie is observed in both waves."""
    roster = "\n".join(ROSTER.splitlines()[:6]) + "\n"
    study = cp.load_study(make_study(study_toml({"w1": [], "w2": []}, youth=False), {
        "roster.csv": roster, "w1.csv": "who,alter\na,b\nb,c\n",
        "w2.csv": "who,alter\nc,a\nd,e\ne,a\n"}))
    found = cp.compare(study, permutations=1000)
    density = found.measure("collaborate/density")
    assert density.values == [pytest.approx(2 / 20), pytest.approx(3 / 20)]
    assert density.stayers == [None, None] and density.compared == 0
    assert density.note == "not tested: no member present throughout answered in every wave"
    assert found.tests_run == 0
    assert found.summary.startswith("0 tests of change: 0 larger than chance")


W1_DECISIONS = "who,d1\na,b\nb,a\nc,b\nd,b\n"


def gini_study(make_study, second: dict[str, str]) -> cp.Study:
    roster = "\n".join(ROSTER.splitlines()[:5]) + "\n"        # a, b, c, d
    ring = "who,alter\na,b\nb,c\nc,d\nd,a\n"
    asked = list(next(iter(second.values())).splitlines()[0].split(",")[1:])
    root = make_study(study_toml({"w1": ["d1"], "w2": asked}, youth=False), {
        "roster.csv": roster, "w1.csv": ring, "w2.csv": ring,
        "w1-decisions.csv": W1_DECISIONS, **second})
    study = cp.load_study(root)
    assert study.quality.errors == []
    return study


def test_gini_is_not_compared_across_different_numbers_of_decisions(make_study):
    """w1 asks about one decision (b named 3 times, a once: shares 0, ¼, ¾, 0 → Gini
    0.625); w2 about two (d1: b ¾, c ¼; d2: c ¾, a ¼ → mean shares ⅛, ⅜, ½, 0 →
    Gini 0.4375). Averaging over two decisions evens shares out by itself: not compared,
    and the headline says why."""
    study = gini_study(make_study, {"w2-decisions.csv":
                                    "who,d1,d2\na,b,c\nb,c,c\nc,b,a\nd,b,c\n"})
    found = cp.compare(study, permutations=1000, seed=1)
    item = found.measure("decisions/gini")
    assert item.values == [pytest.approx(0.625), pytest.approx(0.4375)]
    assert not item.comparable and item.change is None and item.change_stayers is None
    assert item.p_value is None and item.q_value is None
    assert item.note == ("not compared: w1 asked about 1 decision and w2 about 2; members' "
                         "shares averaged over more decisions are more even by "
                         "construction")
    assert found.headline[-1] == ("The Gini of decision influence was 0.62 in w1 and 0.44 "
                                  f"in w2; it is {item.note}.")
    document = comparison_document(found)
    measure = next(m for m in document["measures"] if m["key"] == "decisions/gini")
    assert measure["comparable"] is False and measure["change"] is None


def test_gini_is_compared_on_the_same_number_of_decisions(make_study):
    study = gini_study(make_study, {"w2-decisions.csv": "who,d1\na,c\nb,c\nc,b\nd,c\n"})
    item = cp.compare(study, permutations=1000, seed=1).measure("decisions/gini")
    # w2: c named 3 times, b once: the same shares on other members, the same Gini
    assert item.comparable and item.test == "paired swap"
    assert item.values == [pytest.approx(0.625), pytest.approx(0.625)]
    assert item.change == pytest.approx(0.0)
    assert item.note == NOT_TESTABLE                 # 4 members: 16 swaps at most


def small_group_study(make_study) -> cp.Study:
    files = {
        "roster.csv": ROSTER,
        "w1.csv": "who,alter\na,b\nb,c\nc,d\nd,e\ne,f\nf,g\ng,h\nh,a\n",
        "w2.csv": "who,alter\na,b\nb,c\nc,d\nd,e\ne,f\nf,g\ng,h\nh,a\na,e\nb,g\nc,h\n",
        "w1-decisions.csv": "who,d1\na,b;c\nb,a\nc,a;g\nd,a\ne,b\nf,a\ng,e\nh,a\n",
        "w2-decisions.csv": "who,d1\na,g;h\nb,g\nc,h;a\nd,g\ne,h\nf,g;h\ng,a\nh,g\n",
    }
    study = cp.load_study(make_study(study_toml({"w1": ["d1"], "w2": ["d1"]}), files))
    assert study.quality.errors == []
    return study


def test_a_two_member_group_is_withheld_and_left_out_of_the_retreat_view(make_study,
                                                                         tmp_path):
    """Youth council: Gus and Hal, 2 members. Its decision parity goes 0.40 → 3.27
    (1 of 10 nominations → 9 of 11, held by 2 of 8 members). The evaluator sees the
    values with no p-value; the retreat page has neither its name nor its values."""
    found = cp.compare(small_group_study(make_study), permutations=1000, seed=1)
    youth = found.measure("decisions/parity/youth")
    assert youth.values == [pytest.approx(0.1 / 0.25), pytest.approx(9 / 11 / 0.25)]
    assert youth.p_value is None and youth.q_value is None and youth.group_size == 2
    assert youth.note == "withheld: only 2 members of the group are compared (no p-value " \
                         "under 3)"
    youth_keys = [m.key for m in found.measures if m.group == "youth"]
    assert youth_keys and all(found.measure(k).p_value is None for k in youth_keys)
    assert [(g.key, g.stayers, g.small, g.suppressed) for g in found.groups] == \
        [("lived_experience", 4, True, False), ("youth", 2, True, True)]

    evaluator = found.to_html(tmp_path / "evaluator.html").read_bytes()
    retreat = found.to_html(tmp_path / "retreat.html", audience="retreat").read_bytes()
    assert b"Decision parity: youth council (n = 2, read with care)" in evaluator
    assert b">0.40<" in evaluator and b">3.27<" in evaluator and b">withheld<" in evaluator
    for secret in (b"Youth", b"youth", b">3.27<", b"+2.87"):
        assert secret not in retreat, secret
    assert b"1 focus group with fewer than 3 members present throughout is not shown " \
           b"anywhere on this page" in retreat
    payload = json.loads(re.search(rb'<script type="application/json" id="cpower-map">'
                                   rb"(.*?)</script>", retreat, re.S).group(1))
    assert set(payload["nodes"]["groups"]) == {"lived_experience"}
    assert [g["key"] for g in payload["focus_groups"]] == ["lived_experience"]
    # the four-member group is shown in both views, flagged
    flag = b"Decision parity: lived experience (n = 4, read with care)"
    assert flag in evaluator and flag in retreat
    assert b"Parity: lived experience (n = 4, read with care)</text>" in retreat  # chart


# ---------------------------------------------------------------------------------------
# The bundled study: many tests, q-values, draws
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def example():
    return cp.load_study(cp.example_study_path())


@pytest.fixture(scope="module")
def found(example):
    return cp.compare(example, permutations=1000, seed=4)


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """q_(i) = min over j ≥ i of p_(j)·m/j, by hand (ranks of the sorted p-values)."""
    m = len(p_values)
    order = np.argsort(p_values)
    q = np.empty(m)
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        q[i] = running
    return q.tolist()


def test_q_values_are_benjamini_hochberg_over_the_comparison(found):
    tested = [m for m in found.measures if m.p_value is not None]
    assert len(tested) == found.tests_run == 74
    expected = benjamini_hochberg([m.p_value for m in tested])
    assert [m.q_value for m in tested] == pytest.approx(expected, abs=1e-9)
    assert all(m.q_value is None for m in found.measures if m.p_value is None)


def test_only_q_below_005_is_listed_with_the_count(found, tmp_path):
    page = found.to_html(tmp_path / "compare.html").read_text(encoding="utf-8")
    measures = page[page.index('id="measures"'):page.index('id="methods"')]
    assert "<h3>Changes larger than chance (74 tests, false discovery rate 5 %)</h3>" \
        in measures
    listed = re.search(r'<ul class="larger-than-chance">(.*?)</ul>', measures, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", listed)
    larger = [m for m in found.measures if m.q_value is not None and m.q_value < 0.05]
    assert len(items) == len(larger) > 0
    small_p_large_q = [m for m in found.measures if m.p_value is not None
                       and m.p_value < 0.05 <= m.q_value]
    assert small_p_large_q                             # p < 0.05 alone is not listed
    for m in small_p_large_q:
        assert not any(m.label.replace("'", "&#39;") + " " in item for item in items)
    assert '<th scope="col" class="num" tabindex="0" aria-sort="none">q</th>' in page
    assert found.summary.replace("<", "&lt;") in page


def test_centralisation_is_tested_on_both_sides(found):
    """The old paired swap of members' in-degrees gave p = 1 whatever the data; the
    dyad swap recomputes in-degrees from swapped arcs and can reach small p-values."""
    for relation in ("collaborate", "trust", "advice", "influence"):
        item = found.measure(f"{relation}/centralization")
        assert item.test == "dyad swap"
        assert item.smallest_p <= 0.05 and item.p_value is not None and item.p_value < 1


def test_too_few_draws_are_refused(example):
    with pytest.raises(cp.UsageError, match=re.escape(
            "permutations must be 0 (no test) or at least 1000 (a p-value from fewer "
            "draws is not printed), got 200")):
        cp.compare(example, permutations=200)
    with pytest.raises(cp.UsageError):
        cp.compare(example, permutations=999)


def test_no_draws_means_no_tests(example):
    found = cp.compare(example, permutations=0)
    assert found.tests_run == 0 and found.permutations == 0
    assert found.summary == "No changes were tested (permutations = 0)."
    assert all(m.p_value is None and m.q_value is None for m in found.measures)
    assert "not tested: no permutation draws" in found.measure("collaborate/ei").reading
