"""Not asked is not "no tie" (issue "no silent misreads", kind 5).

A member nobody was asked about (no column in a wave's grids, e.g. because they joined
after the survey went out) has ties that were not observed: never an isolate, never a
newcomer with no contacts; the report says who was not asked about.

The tiny study, checked by hand. Seven members, two waves; grids ``c_<id>`` (collaborate)
and ``t_<id>`` (trust) with a column for a, b, c, d, e (and h, when she is on the roster):

* a, b (silo X), c, d (Y), e (Z) are in both waves; g Grace Okafor (Y) joins in w2 and
  has no column in w2's grids; h Hal Hart (Z) joins in w2 *with* a column.
* w2 collaborate: a→b, b→a, b→c, c→d, d→a, h→a, h→c; trust: a→c. e answers "Never" to
  everyone (a respondent who named nobody: a real isolate). g does not answer.
* Any tie, either way: a–b, b–c, c–d, d–a, a–c (+ h–a, h–c). Contacts: a 3, b 2, c 3,
  d 2, e 0 (a 4 and c 4 with h; h 2). g: unknown.

Newcomers' contacts ÷ returning members':

* g the only newcomer: not measured ("the newcomers (1) were not asked about…"), where
  reading her as 0 contacts gave 0 ÷ 2.0 = 0.
* g and h: h alone is measured, 2 ÷ ((4 + 2 + 4 + 2 + 0) / 5 = 2.4) = 5/6 (score 83.3),
  where averaging g's 0 in gave 1 ÷ 2.4 = 0.42.

Connectedness on collaborate (g left out: 5 members asked about, a–b–c–d in one
component, e alone): largest component 4/5, isolates 1/5, fragmentation 1 − 12/20 = 0.4.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import networkx as nx
import pytest
from evidence_items import item
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cpower_network as cp
from cpower_network.export.results_json import results_document
from cpower_network.graphs import any_tie_graph, build_graph, combined_graph
from cpower_network.ingest.anonymize import anonymize_study
from cpower_network.report import render_report
from cpower_network.weave import study_worklist, worklist

TOML = """
[study]
name = "Not asked"
seed = 3
[roster]
file = "roster.csv"
silo = "sector"
waves = "waves"
consent = "consent"
[focus_groups]
lived_experience = { column = "lived", label = "Lived experience" }
[analysis]
permutations = 1000
[scales]
freq = { "Never" = 0, "Monthly" = 2, "Weekly" = 3 }
[relations.collaborate]
scale = "freq"
role = "collaboration"
[relations.trust]
scale = "freq"
role = "trust"
"""

WAVE = """
[waves.{key}]
[[waves.{key}.surveys]]
file = "{key}.csv"
respondent = "who"
[[waves.{key}.surveys.questions]]
shape = "matrix"
relation = "collaborate"
columns = "c_{{member}}"
[[waves.{key}.surveys.questions]]
shape = "matrix"
relation = "trust"
columns = "t_{{member}}"
"""

ROSTER = """member_id,name,sector,lived,waves,consent
a,Ann Able,X,yes,w1|w2,yes
b,Bob Burr,X,no,w1|w2,no
c,Cat Cole,Y,no,w1|w2,yes
d,Dan Dee,Y,yes,w1|w2,yes
e,Eve Eng,Z,no,w1|w2,no
g,Grace Okafor,Y,no,w2,{consent}
"""
HAL = "h,Hal Hart,Z,yes,w2,no\n"

#: Who named whom in each wave: relation -> respondent -> {alter: answer}.
W1 = {"collaborate": {"a": {"b": "Weekly"}, "b": {"a": "Weekly", "c": "Monthly"},
                      "c": {"d": "Weekly"}, "d": {"a": "Monthly"}, "e": {"a": "Monthly"}},
      "trust": {"a": {"c": "Weekly"}}}
W2 = {"collaborate": {"a": {"b": "Weekly"}, "b": {"a": "Weekly", "c": "Monthly"},
                      "c": {"d": "Weekly"}, "d": {"a": "Monthly"}, "e": {}},
      "trust": {"a": {"c": "Weekly"}}}
NOT_ASKED = "Not asked about: Grace Okafor (collaborate, trust) — their ties are unknown, " \
            "not absent."


def grid(columns: list[str], answers: dict[str, dict[str, dict[str, str]]],
         respondents: list[str]) -> str:
    """A grid CSV: one row per respondent, one column per (relation, listed member);
    unnamed members are answered "Never"."""
    header = ["who"] + [f"{r[0]}_{m}" for r in ("collaborate", "trust") for m in columns]
    rows = [",".join(header)]
    for who in respondents:
        cells = [who]
        for relation in ("collaborate", "trust"):
            named = answers[relation].get(who, {})
            cells += ["" if m == who else named.get(m, "Never") for m in columns]
        rows.append(",".join(cells))
    return "\n".join(rows) + "\n"


def write_study(root: Path, *, hal: bool = False, grace_answers: dict | None = None,
                consent: str = "no") -> Path:
    """The tiny study (see the module docstring) under ``root``.

    ``grace_answers`` (relation -> {alter: answer}) makes g a respondent of w2.
    """
    columns = ["a", "b", "c", "d", "e"]
    w2 = {relation: dict(named) for relation, named in W2.items()}
    respondents = [*columns]
    if hal:
        w2["collaborate"]["h"] = {"a": "Weekly", "c": "Monthly"}
        respondents.append("h")
    if grace_answers is not None:
        for relation, named in grace_answers.items():
            w2[relation]["g"] = named
        respondents.append("g")
    files = {
        "cpower.toml": TOML + WAVE.format(key="w1") + WAVE.format(key="w2"),
        "roster.csv": ROSTER.format(consent=consent) + (HAL if hal else ""),
        "w1.csv": grid(columns, W1, columns),
        "w2.csv": grid(columns + (["h"] if hal else []), w2, respondents),
    }
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def study_at(tmp_path):
    """``study_at(**options)``: load the tiny study written with ``options``."""

    def load(**options) -> cp.Study:
        return cp.load_study(write_study(tmp_path / "study", **options))

    return load


@pytest.fixture
def grace(study_at) -> cp.Study:
    """Grace is the only newcomer, with no column in w2's grids, and did not answer."""
    return study_at()


