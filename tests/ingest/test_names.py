"""Matching what respondents wrote to roster members (ingest/names.py).

Order: the exact member id, then the name normalised for case, whitespace and accents,
then the alias table (inline ``[aliases]`` and an aliases CSV). Fuzzy matching only
suggests, in messages; it never accepts a name.
"""

from __future__ import annotations

import pytest

import cpower_network as cp
from cpower_network.ingest.names import NameMatcher, duplicate_names, normalise_name

NAMES = {"m01": "Ana Ruiz", "m02": "Robert Lee, Jr.", "m03": "José Núñez",
         "m04": "Kim Tran", "m05": "Lee"}


@pytest.fixture
def matcher():
    return NameMatcher(NAMES, {"Bobby": "m02", "A. Ruiz": "m01", "Kim Tran": "m03"})


@pytest.mark.parametrize(("text", "expected"), [
    ("  José   RUIZ ", "jose ruiz"),
    ("José Núñez", "jose nunez"),
    ("JOSE\tNUNEZ", "jose nunez"),
    ("Zoë\u00a0Ærø", "zoe ærø"),          # NBSP is whitespace; æ/ø have no accent to strip
    ("Ｋｉｍ", "kim"),                     # full-width letters fold (NFKD)
    ("Straße", "strasse"),                # casefold, not lower
])
def test_normalise_name(text, expected):
    assert normalise_name(text) == expected


@pytest.mark.parametrize(("text", "member", "how"), [
    ("m02", "m02", "id"),
    (" m02 ", "m02", "id"),
    ("M02", "m02", "id"),
    ("Robert Lee, Jr.", "m02", "name"),
    ("robert  lee,  jr.", "m02", "name"),
    ("JOSE NUNEZ", "m03", "name"),
    ("José Nuñez", "m03", "name"),
    ("bobby", "m02", "alias"),
    ("a.  ruiz", "m01", "alias"),
])
def test_match_order(matcher, text, member, how):
    found = matcher.match(text)
    assert (found.member, found.how) == (member, how)


def test_a_roster_name_wins_over_an_alias(matcher):
    # the alias "Kim Tran" -> m03 cannot take the name of m04
    assert matcher.match("kim tran").member == "m04"


@pytest.mark.parametrize("text", ["Ana Ruis", "Rob Lee", "Jose", "Robert Lee Jr", "", "m6"])
def test_close_is_not_a_match(matcher, text):
    found = matcher.match(text)
    assert (found.member, found.how) == (None, "unknown")


def test_fuzzy_only_suggests(matcher):
    assert matcher.match("Ana Ruis").member is None
    assert matcher.suggest("Ana Ruis")[0] == "'Ana Ruiz' (m01)"
    assert matcher.suggest("Robert Lee Jr")[0] == "'Robert Lee, Jr.' (m02)"
    assert matcher.suggest("zzzzqqq") == []


def test_ambiguous_name():
    m = NameMatcher({"a": "Kim Tran", "b": "kim  TRAN", "c": "Ana"})
    found = m.match("Kim Tran")
    assert (found.member, found.how, found.candidates) == (None, "ambiguous", ("a", "b"))
    assert m.match("b").member == "b"       # the id still works
    assert duplicate_names(m.names) == {"kim tran": ["a", "b"]}


@pytest.mark.parametrize(("cell", "separator", "members", "unmatched"), [
    # Google Forms: ", " inside a name and between names
    ("Robert Lee, Jr., Kim Tran", ", ", ["m02", "m04"], []),
    ("Kim Tran, Robert Lee, Jr.", ", ", ["m04", "m02"], []),
    # fewest parts: "Lee, Jr." is not "Lee" + "Jr."; "Lee" alone is its own member
    ("Lee, Robert Lee, Jr.", ", ", ["m05", "m02"], []),
    # Qualtrics joins with a bare ","
    ("Ana Ruiz,Robert Lee, Jr.,Kim Tran", ",", ["m01", "m02", "m04"], []),
    ("Ana Ruiz;m03; bobby ", ";", ["m01", "m03", "m02"], []),
    # KoboToolbox: space-separated codes, extra spaces ignored
    ("m01  m03 m04", " ", ["m01", "m03", "m04"], []),
    # unknown pieces are reported, stripped, and the rest still matched
    ("Ana Ruiz, Zed Quill, Robert Lee, Jr.", ", ", ["m01", "m02"], ["Zed Quill"]),
    ("Ana Ruiz, Zed Quill ,Kim Tran", ",", ["m01", "m04"], ["Zed Quill"]),
    ("m01 m99", " ", ["m01"], ["m99"]),
    (";", ";", [], []),
    ("", ", ", [], []),
])
def test_split_matches_against_the_roster(matcher, cell, separator, members, unmatched):
    assert matcher.split(cell, separator) == (members, unmatched, [])


