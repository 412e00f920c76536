"""The study configuration (config.py, config_schema.py, settings.py): every mistake in
cpower.toml is reported at once, with the closest valid key or value."""

from __future__ import annotations

import pytest

from cpower_network.config.scales import TIE, YES_NO
from cpower_network.config.schema import closest
from cpower_network.config.settings import AnalysisSettings
from cpower_network.config.study import read_config
from cpower_network.errors import ConfigError
from cpower_network.init.templates import write_study_templates

GOOD = """
[study]
name = "Good"
seed = 7
[roster]
file = "roster.csv"
silo = "sector"
[scales]
frequency = { "Never" = 0, "Weekly" = 3 }
[relations.collaborate]
scale = "frequency"
symmetric = true
strong = 2
[relations.advice]
[waves.w1]
label = "Wave one"
[[waves.w1.surveys]]
file = "s.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "collaborate"
columns = "c_{member}"
"""
FILES = {"roster.csv": "member_id,name,sector\nm1,A,P\n", "s.csv": "who,c_m1\n"}


def problems_of(make_study, toml, files=FILES):
    root = make_study(toml, files)
    with pytest.raises(ConfigError) as caught:
        read_config(root)
    return [p.message for p in caught.value.problems], caught.value


def test_good_config(make_study):
    config = read_config(make_study(GOOD, FILES))
    assert (config.name, config.seed) == ("Good", 7)
    assert config.wave_keys == ["w1"]
    assert config.waves["w1"].label == "Wave one"
    collaborate = config.relations["collaborate"]
    assert (collaborate.label, collaborate.symmetric, collaborate.combine,
            collaborate.strong) == ("Collaborate", True, "mean", 2.0)
    assert config.relation_scale("collaborate").labels == {"Never": 0, "Weekly": 3}
    assert config.relation_scale("advice") is TIE
    assert config.scale_for("yesno") is YES_NO
    (survey,) = config.waves["w1"].surveys
    assert (survey.platform, survey.respondent, survey.header_rows) == ("auto", "who", None)
    assert survey.questions[0].columns == "c_{member}"
    assert config.roster.id == "member_id" and config.roster.name == "name"
    assert config.analysis == AnalysisSettings()


@pytest.mark.parametrize(("old", "new", "expected"), [
    # wrong keys, each with the right one suggested
    ('silo = "sector"', 'silo = "sector"\nsilos = "x"',
     "unknown key 'silos' in [roster]; did you mean 'silo'?"),
    ('respondent = "who"', 'respondent = "who"\nrespondant = "x"',
     "unknown key 'respondant' in [[waves.w1.surveys]] #1; did you mean 'respondent'?"),
    ('columns = "c_{member}"', 'colums = "c_{member}"',
     "unknown key 'colums' in [[waves.w1.surveys]] #1 (s.csv) question #1; "
     "did you mean 'columns'?"),
    ("symmetric = true", "symetric = true",
     "unknown key 'symetric' in [relations.collaborate]; did you mean 'symmetric'?"),
    ("[study]", "[studdy]", "unknown key 'studdy' in cpower.toml; did you mean 'study'?"),
    # wrong values
    ('shape = "matrix"', 'shape = "matrx"',
     "question #1 shape = 'matrx' is not one of long, matrix, name_generator, "
     "multi_select, perceptions, decision; did you mean 'matrix'?"),
    ('relation = "collaborate"', 'relation = "colaborate"',
     "relation 'colaborate' is not defined under [relations]; did you mean 'collaborate'?"),
    ('scale = "frequency"', 'scale = "frequncy"',
     "[relations.collaborate] scale 'frequncy' is not defined under [scales]; "
     "did you mean 'frequency'?"),
    ("symmetric = true", 'symmetric = "yes"',
     "[relations.collaborate] symmetric must be true or false, got 'yes'"),
    ("seed = 7", 'seed = "seven"', "[study] seed must be a whole number, got 'seven'"),
    ('columns = "c_{member}"', 'columns = "c_"',
     "columns 'c_' must contain {member} where the member's id or name appears"),
    ('"Weekly" = 3', '"Weekly" = "3"', "[scales] frequency: labels ['Weekly'] must map to "
     "numbers"),
    ('[relations.advice]', '[scales.tie]\n"x" = 1\n[relations.advice]',
     "[scales] tie: 'tie' and 'yesno' are built in; give them only codes"),
    ('file = "roster.csv"', 'file = "rooster.csv"',
     "[roster] file 'rooster.csv' does not exist in"),
    ('file = "s.csv"', 'file = "s.csv"\nplatform = "qualtrix"',
     "platform = 'qualtrix' is not one of auto, plain, qualtrics, surveymonkey, "
     "google_forms, kobotoolbox; did you mean 'qualtrics'?"),
    ('file = "s.csv"', 'file = "s.csv"\nheader_rows = 0', "header_rows must be 1 or more"),
    ('[relations.advice]', '[relations."bad key"]', "[relations] key 'bad key' must start"),
    ('[relations.advice]', '[relations.advice]\n[aliases]\n"Bob" = 2',
     "[aliases] 'Bob' must name a member id in quotes"),
    ('[relations.advice]', '[relations.advice]\n[items.mine]\ntext = "Mine"\n'
     'milestone = "cohesin"', "[items.mine] milestone 'cohesin' is not one of "
     "setting_the_table, safety_trust, cohesion, financing, lived_experience; "
     "did you mean 'cohesion'?"),
    ('[relations.advice]', '[relations.advice]\n[analysis]\nduplicates = "keep_lastt"',
     "[analysis] duplicates = 'keep_lastt' is not one of keep_last, keep_first, error; "
     "did you mean 'keep_last'?"),
    ('[relations.advice]', '[relations.advice]\n[analysis]\nresolutoin = 1',
     "unknown key 'resolutoin' in [analysis]; did you mean 'resolution'?"),
    ('[relations.advice]', '[relations.advice]\n[analysis]\nresponse_rate_warning = 70',
     "[analysis] response_rate_warning is a share between 0 and 1"),
    ('[relations.advice]', '[relations.advice]\n[analysis]\npermutations = -5',
     "[analysis] permutations must be 0 (no tests) or at least 1000"),
])
def test_each_mistake_has_its_message(make_study, old, new, expected):
    assert GOOD.count(old) >= 1
    messages, _ = problems_of(make_study, GOOD.replace(old, new, 1))
    assert any(expected in m for m in messages), messages