# ----------------------------------------------------------------------------- graphs
def test_graph_nodes_say_who_was_not_asked(grace) -> None:
    assert grace.waves["w2"].not_asked == {"collaborate": ["g"], "trust": ["g"]}
    assert grace.waves["w1"].not_asked == {}
    G = build_graph(grace, "collaborate", "w2")
    assert G.graph["not_asked"] == ["g"]
    assert [v for v, asked in G.nodes(data="asked") if not asked] == ["g"]
    assert build_graph(grace, "collaborate", "w1").graph["not_asked"] == []
    assert any_tie_graph(grace, "w2").graph["not_asked"] == ["g"]


def test_any_tie_graph_leaves_out_whoever_one_relation_did_not_ask_about() -> None:
    # "no tie in any relation" needs every relation to have asked: a, left out of the
    # trust grid, has ties nobody could report there
    collaborate = nx.DiGraph([("a", "b")], not_asked=["g"])
    collaborate.add_nodes_from([("a", {"asked": True}), ("g", {"asked": False})])
    trust = nx.DiGraph([("b", "a")], not_asked=["a", "g"])
    trust.add_nodes_from(["g"])
    merged = combined_graph({"collaborate": collaborate, "trust": trust})
    assert merged.graph["not_asked"] == ["a", "g"]
    assert dict(merged.nodes(data="asked")) == {"a": False, "b": True, "g": False}


# --------------------------------------------------------------------------- worklist
def test_worklist_lists_grace_as_not_asked_never_as_isolate(grace) -> None:
    found = study_worklist(grace, wave="w2").worklist
    assert found.isolates == ["e"]                # e answered "Never" to all and was asked
    assert "g" not in found.pendants + found.outside_main + found.no_cross_silo
    assert "g" not in found.periphery and "g" not in found.gatekeepers
    assert found.not_asked == {"g": "not asked about in this wave and did not answer: "
                                    "their ties are unknown, not absent"}
    pairs = found.introductions[["member", "suggested"]].to_numpy().ravel().tolist()
    assert "g" not in pairs
    # and in each relation's own worklist
    per_relation = study_worklist(grace, wave="w2", relation="trust").worklist
    assert "g" not in per_relation.isolates and list(per_relation.not_asked) == ["g"]


def test_grace_answered_and_named_nobody_is_still_not_an_isolate(study_at) -> None:
    study = study_at(grace_answers={"collaborate": {}, "trust": {}})
    found = study_worklist(study, wave="w2").worklist
    assert found.isolates == ["e"]
    assert found.not_asked["g"] == ("not asked about in this wave; named nobody "
                                    "themselves; ties from others unknown, not absent")


