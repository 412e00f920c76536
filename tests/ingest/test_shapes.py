"""The five shapes of survey data, the decision question, scales, duplicate responses,
and the Study API (ingest/questions.py, ingest/survey.py, ingest/study.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

import cpower_network as cp
from cpower_network.cli import main
from cpower_network.config.scales import Scale
from cpower_network.errors import DataError

ROSTER = ('member_id,name,sector\nm01,Ana Ruiz,Parents\nm02,"Robert Lee, Jr.",Providers\n'
          "m03,José Núñez,Parents\nm04,Kim Tran,Funders\n")

HEAD = """
[study]
name = "shapes"
[roster]
file = "roster.csv"
silo = "sector"
[scales]
frequency = { "Never" = 0, "Monthly" = 2, "Weekly" = 3 }
level = { "Low" = 1, "High" = 2 }
weight = { "Low" = 0, "High" = 10 }
agree = { "Disagree" = 1, "Neutral" = 2, "Agree" = 3 }
[relations.collaborate]
scale = "frequency"
[relations.trust]
scale = "level"
[relations.resources]
scale = "weight"
[relations.advice]
[relations.influence]
"""


def survey_toml(*questions: str, file="s.csv", respondent="who", extra="") -> str:
    body = "".join(f"\n[[waves.w1.surveys.questions]]\n{q.strip()}\n" for q in questions)
    return (HEAD + extra + f'\n[waves.w1]\n[[waves.w1.surveys]]\nfile = "{file}"\n'
            f'respondent = "{respondent}"\n' + body)


@pytest.fixture
def study_of(make_study):
    """``study_of(toml, csv_text)``: load a one-survey study."""

    def load(toml: str, text: str, **files) -> cp.Study:
        return cp.load_study(make_study(toml, {"roster.csv": ROSTER, "s.csv": text, **files}))

    return load


def edges(frame):
    return sorted((rel, r, a, float(v)) for rel, r, a, v in zip(
        frame["relation"], frame["respondent"], frame["alter"], frame["value"], strict=True))


def set_aside(study):
    f = study.quality.set_aside
    return sorted(zip(f["row"], f["column"], f["value"], f["reason"], strict=True))


def codes(study):
    return [(p.code, p.row, p.column) for p in study.quality.problems]


# --- 1. long edge list ---------------------------------------------------------------------

def test_long_with_relation_column(study_of):
    toml = survey_toml('shape = "long"\nrelation_column = "rel"\nalter = "alter"\n'
                       'value = "answer"')
    text = ("who,alter,rel,answer\n"
            "m01,Kim Tran,collaborate,Weekly\n"
            "m01,m03,advice,1\n"
            "Ana Ruiz,José Nunez,Collaborate,never\n"   # relation and label ignore case
            "m02,m02,collaborate,Monthly\n"             # self-nomination
            "m02,Zed Quill,collaborate,Weekly\n"        # unknown alter
            "m02,m01,friendship,1\n"                    # unknown relation
            "m02,m01,collaborate,Daily\n"               # off the scale
            "m02,,collaborate,\n"                       # blank
            "m03,m01,Trust,High\n")
    study = study_of(toml, text)
    assert edges(study.wave("w1").ties) == [
        ("advice", "m01", "m03", 1.0), ("collaborate", "m01", "m03", 0.0),
        ("collaborate", "m01", "m04", 3.0), ("trust", "m03", "m01", 2.0)]
    assert set_aside(study) == [
        (5, "answer", "Monthly", "self-nomination"), (6, "answer", "Weekly", "unknown name"),
        (7, "answer", "1", "unknown relation"), (8, "answer", "Daily", "off the scale"),
        (9, "answer", "", "blank")]
    assert codes(study) == [("self-nomination", 5, "answer"), ("unknown-name", 6, "alter"),
                            ("unknown-relation", 7, "rel"), ("off-scale", 8, "answer")]
    relation_problem = study.quality.problems[2]
    assert relation_problem.expected == "collaborate, trust, resources, advice, influence"
    # a long file names the same respondent on many rows: that is not a duplicate response
    assert study.wave("w1").respondents() == ["m01", "m02", "m03"]


def test_long_with_fixed_relation_and_no_value(study_of):
    toml = survey_toml('shape = "long"\nrelation = "advice"\nalter = "alter"')
    study = study_of(toml, "who,alter\nm01,m02\nm01,Kim Tran\nm02,\n")
    assert edges(study.wave("w1").ties) == [("advice", "m01", "m02", 1.0),
                                           ("advice", "m01", "m04", 1.0)]
    assert set_aside(study) == [(4, "alter", "", "blank")]


@pytest.mark.parametrize(("setting", "named", "purpose"), [
    ("alter", "alter_name", "alter column"), ("value", "answer_text", "value column"),
    ("relation_column", "relation_kind", "relation column")])
def test_long_file_with_a_misnamed_column_reads_nothing_and_says_so(make_study, setting,
                                                                     named, purpose):
    columns = {"alter": "alter", "value": "answer", "relation_column": "rel"} | {setting: named}
    toml = survey_toml("shape = \"long\"\n" + "\n".join(f'{k} = "{v}"'
                                                      for k, v in columns.items()))
    folder = make_study(toml, {"roster.csv": ROSTER, "s.csv": (
        "who,alter,rel,answer\nm01,m02,collaborate,Weekly\nm02,m03,trust,High\n")})
    found = CliRunner().invoke(main, ["validate", str(folder)])
    assert found.exit_code == 1, found.output
    assert found.exception is None or isinstance(found.exception, SystemExit)
    assert "Traceback" not in found.output
    assert (f"s.csv, column '{named}': {purpose}: no column '{named}'. Expected: one of the "
            "file's columns: 'who', 'alter', 'rel', 'answer'.") in found.output
    # nothing is read from the file, rather than the wrong column read as answers
    assert "answers read: collaborate 0, trust 0" in found.output


# --- 2. roster matrix ----------------------------------------------------------------------

def test_matrix_headers_by_id_name_or_alias(study_of):
    toml = survey_toml('shape = "matrix"\nrelation = "collaborate"\ncolumns = "c[{member}]"',
                       extra='[aliases]\n"Bob" = "m02"\n')
    text = "who,c[m01],c[Bob],c[jose nunez],c[Kim Tran],c[Ghost]\n" \
           "m01,Weekly,weekly,  NEVER ,2,Weekly\n" \
           "m04,Monthly,Sometimes,,Weekly,\n"
    study = study_of(toml, text)
    # "Never" is an answer (0) and is kept; a bare number on a labelled scale is not
    # read (it may be the export's choice code): it is set aside and reported
    assert edges(study.wave("w1").ties) == [
        ("collaborate", "m01", "m02", 3.0), ("collaborate", "m01", "m03", 0.0),
        ("collaborate", "m04", "m01", 2.0)]
    assert set_aside(study) == [
        (2, "c[Ghost]", "Weekly", "column names nobody on the roster"),
        (2, "c[Kim Tran]", "2", "numeric code on a labelled scale"),
        (2, "c[m01]", "Weekly", "self-nomination"),
        (3, "c[Bob]", "Sometimes", "off the scale"),
        (3, "c[Ghost]", "", "blank"),
        (3, "c[Kim Tran]", "Weekly", "self-nomination"),
        (3, "c[jose nunez]", "", "blank")]
    ghost = study.quality.problems[0]
    assert (ghost.code, ghost.row, ghost.column) == ("unknown-name", None, "c[Ghost]")
    assert "the column header names 'Ghost', who is not on the roster" in ghost.message


def test_matrix_pattern_fits_no_header(study_of):
    toml = survey_toml('shape = "matrix"\nrelation = "collaborate"\ncolumns = "collab_{member}"')
    study = study_of(toml, "who,colab_m01,colab_m02\nm01,,Weekly\n")
    (problem,) = study.quality.problems
    assert problem.code == "missing-column"
    assert "no column header fits the pattern 'collab_{member}'" in problem.message
    assert problem.expected == "headers such as 'who', 'colab_m01', 'colab_m02'"


def test_scales_are_per_relation(study_of):
    """The same label means different numbers on different relations' scales."""
    toml = survey_toml('shape = "matrix"\nrelation = "trust"\ncolumns = "t_{member}"',
                       'shape = "matrix"\nrelation = "resources"\ncolumns = "r_{member}"')
    study = study_of(toml, "who,t_m02,r_m02,t_m03,r_m03\nm01,High,High,low,LOW\n")
    assert edges(study.wave("w1").ties) == [
        ("resources", "m01", "m02", 10.0), ("resources", "m01", "m03", 0.0),
        ("trust", "m01", "m02", 2.0), ("trust", "m01", "m03", 1.0)]