def test_a_typo_in_shape_gives_one_message(make_study):
    messages, _ = problems_of(make_study, GOOD.replace('shape = "matrix"', 'shape = "matrx"'))
    assert len(messages) == 1


def test_missing_pieces(make_study):
    toml = """
[study]
name = "Bare"
[roster]
silo = "sector"
[waves.w1]
[waves.w2]
[[waves.w2.surveys]]
file = "s.csv"
[[waves.w2.surveys.questions]]
shape = "perceptions"
items = { funn = "x" }
[[waves.w2.surveys.questions]]
shape = "decision"
[[waves.w2.surveys.questions]]
relation = "advice"
"""
    messages, error = problems_of(make_study, toml)
    expected = [
        "[roster] is missing the required key 'file'",
        "no [relations] defined",
        "[waves.w1] has no surveys: add at least one [[waves.w1.surveys]]",
        "[[waves.w2.surveys]] #1 is missing the required key 'respondent'",
        "item 'funn' is not a known item; define it under [items.funn] with its text and "
        "milestone, or did you mean 'fun'?",
        "(perceptions) needs scale = the answer scale's name",
        "(decision) needs column (one cell, names joined by separator) or columns",
        "(decision) needs decision = a short id for the decision",
        "question #3 needs a shape: one of long, matrix",
    ]
    for text in expected:
        assert any(text in m for m in messages), (text, messages)
    assert error.message.endswith(f"{len(messages)} configuration problems")
    assert error.exit_code == 2


def test_every_problem_is_listed_at_once(make_study):
    toml = (GOOD.replace('silo = "sector"', 'silos = "sector"')
                .replace("seed = 7", 'seed = "x"')
                .replace('shape = "matrix"', 'shape = "matrx"')
                .replace('file = "s.csv"', 'file = "t.csv"'))
    messages, error = problems_of(make_study, toml)
    assert len(messages) == 4
    assert error.message.endswith("cpower.toml: 4 configuration problems")
    assert all(p.file.endswith("cpower.toml") for p in error.problems)


def test_invalid_toml(make_study):
    root = make_study('[study]\nname = "unclosed\n', FILES)
    with pytest.raises(ConfigError, match=r"cpower.toml: not valid TOML \(.*line 2.*\)\. Check "
                                          r"quotes around texts"):
        read_config(root)


def test_section_written_twice(make_study):
    root = make_study(GOOD + '\n[study]\nseed = 1\n', FILES)
    with pytest.raises(ConfigError, match=r"not valid TOML .*every \[section\] is written "
                                          r"once"):
        read_config(root)


def test_not_utf8(make_study):
    root = make_study("", FILES)
    (root / "cpower.toml").write_bytes('[study]\nname = "Zoë"\n'.encode("utf-16"))
    with pytest.raises(ConfigError, match=r"not a UTF-8 text file; save it as UTF-8"):
        read_config(root)


def test_bom_is_fine(make_study):
    root = make_study("", FILES)
    (root / "cpower.toml").write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert read_config(root).name == "Good"


def test_paths(make_study, tmp_path):
    root = make_study(GOOD, FILES)
    assert read_config(root / "cpower.toml").root == root
    with pytest.raises(ConfigError, match=r"no such study folder or file.*cpower init"):
        read_config(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match=r"no cpower.toml in this folder\. Create one with: "
                                          r"cpower init"):
        read_config(tmp_path / "empty")


def test_name_defaults_to_the_folder(make_study):
    config = read_config(make_study(GOOD.replace('name = "Good"\n', ""), FILES, name="my-study"))
    assert config.name == "my-study"


def test_the_init_template_is_a_valid_configuration(tmp_path):
    write_study_templates(tmp_path)
    config = read_config(tmp_path)
    assert list(config.relations) == ["collaborate", "trust", "advice", "influence"]
    assert config.wave_keys == ["wave1"]
    shapes = [q.shape for s in config.waves["wave1"].surveys for q in s.questions]
    assert shapes == ["matrix", "matrix", "matrix", "matrix", "name_generator", "decision",
                      "multi_select", "perceptions"]
    assert [g.key for g in config.focus_groups] == ["lived_experience", "grassroots"]
    assert config.analysis == AnalysisSettings()


def test_analysis_settings(make_study):
    toml = GOOD + '[analysis]\nnonrespondents = "union"\npermutations = 0\nsmall_group = 3\n'
    settings = read_config(make_study(toml, FILES)).analysis
    assert (settings.nonrespondents, settings.permutations, settings.small_group) == \
        ("union", 0, 3)
    assert settings.duplicates == "keep_last"          # untouched default
    # command-line options come last; None means "not given"
    changed = settings.with_options(permutations=99, resolution=None)
    assert (changed.permutations, changed.resolution, changed.nonrespondents) == \
        (99, 1.0, "union")


def test_closest():
    assert closest("respondant", ["file", "respondent", "sheet"]) == "respondent"
    assert closest("zzz", ["file", "respondent"]) is None
    assert closest("x", []) is None
