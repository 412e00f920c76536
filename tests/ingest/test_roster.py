"""The member roster (ingest/roster.py): columns, checks, waves, untrusted text."""

from __future__ import annotations

import pytest

import cpower_network as cp
from cpower_network.errors import DataError
from cpower_network.ingest.rostercells import parse_flag

FULL_ROSTER_SECTION = """
[roster]
file = "roster.csv"
id = "ID"
name = "Full name"
silo = "sector"
organisation = "org"
role = "role"
leadership_roles = ["Co-chair", "Steering committee"]
consent = "consent"
waves = "waves"
[focus_groups]
lived_experience = { column = "lived", label = "Lived experience" }
grassroots = "grassroots"
"""
SIMPLE_ROSTER_SECTION = """
[roster]
file = "roster.csv"
silo = "sector"
"""
REST = """
[study]
name = "roster"
[relations.advice]
[waves.w1]
[[waves.w1.surveys]]
file = "w1.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "name_generator"
relation = "advice"
columns = ["a1"]
[waves.w2]
[[waves.w2.surveys]]
file = "w2.csv"
respondent = "who"
[[waves.w2.surveys.questions]]
shape = "name_generator"
relation = "advice"
columns = ["a1"]
"""
FULL_TOML = FULL_ROSTER_SECTION + REST
SIMPLE_TOML = SIMPLE_ROSTER_SECTION + REST

FULL_ROSTER = """ID,Full name,sector,org,role,consent,lived,grassroots,waves,email,name
m1,Ana Ruiz,Parents,Casa,co-chair,yes,Yes,no,,ana@example.org,x
m2,Kim Tran,Funders,Fund,Member,No,,X,w1,kim@example.org,y
m3,José Núñez,Parents,,Steering Committee,1,true,0,w2|w1,,z
m4,Lee,Providers,Care,,,n,y,w2,lee@example.org,
"""


def load(make_study, roster, toml=FULL_TOML, w1="who,a1\nm1,m2\n", w2="who,a1\nm1,m3\n"):
    root = make_study(toml, {"roster.csv": roster, "w1.csv": w1, "w2.csv": w2})
    return cp.load_study(root)


def test_roster_frame(make_study):
    study = load(make_study, FULL_ROSTER)
    frame = study.roster
    assert frame.index.name == "member_id"
    assert frame.index.tolist() == ["m1", "m2", "m3", "m4"]
    assert frame.columns.tolist() == ["name", "silo", "organisation", "role", "leader",
                                      "consent", "lived_experience", "grassroots", "email",
                                      "roster_name"]
    assert frame.loc["m3"].to_dict() == {
        "name": "José Núñez", "silo": "Parents", "organisation": "", "role":
        "Steering Committee", "leader": True, "consent": True, "lived_experience": True,
        "grassroots": False, "email": "", "roster_name": "z"}
    assert frame["leader"].tolist() == [True, False, True, False]
    assert frame["consent"].tolist() == [True, False, True, False]
    assert frame["lived_experience"].tolist() == [True, False, True, False]
    assert frame["grassroots"].tolist() == [False, True, False, True]
    assert study.focus_groups == ["lived_experience", "grassroots"]
    assert study.quality.problems == []


def test_wave_membership(make_study):
    study = load(make_study, FULL_ROSTER)
    # blank means every wave; "w2|w1" is listed in the study's wave order
    assert study.wave("w1").members == ["m1", "m2", "m3"]
    assert study.wave("w2").members == ["m1", "m3", "m4"]


def test_member_absent_from_a_wave(make_study):
    """Answering in a wave one is not part of is an error; naming such a member is a
    warning; a member absent from a wave is not a non-respondent there."""
    study = load(make_study, FULL_ROSTER, w1="who,a1\nm1,m2\nm4,m1\n",
                 w2="who,a1\nm1,m2\nm3,m1\n")
    problems = [(p.severity, p.code, p.file, p.row) for p in study.quality.problems]
    assert problems == [("error", "respondent-not-in-wave", "w1.csv", 3),
                        ("warning", "not-in-wave", "w2.csv", 2)]
    assert "m4 answered in wave 'w1' but the roster does not list them in it" in \
        study.quality.problems[0].message
    reasons = dict(zip(study.quality.set_aside["file"] + ":" +
                       study.quality.set_aside["row"].astype(str),
                       study.quality.set_aside["reason"], strict=True))
    assert reasons == {"w1.csv:3": "respondent not in this wave",
                       "w2.csv:2": "member not in this wave"}
    assert study.wave("w2").respondents() == ["m1", "m3"]