def test_off_scale_lists_the_expected_labels(study_of):
    toml = survey_toml('shape = "matrix"\nrelation = "collaborate"\ncolumns = "c_{member}"')
    study = study_of(toml, "who,c_m02,c_m03\nm01,Daily,1\n")
    daily, one = [p for p in study.quality.problems if p.code != "not-asked"]
    assert str(daily) == (
        "s.csv, row 2, column 'c_m02': collaborate: answer not on the 'frequency' scale "
        "(value 'Daily'). Expected: 'Never'=0, 'Monthly'=2, 'Weekly'=3. Fix: correct the "
        "answer, or add the label to [scales] frequency in cpower.toml")
    # 1 is a bare number on a labelled scale: reported as a possible code, not read
    assert (one.code, one.value, one.row) == ("numeric-codes", "1", 2)


def test_scale_value_of():
    scale = Scale("f", {"Never": 0, "A few times a year": 1, "Weekly": 3.5})
    assert scale.value_of("  a FEW times  a year ") == 1.0
    # bare numbers on a labelled scale are not read: they may be choice codes
    assert scale.read("3.5").status == "numeric-code"
    assert scale.value_of(" 0 ") is None
    assert scale.value_of("2") is None
    assert scale.value_of("Daily") is None
    assert scale.values == (0.0, 1.0, 3.5)
    assert scale.describe() == "'Never'=0, 'A few times a year'=1, 'Weekly'=3.5"