def test_grace_who_named_someone_is_no_pendant_and_gets_no_introduction(study_at) -> None:
    # g (Y) names a (X): with her in-ties unobserved she is not "a single contact", and
    # although she and b (X) share a, no introduction is suggested to or for her.
    study = study_at(grace_answers={"collaborate": {"a": "Weekly"}, "trust": {}})
    found = study_worklist(study, wave="w2").worklist
    assert found.isolates == ["e"] and "g" not in found.pendants
    assert found.not_asked["g"] == ("not asked about in this wave; named 1 member "
                                    "themselves; ties from others unknown")
    pairs = found.introductions[["member", "suggested"]].to_numpy().ravel().tolist()
    assert "g" not in pairs
    # the same graph read as if g had been asked would call her a pendant and suggest
    # introducing b to her
    G = any_tie_graph(study, "w2")
    G.nodes["g"]["asked"] = True
    as_if_asked = worklist(G)
    assert "g" in as_if_asked.pendants
    assert ["b", "g"] in as_if_asked.introductions[["member", "suggested"]].values.tolist()


# ------------------------------------------------------------------------- indicators
def test_newcomers_not_asked_are_not_measured(grace) -> None:
    results = cp.analyze(grace, "w2", seed=1)
    assert results.wave.newcomers == ["g"]
    assert results.wave.newcomer_degree["newcomer_count"] == 0.0
    assert results.wave.newcomer_degree["newcomers_not_asked"] == 1.0
    assert results.wave.newcomer_degree["returning"] == pytest.approx(2.0)
    evidence = item(results, "newcomers")
    assert not evidence.measured
    (component,) = evidence.components
    assert component.how == ("not measured: the newcomers (1) were not asked about in "
                             "this wave's grids")
    assert results.wave.worklist.isolates == ["e"]
    assert results.wave.not_asked == {"collaborate": ["g"], "trust": ["g"]}


def test_newcomers_mean_uses_only_the_newcomer_asked_about(study_at) -> None:
    results = cp.analyze(study_at(hal=True), "w2", seed=1)
    assert results.wave.newcomers == ["g", "h"]
    degree = results.wave.newcomer_degree
    assert degree == {"newcomers": 2.0, "returning": pytest.approx(2.4),
                      "newcomer_count": 1.0, "newcomers_not_asked": 1.0}
    evidence = item(results, "newcomers")
    (component,) = evidence.components
    assert component.raw == pytest.approx(2 / 2.4)         # 5/6, not 1 / 2.4
    assert component.score == pytest.approx(100 * 5 / 6)
    assert evidence.notes == ["1 newcomer was not asked about in this wave's grids and "
                              "left out of the mean: their ties are unknown, not absent"]


def test_connectedness_counts_isolates_among_members_asked_about(grace) -> None:
    evidence = item(cp.analyze(grace, "w2", seed=1), "connectedness")
    assert [c.raw for c in evidence.components] == pytest.approx([0.8, 0.2, 0.4])
    assert evidence.breakdown["isolates"] == 1.0
    assert evidence.breakdown["members not asked about"] == 1.0
    assert evidence.notes == ["1 member not asked about in this wave's grids is left out "
                              "of these shares: their ties are unknown, not absent"]


def test_wave_comparison_does_not_read_grace_as_zero_contacts(grace) -> None:
    found = cp.compare(grace, permutations=1000, seed=1)
    # w1 has no previous wave; in w2 the only newcomer was not asked about: not 0
    assert found.measure("setting_the_table/newcomers").values == [None, None]


# ------------------------------------------------------------------- JSON and reports
def test_json_carries_not_asked(grace) -> None:
    document = json.loads(json.dumps(results_document(cp.analyze(grace, "w2", seed=1))))
    wave = document["wave"]
    assert wave["not_asked"] == {"collaborate": ["g"], "trust": ["g"]}
    assert list(wave["worklist"]["not_asked"]) == ["g"]
    assert "g" not in wave["worklist"]["isolates"]
    assert wave["newcomer_degree"]["newcomers_not_asked"] == 1


def test_first_wave_json_has_no_not_asked(grace) -> None:
    wave = results_document(cp.analyze(grace, "w1", seed=1))["wave"]
    assert "not_asked" not in wave and "not_asked" not in wave["worklist"]