def test_each_bad_member_row_is_reported(make_study):
    roster = FULL_ROSTER + (
        "m1,Ana Again,Funders,,,,,,,,\n"      # id used twice
        ",No Id,Funders,,,,,,,,\n"            # blank id
        "m5,,Funders,,,,,,,,\n"               # blank name
        "m6,Six,,,,,,,,,\n"                   # blank silo
        "m7,Seven,Funders,,,maybe,,,,,\n"     # consent neither yes nor no
        "m8,Eight,Funders,,,,,,ww1,,\n"       # unknown wave
    )
    study = load(make_study, roster)
    got = [(p.code, p.row, p.column, p.value) for p in study.quality.problems]
    assert got == [
        ("duplicate-id", 6, "ID", "m1"),
        ("blank-id", 7, "ID", ""),
        ("blank-name", 8, "Full name", ""),
        ("blank-silo", 9, "sector", ""),
        ("not-yes-no", 10, "consent", "maybe"),
        ("unknown-wave", 11, "waves", "ww1"),
    ]
    messages = [str(p) for p in study.quality.problems]
    assert messages[0] == ("roster.csv, row 6, column 'ID': member id 'm1' is used twice "
                           "(first on row 2). Fix: give each member their own id")
    assert "Expected: w1, w2" in messages[5] and "did you mean 'w1'?" in messages[5]
    # the first m1 stays; the broken rows stay out
    assert study.roster.index.tolist() == ["m1", "m2", "m3", "m4"]
    assert study.roster.loc["m1", "name"] == "Ana Ruiz"


def test_duplicate_names_warned(make_study):
    roster = "member_id,name,sector\na,Kim Tran,P\nb,KIM TRAN,F\n"
    study = load(make_study, roster, toml=SIMPLE_TOML, w1="who,a1\na,b\n", w2="who,a1\nb,a\n")
    (problem,) = study.quality.problems
    assert (problem.severity, problem.code) == ("warning", "duplicate-name")
    assert "members a, b share the name 'kim tran'" in problem.message


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>",
    "=HYPERLINK(\"http://example.org\",\"x\")",
    "Ana \"The Boss\" Ruiz; DROP TABLE members;--",
    "{{ config }} ${HOME} %(name)s",
    "Zoë 🌱 Núñez",
])
def test_untrusted_text_is_stored_as_given(make_study, text):
    quoted = '"' + text.replace('"', '""') + '"'
    roster = f"member_id,name,sector,notes\nm1,{quoted},{quoted},{quoted}\nm2,Kim,F,\n"
    survey = f"who,a1\nm2,{quoted}\n"
    study = load(make_study, roster, toml=SIMPLE_TOML, w1=survey, w2=survey)
    assert study.roster.loc["m1", "name"] == text
    assert study.roster.loc["m1", "silo"] == text
    assert study.roster.loc["m1", "notes"] == text
    # and the same text in a survey finds the member
    assert study.wave("w1").ties["alter"].tolist() == ["m1"]


def test_roster_without_a_needed_column(make_study):
    roster = "ID,Full name,sectr,org,role,consent,lived,grassroots,waves\nm1,A,P,,,,,,\n"
    with pytest.raises(DataError) as caught:
        load(make_study, roster)
    error = caught.value
    assert error.message == "roster.csv: the roster cannot be read"
    (problem,) = error.problems
    assert (problem.code, problem.column) == ("missing-column", "sector")
    assert "'ID', 'Full name', 'sectr'" in problem.expected
    assert problem.fix.startswith("did you mean 'sectr'?")


def test_roster_with_no_usable_member(make_study):
    roster = "member_id,name,sector\nm1,Ana,\n,Kim,F\n"
    with pytest.raises(DataError) as caught:
        load(make_study, roster, toml=SIMPLE_TOML)
    assert caught.value.message == "roster.csv: the roster has no usable members"
    assert [p.code for p in caught.value.problems] == ["blank-silo", "blank-id"]


@pytest.mark.parametrize(("text", "flag"), [
    ("Yes", True), ("y", True), ("TRUE", True), ("1", True), ("x", True), ("✓", True),
    ("Sí", True), ("oui", True), ("No", False), ("n", False), ("false", False), ("0", False),
    ("", False), ("  ", False), ("maybe", None), ("2", None),
])
def test_parse_flag(text, flag):
    assert parse_flag(text) is flag