# --- 3. name generator ---------------------------------------------------------------------

def test_name_generator(study_of):
    toml = survey_toml('shape = "name_generator"\nrelation = "advice"\n'
                       'columns = ["n1", "n2", "n3", "n4"]')
    text = ("who,n1,n2,n3,n4\n"
            "m01,kim tran,KIM  TRAN,ana ruiz,Kim Trann\n"
            "m02,,José Núñez,m01,\n")
    study = study_of(toml, text)
    assert edges(study.wave("w1").ties) == [
        ("advice", "m01", "m04", 1.0), ("advice", "m02", "m01", 1.0),
        ("advice", "m02", "m03", 1.0)]
    assert set_aside(study) == [
        (2, "n2", "KIM  TRAN", "named twice"), (2, "n3", "ana ruiz", "self-nomination"),
        (2, "n4", "Kim Trann", "unknown name"), (3, "n1", "", "blank"), (3, "n4", "", "blank")]
    assert [(p.severity, p.code) for p in study.quality.problems] == [
        ("warning", "named-twice"), ("warning", "self-nomination"), ("error", "unknown-name")]


def test_name_generator_value(study_of):
    toml = survey_toml('shape = "name_generator"\nrelation = "resources"\ncolumns = "n1"\n'
                       "value = 10")
    study = study_of(toml, "who,n1\nm01,m02\n")
    assert edges(study.wave("w1").ties) == [("resources", "m01", "m02", 10.0)]


# --- 4. multi-select -----------------------------------------------------------------------