def test_evaluator_report_says_who_was_not_asked(grace) -> None:
    html = render_report(cp.analyze(grace, "w2", seed=1), audience="evaluator")
    assert NOT_ASKED in html
    assert "<h3>Not asked about in this wave</h3>" in html
    assert "Grace Okafor (Y): not asked about in this wave and did not answer" in html
    assert "not measured: the newcomers (1) were not asked about in this wave&#39;s grids" \
        in html


def test_retreat_report_names_only_consenting_members(study_at) -> None:
    html = render_report(cp.analyze(study_at(), "w2", seed=1), audience="retreat")
    assert ("Not asked about: 1 member (collaborate: 1, trust: 1) — their ties are "
            "unknown, not absent.") in html
    assert "Grace Okafor" not in html
    consenting = render_report(cp.analyze(study_at(consent="yes"), "w2", seed=1),
                               audience="retreat")
    assert NOT_ASKED in consenting


def test_anonymised_outputs_name_grace_only_by_code(grace) -> None:
    assert anonymize_study(grace).waves["w2"].not_asked == {"collaborate": ["M4"],
                                                             "trust": ["M4"]}
    results = cp.analyze(grace, "w2", seed=1, anonymize=True)
    texts = [render_report(results, audience=a) for a in ("evaluator", "retreat")]
    texts.append(json.dumps(results_document(results), ensure_ascii=False))
    assert "Not asked about: M4 (collaborate, trust)" in texts[0]
    assert results_document(results)["wave"]["not_asked"] == {"collaborate": ["M4"],
                                                               "trust": ["M4"]}
    names = grace.roster["name"].tolist()
    for text in texts:
        assert not [name for name in names if name in text]


# ----------------------------------------------------------------------------- property
ONE_WAVE = """
[study]
name = "Property"
[roster]
file = "roster.csv"
silo = "sector"
[scales]
freq = { "Never" = 0, "Monthly" = 2, "Weekly" = 3 }
[relations.collaborate]
scale = "freq"
[waves.w1]
[[waves.w1.surveys]]
file = "w1.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "collaborate"
columns = "c_{member}"
"""
SILOS = ("X", "Y")
ANSWERS = ("", "Never", "Monthly", "Weekly")


@st.composite
def small_surveys(draw):
    """A one-wave study: n members, silos, who answered (someone did: a file without
    answers is an error), a grid of answers, and the member whose column is removed."""
    n = draw(st.integers(3, 6))
    silos = draw(st.lists(st.sampled_from(SILOS), min_size=n, max_size=n))
    answered = draw(st.lists(st.booleans(), min_size=n, max_size=n).filter(any))
    answers = draw(st.lists(st.lists(st.sampled_from(ANSWERS), min_size=n, max_size=n),
                            min_size=n, max_size=n))
    dropped = draw(st.integers(0, n - 1))
    return silos, answered, answers, dropped


def one_wave_study(root: Path, silos, answered, answers, dropped) -> cp.Study:
    """The drawn survey with member ``dropped``'s column left out of the grid."""
    members = [f"m{i}" for i in range(len(silos))]
    roster = "member_id,name,sector\n" + "".join(
        f"{m},Member {m},{s}\n" for m, s in zip(members, silos, strict=True))
    columns = [m for k, m in enumerate(members) if k != dropped]
    rows = ["who," + ",".join(f"c_{m}" for m in columns)]
    for i, who in enumerate(members):
        if answered[i]:
            rows.append(who + "," + ",".join(
                "" if m == who else answers[i][members.index(m)] for m in columns))
    root.mkdir(parents=True, exist_ok=True)
    (root / "cpower.toml").write_text(ONE_WAVE, encoding="utf-8")
    (root / "roster.csv").write_text(roster, encoding="utf-8")
    (root / "w1.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return cp.load_study(root)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(survey=small_surveys())
def test_removing_a_column_never_makes_that_member_an_isolate(survey) -> None:
    silos, answered, answers, dropped = survey
    with tempfile.TemporaryDirectory() as folder:
        study = one_wave_study(Path(folder), silos, answered, answers, dropped)
    member = f"m{dropped}"
    assert study.waves["w1"].not_asked == {"collaborate": [member]}
    for relation in (None, "collaborate"):
        found = study_worklist(study, wave="w1", relation=relation).worklist
        assert member not in found.isolates
        assert member not in found.pendants + found.no_cross_silo + found.outside_main
        assert member in found.not_asked
        pairs = found.introductions[["member", "suggested"]].to_numpy().ravel().tolist()
        assert member not in pairs

