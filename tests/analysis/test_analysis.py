"""analyze() on the example study (analysis.py, results.py, results_json.py, summary.py):
every relation measured, the non-respondent rule (docs/methods.md §Non-respondents), parity tables,
reproducibility, engines, response rates, data quality and the JSON document."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

import cpower_network as cp
from cpower_network.analysis.pipeline import OUT_MEASURES, analyze
from cpower_network.export.results_json import FORMAT_VERSION, dumps, results_document
from cpower_network.graphs import DECISIONS
from cpower_network.measures.parity import group_parity
from cpower_network.results.model import POWER_MEASURES

RELATIONS = ["collaborate", "trust", "advice", "influence", "value", DECISIONS]
FOCUS = ["lived_experience", "grassroots"]


@pytest.fixture(scope="module")
def study() -> cp.Study:
    return cp.load_study(cp.example_study_path())


@pytest.fixture(scope="module")
def fast(study):
    return study.config.analysis.with_options(permutations=1000)


@pytest.fixture(scope="module")
def results(study, fast):
    return analyze(study, "2025", seed=5, settings=fast)


@pytest.fixture(scope="module")
def union(study, fast):
    return analyze(study, "2025", seed=5, settings=fast.with_options(nonrespondents="union"))


# --------------------------------------------------------------------------- relations
def test_every_relation_is_measured(study, results) -> None:
    wave = results.wave
    assert list(wave.relations) == RELATIONS
    assert wave.wave == "2025" and wave.members == study.waves["2025"].members
    for key, relation in wave.relations.items():
        assert relation.key == key
        assert list(relation.graph.nodes) == wave.members
        assert list(relation.centralities.index) == wave.members
        assert relation.structure.n_members == len(wave.members) == 71
    assert wave.decisions is not None
    assert [k for k, _ in wave.decisions.decisions] == ["policy_platform", "subsidy_redesign",
                                                        "parent_stipends"]
    assert results.indicators is not None and results.seed == 5


def test_the_latest_wave_is_the_default(study, fast) -> None:
    assert analyze(study, settings=fast.with_options(permutations=0)).wave.wave == "2025"


def test_respondents_rule_blanks_out_measures_of_nonrespondents(study, results) -> None:
    wave = study.waves["2025"]
    for key in ("collaborate", "trust", "advice", "influence"):
        relation = results.wave.relations[key]
        assert relation.nonrespondents == "respondents"
        silent = [m for m in wave.members if m not in set(wave.respondents(key))]
        answered = wave.respondents(key)
        assert silent, key
        assert relation.respondents == len(answered)
        table = relation.centralities
        for measure in OUT_MEASURES:
            assert table.loc[silent, measure].isna().all(), (key, measure)
            assert table.loc[answered, measure].notna().all(), (key, measure)
        # what others said about them still counts
        assert table[["in_degree", "in_strength", "pagerank"]].notna().all().all()
    # decisions: respondents are those who answered the decision survey
    decisions = results.wave.relations[DECISIONS]
    no_answer = sorted(set(wave.members) - set(wave.participation["respondent"]))
    assert no_answer
    assert decisions.centralities.loc[no_answer, "out_degree"].isna().all()


def test_union_rule_keeps_out_measures_for_symmetric_relations(study, union) -> None:
    wave = study.waves["2025"]
    collaborate = union.wave.relations["collaborate"]
    assert collaborate.nonrespondents == "union"
    assert collaborate.centralities[list(OUT_MEASURES)].notna().all().all()
    # a rebuilt non-respondent sends an arc for every arc received from a respondent
    G = collaborate.graph
    answered = set(wave.respondents("collaborate"))
    for member in set(wave.members) - answered:
        received = {u for u in G.predecessors(member) if u in answered}
        assert set(G.successors(member)) == received
    # trust is not symmetric by nature: the rule falls back and says so
    trust = union.wave.relations["trust"]
    assert trust.nonrespondents == "respondents"
    silent = [m for m in wave.members if m not in set(wave.respondents("trust"))]
    assert trust.centralities.loc[silent, "out_degree"].isna().all()


# --------------------------------------------------------------------------- parity
def test_parity_table_has_one_row_per_focus_group_and_power_measure(study, results) -> None:
    roster = study.roster.loc[results.wave.members]
    for key, relation in results.wave.relations.items():
        table = relation.parity
        assert list(table.columns) == ["group", "measure", "share", "membership_share",
                                       "parity", "group_size", "not_measured"]
        assert list(zip(table["group"], table["measure"], strict=True)) == \
            [(g, m) for g in FOCUS for m in POWER_MEASURES], key
        for group in FOCUS:
            rows = table[table["group"] == group]
            members = list(roster.index[roster[group]])
            assert (rows["group_size"] == len(members)).all()
            assert rows["membership_share"].tolist() == \
                pytest.approx([len(members) / 71] * len(POWER_MEASURES))
            for measure in POWER_MEASURES:
                expected = group_parity(relation.centralities[measure], members)
                row = rows[rows["measure"] == measure].iloc[0]
                assert row["share"] == pytest.approx(expected.share), (key, group, measure)
                assert row["parity"] == pytest.approx(expected.parity)
        assert len(relation.differences) == len(FOCUS) * len(POWER_MEASURES)


# --------------------------------------------------------------------------- seeds
def test_same_seed_gives_identical_documents(study, fast, results) -> None:
    again = analyze(study, "2025", seed=5, settings=fast)
    assert dumps(results_document(again)) == dumps(results_document(results))


def test_seed_defaults_to_the_studys(study, fast) -> None:
    assert analyze(study, "2024", settings=fast.with_options(permutations=0)).seed == \
        study.config.seed == 20240304


def p_values(results) -> list[float]:
    found = []
    for relation in results.wave.relations.values():
        found.append(relation.ei.p_value)
        found.extend(relation.differences["p_value"].tolist())
    return found


def test_another_seed_can_change_p_values(study, fast, results) -> None:
    other = analyze(study, "2025", seed=6, settings=fast)
    before, after = p_values(results), p_values(other)
    assert len(before) == len(after)
    assert before != after
    # nothing else moves: the measures themselves do not depend on the seed
    for key, relation in results.wave.relations.items():
        pd.testing.assert_frame_equal(relation.centralities,
                                      other.wave.relations[key].centralities)
        assert relation.ei.value == other.wave.relations[key].ei.value


# --------------------------------------------------------------------------- engines
def test_networkx_engine_gives_the_same_centralities(study, fast, results) -> None:
    reference = analyze(study, "2025", seed=5, settings=fast, engine="networkx")
    for key, relation in results.wave.relations.items():
        fast_table = relation.centralities
        slow_table = reference.wave.relations[key].centralities
        assert list(fast_table.columns) == list(slow_table.columns)
        assert list(fast_table.index) == list(slow_table.index)
        np.testing.assert_allclose(fast_table.to_numpy(float), slow_table.to_numpy(float),
                                   rtol=0, atol=1e-9, equal_nan=True, err_msg=key)
        slow = reference.wave.relations[key].structure
        for field in ("density", "reciprocity", "transitivity", "fragmentation",
                      "largest_component_share"):
            a, b = getattr(relation.structure, field), getattr(slow, field)
            assert a == pytest.approx(b, abs=1e-9) or (math.isnan(a) and math.isnan(b))


# --------------------------------------------------------------------------- response
def test_response_rates_per_focus_group(study, results) -> None:
    wave = study.waves["2025"]
    answered = set(wave.respondents())
    response = results.wave.response
    assert list(response.index) == ["all", *FOCUS]
    assert list(response.columns) == ["members", "respondents", "rate"]
    assert response.loc["all"].tolist() == [71, 59, pytest.approx(59 / 71)]
    for group in FOCUS:
        members = [m for m in wave.members if study.roster.at[m, group]]
        count = sum(m in answered for m in members)
        assert response.at[group, "members"] == len(members)
        assert response.at[group, "respondents"] == count
        assert response.at[group, "rate"] == pytest.approx(count / len(members))


# --------------------------------------------------------------------------- quality
def test_quality_summary_matches_the_study(study, results) -> None:
    q = results.quality
    assert q.members == 75 == len(study.roster)
    assert len(q.silos) == 6 and sum(q.silos.values()) == 75
    assert q.silos == {str(k): int(v) for k, v in study.roster["silo"].value_counts().items()}
    assert q.focus_groups == {"Lived experience": int(study.roster["lived_experience"].sum()),
                              "Grassroots": int(study.roster["grassroots"].sum())}
    assert [w.wave for w in q.waves] == ["2024", "2025"]
    for w in q.waves:
        data = study.waves[w.wave]
        assert w.members == len(data.members)
        assert w.respondents == len(data.respondents())
        assert w.rates.at["all", "rate"] == pytest.approx(w.respondents / w.members)
        assert w.ties == {r: int((data.ties["relation"] == r).sum()) for r in study.relations}
    assert [(w.members, w.respondents) for w in q.waves] == [(70, 55), (71, 59)]
    assert q.errors == len(study.quality.errors) == 0


# --------------------------------------------------------------------------- JSON
def test_results_document_is_valid_json_without_nan(results) -> None:
    text = dumps(results_document(results))
    document = json.loads(text)
    assert document["format_version"] == FORMAT_VERSION == 1
    assert document["seed"] == 5
    assert "NaN" not in text and "Infinity" not in text
    assert set(document) >= {"format_version", "cpower_version", "seed", "study",
                             "settings", "wave", "indicators", "findings", "quality"}
    assert list(document["wave"]["relations"]) == sorted(RELATIONS)   # sorted keys
    assert [i["key"] for i in document["indicators"]] == [
        "setting_the_table", "safety_trust", "cohesion", "financing", "lived_experience"]
    # NaN became null: out-degree of a non-respondent
    collaborate = document["wave"]["relations"]["collaborate"]
    silent = next(r for r in collaborate["centralities"] if r["out_degree"] is None)
    assert silent["in_degree"] is not None
    assert document["findings"] == [f.text for f in results.indicators.findings]

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        else:
            assert not (isinstance(value, float) and not math.isfinite(value))

    walk(document)