def test_multi_select_one_cell(study_of):
    toml = survey_toml('shape = "multi_select"\nrelation = "influence"\ncolumn = "who shaped"\n'
                       'separator = ";"')
    text = ("who,who shaped\n"
            "m01,Robert Lee, Jr.;kim tran;Kim Tran;Ghost\n"
            "m02,m02;m03\n"
            "m03,;\n"
            "m04,\n")
    study = study_of(toml, text.replace("Robert Lee, Jr.;kim tran;Kim Tran;Ghost",
                                        '"Robert Lee, Jr.;kim tran;Kim Tran;Ghost"'))
    assert edges(study.wave("w1").ties) == [
        ("influence", "m01", "m02", 1.0), ("influence", "m01", "m04", 1.0),
        ("influence", "m02", "m03", 1.0)]
    assert set_aside(study) == [
        (2, "who shaped", "Ghost", "unknown name"),
        # kim tran and Kim Tran are one member: one tie, the repeat accounted for
        (2, "who shaped", "Robert Lee, Jr.;kim tran;Kim Tran;Ghost",
         "member named twice in one cell"),
        (3, "who shaped", "m02;m03", "self-nomination"),
        (4, "who shaped", ";", "blank"),      # only separators: nothing chosen
        (5, "who shaped", "", "blank")]


def test_multi_select_one_column_per_choice(study_of):
    toml = survey_toml('shape = "multi_select"\nrelation = "influence"\ncolumns = "w_{member}"\n'
                       "value = 2")
    text = ("who,w_m01,w_m02,w_m03,w_m04\n"
            "m01,,1,x,Kim Tran\n"        # blank, 1, x and the option text all tick
            "m02,yes,0,No,maybe\n")
    study = study_of(toml, text)
    assert edges(study.wave("w1").ties) == [
        ("influence", "m01", "m02", 2.0), ("influence", "m01", "m03", 2.0),
        ("influence", "m01", "m04", 2.0), ("influence", "m02", "m01", 2.0)]
    assert set_aside(study) == [
        (2, "w_m01", "", "blank"), (3, "w_m02", "0", "not selected"),
        (3, "w_m03", "No", "not selected"), (3, "w_m04", "maybe", "off the scale")]
    (problem,) = study.quality.problems
    assert problem.code == "off-scale"
    assert problem.expected == ("1 (or yes, x, the option text) when chosen; 0 or blank "
                                "when not")


# --- 5. perception items -------------------------------------------------------------------

def test_perceptions(study_of):
    toml = survey_toml('shape = "perceptions"\nscale = "agree"\n'
                       'items = { fun = "Q7", take_part = "part", trust_staff = "staff" }',
                       extra='[items.trust_staff]\ntext = "I trust the staff"\n'
                             'milestone = "safety_trust"\n')
    text = "who,Q7,part,staff\nm01,Agree,3, neutral\nm02,,Maybe,1\n"
    study = study_of(toml, text)
    p = study.wave("w1").perceptions
    assert sorted(zip(p["item"], p["respondent"], p["value"], p["column"], strict=True)) == [
        ("fun", "m01", 3.0, "Q7"), ("take_part", "m01", 3.0, "part"),
        ("trust_staff", "m01", 2.0, "staff"), ("trust_staff", "m02", 1.0, "staff")]
    assert set_aside(study) == [(3, "Q7", "", "blank"), (3, "part", "Maybe", "off the scale")]
    (problem,) = study.quality.problems
    assert problem.expected == "'Disagree'=1, 'Neutral'=2, 'Agree'=3"
    assert study.config.items["trust_staff"].milestone == "safety_trust"


# --- the decision question -----------------------------------------------------------------

DECISION = """
shape = "decision"
decision = "budget"
label = "The budget"
involved = "inv"
column = "shaped"
separator = ";"
voice = "voice"
scale = "agree"
"""


