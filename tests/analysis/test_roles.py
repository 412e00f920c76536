"""Relation roles (config.py, indicators/roles.py, indicators/items.py): indicators find
their evidence by the role a relation plays, never by its name.

The tiny study: members a–f in two silos; one relation asks who works with whom (a–b,
a–c, b–c, c–d, d–e: 5 of 30 ordered pairs); a second asks whom members trust.
"""

from __future__ import annotations

import pytest
from evidence_items import evidence_of, item

import cpower_network as cp
from cpower_network.config.indicators import IndicatorSettings
from cpower_network.config.relations import ROLE_FROM_KEY, ROLES
from cpower_network.errors import ConfigError
from cpower_network.export.results_json import results_document
from cpower_network.indicators import compute_indicators
from cpower_network.indicators.roles import ROLE_QUESTIONS, no_role_reason

HEAD = """
[study]
name = "Roles"
seed = 2
[roster]
file = "roster.csv"
silo = "sector"
[analysis]
permutations = 1000
"""
SURVEY = """
[waves.w1]
[[waves.w1.surveys]]
file = "ties.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "long"
relation_column = "rel"
alter = "alter"
"""
ROSTER = "member_id,name,sector\n" + "".join(
    f"{m},Member {m},{'X' if m in 'abc' else 'Y'}\n" for m in "abcdef")