@pytest.mark.parametrize(("cell", "separator", "members", "others"), [
    # a non-member choice holding the separator is one choice, not two unknown names
    ("Ana Ruiz, Other, please specify", ", ", ["m01"], ["Other, please specify"]),
    ("Kim Tran,Someone else (please specify)", ",", ["m04"], ["Someone else (please specify)"]),
    ("No one in particular", ",", [], ["No one in particular"]),
    # a member's name is matched first, whatever the non-member list says
    ("Robert Lee, Jr.;None", ";", ["m02"], ["None"]),
])
def test_split_sets_non_member_choices_apart(matcher, cell, separator, members, others):
    from cpower_network.ingest.nonmembers import NonMembers

    assert matcher.split(cell, separator, NonMembers()) == (members, [], others)


# --- through a study: aliases from cpower.toml and from a CSV -----------------------------

ROSTER = ('member_id,name,sector\nm01,Ana Ruiz,Parents\nm02,"Robert Lee, Jr.",Providers\n'
          "m03,José Núñez,Parents\nm04,Kim Tran,Funders\n")


def toml(extra_roster="", extra=""):
    return f"""
[study]
name = "names"
[roster]
file = "roster.csv"
silo = "sector"
{extra_roster}
[relations.advice]
[waves.w1]
[[waves.w1.surveys]]
file = "survey.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "name_generator"
relation = "advice"
columns = ["a1", "a2", "a3"]
{extra}
"""


def ties_of(study):
    t = study.wave("w1").ties
    return sorted(zip(t["respondent"], t["alter"], t["column"], strict=True))


def test_aliases_inline_and_from_csv(make_study):
    root = make_study(
        toml('aliases = "aliases.csv"', '[aliases]\n"Bobby" = "m02"\n"Ana R." = "m01"\n'),
        {"roster.csv": ROSTER,
         "aliases.csv": "\ufeffalias,member_id\nJo Nunez,m03\nKT,m04\n",
         "survey.csv": "who,a1,a2,a3\nKT,bobby,ANA R.,jo  nunez\nBobby,kt,,\n"})
    study = cp.load_study(root)
    assert ties_of(study) == [("m02", "m04", "a1"), ("m04", "m01", "a2"),
                              ("m04", "m02", "a1"), ("m04", "m03", "a3")]
    assert study.quality.problems == []


def test_alias_to_an_unknown_member_is_an_error(make_study):
    root = make_study(
        toml('aliases = "aliases.csv"', '[aliases]\n"Bobby" = "m2"\n'),
        {"roster.csv": ROSTER, "aliases.csv": "alias,member_id\nKT,m44\n",
         "survey.csv": "who,a1,a2,a3\nm01,Bobby,KT,\n"})
    study = cp.load_study(root)
    problems = [(p.code, p.file, p.row, p.value) for p in study.quality.problems]
    assert problems[:2] == [("unknown-alias-member", "aliases.csv", 2, "m44"),
                            ("unknown-alias-member", "cpower.toml [aliases]", None, "m2")]
    # the broken aliases are not used: both names stay unknown
    assert [p.code for p in study.quality.problems[2:]] == ["unknown-name", "unknown-name"]
    assert study.wave("w1").ties.empty


def test_alias_csv_needs_its_two_columns(make_study):
    root = make_study(toml('aliases = "aliases.csv"'),
                      {"roster.csv": ROSTER, "aliases.csv": "name,id\nKT,m04\n",
                       "survey.csv": "who,a1,a2,a3\nm01,m02,,\n"})
    (problem,) = cp.load_study(root).quality.problems
    assert (problem.code, problem.file) == ("missing-column", "aliases.csv")
    assert "alias,member_id" in problem.message


def test_unknown_name_message_suggests_the_closest(make_study):
    root = make_study(toml(), {"roster.csv": ROSTER,
                               "survey.csv": "who,a1,a2,a3\nm01,Kim Trann,,\n"})
    study = cp.load_study(root)
    (problem,) = study.quality.problems
    assert str(problem) == (
        "survey.csv, row 2, column 'a1': names 'Kim Trann', who is not on the roster. "
        "Fix: closest: 'Kim Tran' (m04); add the spelling under [aliases] in cpower.toml "
        "(\"Kim Trann\" = \"<member id>\"), or add the member to the roster")
    # never guessed: no tie to Kim Tran
    assert study.wave("w1").ties.empty
    assert study.quality.set_aside["reason"].tolist() == ["unknown name", "blank", "blank"]


def test_ambiguous_name_in_a_survey(make_study):
    roster = ROSTER + "m05,Kim  TRAN,Parents\n"
    root = make_study(toml(), {"roster.csv": roster,
                               "survey.csv": "who,a1,a2,a3\nm01,kim tran,m05,\n"})
    study = cp.load_study(root)
    codes = [(p.code, p.severity) for p in study.quality.problems]
    assert codes == [("duplicate-name", "warning"), ("ambiguous-name", "error")]
    ambiguous = study.quality.problems[1]
    assert "'Kim Tran' (m04), 'Kim  TRAN' (m05)" in ambiguous.message
    assert ties_of(study) == [("m01", "m05", "a2")]