def test_decision_one_cell(study_of):
    text = ("who,inv,shaped,voice\n"
            "m01,Yes,m02;Kim Tran;Zed Quill,Agree\n"
            "m02,no,,\n"
            "m03,perhaps,m01,Strongly\n")
    study = study_of(survey_toml(DECISION), text)
    wave = study.wave("w1")
    part = wave.participation.astype(object).where(wave.participation.notna(), None)
    assert part.values.tolist() == [
        ["w1", "budget", "m01", 1.0, 3.0, "s.csv", 2, "inv", "voice"],
        ["w1", "budget", "m02", 0.0, None, "s.csv", 3, "inv", "voice"],
        ["w1", "budget", "m03", None, None, "s.csv", 4, "inv", "voice"]]
    dec = wave.decisions.astype(object).where(wave.decisions.notna(), None)
    assert dec.values.tolist() == [
        ["w1", "budget", "m01", "m02", 1.0, "s.csv", 2, "shaped"],
        ["w1", "budget", "m01", "m04", 1.0, "s.csv", 2, "shaped"],
        ["w1", "budget", "m03", "m01", None, "s.csv", 4, "shaped"]]
    assert set_aside(study) == [
        (2, "shaped", "Zed Quill", "unknown name"),
        (3, "shaped", "", "blank"), (3, "voice", "", "blank"),
        (4, "inv", "perhaps", "off the scale"), (4, "voice", "Strongly", "off the scale")]
    assert [(p.code, p.column) for p in study.quality.problems] == [
        ("unknown-name", "shaped"), ("off-scale", "inv"), ("off-scale", "voice")]
    assert "Expected: 'yes'=1, 'no'=0" in str(study.quality.problems[1])
    # the yes/no scale is built in: the fix does not send the user to [scales]
    assert study.quality.problems[1].fix == "correct the answer"


def test_decision_one_column_per_choice(study_of):
    toml = survey_toml('shape = "decision"\ndecision = "hire"\ncolumns = "hire_{member}"')
    study = study_of(toml, "who,hire_m01,hire_m02,hire_m03\nm01,1,1,\nm02,,,x\n")
    wave = study.wave("w1")
    assert sorted(zip(wave.decisions["respondent"], wave.decisions["named"], strict=True)) == \
        [("m01", "m02"), ("m02", "m03")]
    # no involved and no voice column: participation still records who answered
    assert wave.participation[["respondent", "involved_column", "voice_column"]] \
        .values.tolist() == [["m01", "", ""], ["m02", "", ""]]
    assert wave.participation["involvement"].isna().all()


# --- duplicate responses -------------------------------------------------------------------

NAMES = 'shape = "name_generator"\nrelation = "advice"\ncolumns = ["n1"]'


@pytest.mark.parametrize(("policy", "kept", "severity"), [
    (None, "m03", "warning"), ("keep_last", "m03", "warning"),
    ("keep_first", "m02", "warning"), ("error", "m03", "error")])
def test_duplicate_responses(study_of, policy, kept, severity):
    extra = f'[analysis]\nduplicates = "{policy}"\n' if policy else ""
    study = study_of(survey_toml(NAMES, extra=extra),
                     "who,n1\nm01,m02\nm04,m01\nAna Ruiz,m03\n")
    ties = study.wave("w1").ties
    assert ties[ties["respondent"] == "m01"]["alter"].tolist() == [kept]
    dropped_row = 4 if policy == "keep_first" else 2
    kept_row = 2 if policy == "keep_first" else 4
    (problem,) = study.quality.problems
    assert (problem.severity, problem.code, problem.row) == \
        (severity, "duplicate-response", dropped_row)
    assert problem.message == f"m01 answered this survey more than once; kept row {kept_row}"
    whole = study.quality.set_aside
    assert whole[["row", "column", "value", "reason"]].values.tolist() == [
        [dropped_row, "", "m01", "duplicate response (an earlier or later one was kept)"]]


def test_duplicate_responses_ordered_by_timestamp(study_of):
    """With ``timestamp``, "last" means the latest answer, not the lowest row."""
    toml = survey_toml(NAMES).replace('respondent = "who"',
                                      'respondent = "who"\ntimestamp = "when"')
    study = study_of(toml, "who,when,n1\n"
                           "m01,2024/05/02 9:00:00 AM GMT+1,m03\n"
                           "m01,2024/05/01 11:00:00 PM GMT+1,m02\n")
    assert study.wave("w1").ties["alter"].tolist() == ["m03"]
    assert study.quality.problems[0].row == 3