WORK = [("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("d", "e")]
TRUST = [("a", "b"), ("b", "a"), ("d", "c")]
COHESION = ("connectedness", "collaboration", "silos_dissolving")
REASON = ("not measured: no relation plays the role 'collaboration': add role = "
          '"collaboration" to the relation that asks who works with whom')


def study_of(make_study, relations: str, work: str = "work_together") -> cp.Study:
    rows = [f"{u},{v},{work}" for u, v in WORK] + [f"{u},{v},trust" for u, v in TRUST]
    root = make_study(HEAD + relations + SURVEY,
                      {"roster.csv": ROSTER, "ties.csv": "who,alter,rel\n" +
                       "\n".join(rows) + "\n"})
    return cp.load_study(root)


DECLARED = """
[relations.work_together]
label = "Work together"
role = "collaboration"
[relations.trust]
role = "trust"
"""


@pytest.fixture
def declared(make_study):
    return cp.analyze(study_of(make_study, DECLARED), seed=1)


@pytest.fixture
def undeclared(make_study):
    return cp.analyze(study_of(make_study, DECLARED.replace('role = "collaboration"\n',
                                                            "")), seed=1)


def test_roles_and_their_keys_are_known() -> None:
    assert ROLES == ("collaboration", "trust", "advice", "influence", "resources", "knows",
                     "value")
    assert set(ROLE_QUESTIONS) == set(ROLES) and set(ROLE_FROM_KEY.values()) == set(ROLES)
    assert no_role_reason("collaboration") == REASON


def test_a_declared_role_feeds_cohesion(declared) -> None:
    G = declared.wave.relations["work_together"].graph
    assert (G.graph["role"], G.graph["role_inferred"]) == ("collaboration", False)
    collaboration = item(declared, "collaboration")
    # 5 arcs over 6 × 5 ordered pairs
    assert collaboration.components[0].raw == pytest.approx(5 / 30)
    for key in COHESION:
        evidence = item(declared, key)
        assert evidence.measured, key
        assert not any("inferred" in note for note in evidence.notes), key
    assert declared.indicators["cohesion"].score is not None


def test_without_the_role_cohesion_evidence_is_not_measured(undeclared) -> None:
    assert undeclared.wave.relations["work_together"].graph.graph["role"] is None
    for key in COHESION:
        evidence = item(undeclared, key)
        assert not evidence.measured, key
        assert [c.how for c in evidence.components] == [REASON], key
    # the worklist's share still scores "not hub-dependent"; the centralisation is gone
    hub = item(undeclared, "not_hub_dependent")
    assert [c.label for c in hub.components] == [
        "share of members whose ties run through one person (any relation)"]
    # the trust items still find their relation
    assert item(undeclared, "tie_strength").measured


def test_the_findings_fall_back_to_the_first_relation(undeclared) -> None:
    texts = [f.text for f in undeclared.indicators.findings]
    assert any(t.startswith("Work together ties cross silos") for t in texts), texts


def test_a_role_inferred_from_the_key_is_flagged(make_study) -> None:
    relations = "[relations.collaborate]\nlabel = \"Work together\"\n[relations.trust]\n"
    results = cp.analyze(study_of(make_study, relations, work="collaborate"), seed=1)
    config = cp.load_study(cp.example_study_path()).config
    assert config.relations["collaborate"].role_inferred is False   # declared there
    G = results.wave.relations["collaborate"].graph
    assert (G.graph["role"], G.graph["role_inferred"]) == ("collaboration", True)
    note = ("read from 'collaborate', whose role (collaboration) was inferred from its "
            'key: declare role = "collaboration" under [relations.collaborate] to confirm')
    for key in (*COHESION, "not_hub_dependent"):
        evidence = item(results, key)
        assert evidence.measured and note in evidence.notes, key
    trust = item(results, "tie_strength")
    assert any("role (trust) was inferred" in n for n in trust.notes)
    document = results_document(results)
    relation = document["wave"]["relations"]["collaborate"]
    assert (relation["role"], relation["role_inferred"]) == ("collaboration", True)
    cohesion = next(m for m in document["indicators"] if m["key"] == "cohesion")
    assert note in cohesion["items"][1]["notes"]


def test_a_declared_role_stops_the_inference(make_study) -> None:
    relations = """
[relations.collaborate]
[relations.work_together]
role = "collaboration"
[relations.trust]
"""
    study = study_of(make_study, relations)
    assert study.config.relations["collaborate"].role is None
    assert study.config.relations["trust"].role == "trust"
    results = cp.analyze(study, seed=1)
    assert item(results, "collaboration").components[0].raw == pytest.approx(5 / 30)


def test_several_relations_with_one_role_use_the_first(make_study) -> None:
    relations = """
[relations.work_together]
role = "collaboration"
[relations.trust]
role = "collaboration"
"""
    results = cp.analyze(study_of(make_study, relations), seed=1)
    evidence = item(results, "collaboration")
    assert evidence.components[0].raw == pytest.approx(5 / 30)
    assert ("several relations play the role 'collaboration': the first, "
            "'work_together', is used ('trust' not)") in evidence.notes
    # nothing plays trust now
    assert item(results, "mutual_trust").components[0].how == no_role_reason("trust")


def test_an_indicators_setting_still_names_a_relation(undeclared) -> None:
    settings = IndicatorSettings(collaboration_relation="work_together")
    indicators = compute_indicators(undeclared, settings=settings)
    evidence = evidence_of(indicators, "collaboration")
    assert evidence.components[0].raw == pytest.approx(5 / 30)
    missing = compute_indicators(undeclared, settings=IndicatorSettings(
        collaboration_relation="nope"))
    evidence = evidence_of(missing, "collaboration")
    assert evidence.components[0].how == "not measured: no 'nope' relation in this wave"


def test_mutual_trust_is_not_measured_on_an_undirected_trust(make_study) -> None:
    relations = DECLARED.replace('role = "trust"', 'role = "trust"\ndirection = "undirected"')
    results = cp.analyze(study_of(make_study, relations), seed=1)
    evidence = item(results, "mutual_trust")
    assert not evidence.measured
    assert evidence.components[0].how == (
        "not measured: 'trust' is undirected (reciprocity = \"either\" makes every tie "
        'mutual); reciprocity needs each member\'s own report: direction = "directed"')
    reaches = item(results, "trust_reaches_le")
    assert ("'trust' is undirected: trust received counts every tie a member has, "
            "whoever reported it") in reaches.notes


def test_an_unknown_role_is_a_config_error(make_study) -> None:
    with pytest.raises(ConfigError) as error:
        study_of(make_study, '[relations.work_together]\nrole = "colaboration"\n')
    assert [p.message for p in error.value.problems] == [
        "[relations.work_together] role = 'colaboration' is not one of collaboration, "
        "trust, advice, influence, resources, knows, value; did you mean 'collaboration'?"]