# --- the Study API ------------------------------------------------------------------------

ALL_SHAPES = survey_toml(
    'shape = "matrix"\nrelation = "collaborate"\ncolumns = "c_{member}"',
    'shape = "perceptions"\nscale = "agree"\nitems = { fun = "fun" }',
    DECISION,
)


def test_study_api_frames(study_of):
    study = study_of(ALL_SHAPES, "who,c_m02,fun,inv,shaped,voice\nm01,Weekly,Agree,yes,m02,Agree\n")
    assert isinstance(study, cp.Study)
    assert study.name == "shapes"
    assert study.relations == ["collaborate", "trust", "resources", "advice", "influence"]
    assert study.quality.ok
    wave = study.wave()                      # the latest wave
    assert isinstance(wave, cp.WaveData)
    assert (wave.key, wave.label) == ("w1", "w1")
    assert wave.members == ["m01", "m02", "m03", "m04"]
    assert wave.ties.columns.tolist() == ["wave", "relation", "respondent", "alter", "value",
                                          "file", "row", "column", "facet"]
    assert wave.perceptions.columns.tolist() == ["wave", "item", "respondent", "value",
                                                 "file", "row", "column"]
    assert wave.decisions.columns.tolist() == ["wave", "decision", "respondent", "named",
                                               "involvement", "file", "row", "column"]
    assert wave.participation.columns.tolist() == [
        "wave", "decision", "respondent", "involvement", "voice", "file", "row",
        "involved_column", "voice_column"]
    assert wave.responses.columns.tolist() == ["wave", "file", "respondent", "row"]
    for frame in (wave.ties, wave.perceptions):
        assert frame["value"].dtype == "float64"
        assert frame["row"].dtype == "int64"
    assert wave.participation["voice"].dtype == "float64"
    assert study.quality.set_aside.columns.tolist() == ["wave", "file", "row", "column",
                                                        "value", "reason"]
    assert wave.respondents() == ["m01"]
    assert wave.respondents("collaborate") == ["m01"]
    assert wave.respondents("advice") == []      # no survey of this wave asks about advice


def test_empty_frames_keep_their_columns_and_types(study_of):
    study = study_of(ALL_SHAPES, "who,c_m02,fun,inv,shaped,voice\nm01,,,,,\n")
    wave = study.wave("w1")
    assert wave.ties.empty and wave.perceptions.empty and wave.decisions.empty
    assert wave.ties["value"].dtype == "float64"
    assert wave.ties["row"].dtype == "int64"
    assert len(wave.participation) == 1


def test_unknown_wave_key(study_of):
    study = study_of(survey_toml(NAMES), "who,n1\nm01,m02\n")
    with pytest.raises(cp.UsageError, match=r"no wave 'w2' in this study; waves: w1"):
        study.wave("w2")


def test_strict_raises_data_error(study_of, make_study):
    root = make_study(survey_toml(NAMES), {"roster.csv": ROSTER,
                                            "s.csv": "who,n1\nm01,Zed Quill\nm09,m01\n"})
    with pytest.raises(DataError) as caught:
        cp.load_study(root, strict=True)
    assert caught.value.message == f"{root}: 2 problems in the data"
    assert [p.code for p in caught.value.problems] == ["unknown-name", "unknown-name"]
    assert caught.value.exit_code == 1
    # without strict the same study loads, with its problems recorded
    assert len(cp.load_study(root).quality.errors) == 2


def test_strict_allows_warnings(make_study):
    root = make_study(survey_toml(NAMES), {"roster.csv": ROSTER, "s.csv": "who,n1\nm01,m01\n"})
    study = cp.load_study(root, strict=True)
    assert [p.code for p in study.quality.warnings] == ["self-nomination"]


def test_load_study_accepts_the_toml_path(make_study):
    root = make_study(survey_toml(NAMES), {"roster.csv": ROSTER, "s.csv": "who,n1\nm01,m02\n"})
    study = cp.load_study(str(root / "cpower.toml"))
    assert study.path == root
    assert isinstance(study.roster, pd.DataFrame)
