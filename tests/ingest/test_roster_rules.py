"""Focus groups and leadership from any roster column (ingest/roster.py, config.py):
value lists, numeric thresholds, yes/no columns, several values in one cell, blank cells
("not known"), silos with several values, and the located problems ``cpower validate``
shows for a cell that fits no rule."""

from __future__ import annotations

import pandas as pd
import pytest

import cpower_network as cp
from cpower_network.config.roster import FocusGroup
from cpower_network.config.study import read_config
from cpower_network.errors import ConfigError
from cpower_network.ingest.roster import NOT_KNOWN, focus_flags
from cpower_network.ingest.rostercells import read_cell
from cpower_network.ingest.summary import quality_summary

REST = """
[relations.advice]
[waves.w1]
[[waves.w1.surveys]]
file = "w1.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "name_generator"
relation = "advice"
columns = ["a1"]
"""
RULES_TOML = """
[study]
name = "Rules"
[roster]
file = "roster.csv"
silo = "sector"
leadership = { column = "role", values = ["Co-chair", "Steering committee"] }
[focus_groups]
partners = { column = "status", values = ["partner", "core partner"] }
low_income = { column = "LEVEL", at_most = 2, label = "Low income" }
lived_experience = { column = "lived", label = "Lived experience" }
""" + REST
ROSTER = """member_id,name,sector,role,status,LEVEL,lived,county
m1,Ana Ruiz,Parents,Co-chair,Partner,1,yes,Kent
m2,Bo Li,Providers,member,core  PARTNER|ally,2,no,
m3,Cy Ng,Funders,Steering Committee;Treasurer,parnter,3,,Kent
m4,Di Oz,Parents,Member,ally,,yes,Essex
m5,Ed Yu,Providers,,parnter,2.5,no,
"""
SURVEY = "who,a1\nm1,m2\n"


def load(make_study, roster: str = ROSTER, toml: str = RULES_TOML) -> cp.Study:
    root = make_study(toml, {"roster.csv": roster, "w1.csv": SURVEY})
    return cp.load_study(root)


def flags(study: cp.Study, column: str) -> list[bool]:
    return study.roster[column].tolist()


# --- the rules ------------------------------------------------------------------------------

def test_values_thresholds_yes_no_and_leadership(make_study):
    study = load(make_study)
    # values: any case and spacing; "core  PARTNER|ally" holds one listed value
    assert flags(study, "partners") == [True, True, False, False, False]
    # at_most 2: 1 and 2 are in, 3 and 2.5 are not, blank (m4) is not known: not in
    assert flags(study, "low_income") == [True, True, False, False, False]
    # yes/no as before; blank (m3) counts as no
    assert flags(study, "lived_experience") == [True, False, False, True, False]
    # leadership by values: "Steering Committee;Treasurer" holds one listed role
    assert flags(study, "leader") == [True, False, True, False, False]
    assert study.config.roster.role == "role"
    assert study.config.roster.leadership_roles == ("Co-chair", "Steering committee")
    summary = quality_summary(study)
    assert summary.focus_groups == {"Partners": 2, "Low income": 2, "Lived experience": 2}
    assert [g.size for g in cp.analyze(study, seed=1, allow_problems=True).wave.groups] \
        == [5, 2, 2, 2]


def test_the_frame_keeps_the_columns_as_written(make_study):
    frame = load(make_study).roster
    assert frame.columns.tolist() == [
        "name", "silo", "role", "leader", "partners", "low_income", "lived_experience",
        "consent", "status", "LEVEL", "county"]
    assert frame.loc["m2", "status"] == "core  PARTNER|ally"
    assert frame["LEVEL"].tolist() == ["1", "2", "3", "", "2.5"]
    assert frame.attrs[NOT_KNOWN] == {"partners": "00000", "low_income": "00010",
                                      "lived_experience": "00100"}
    assert focus_flags(frame, "low_income").tolist() == [True, True, False, pd.NA, False]


def test_a_typo_in_a_value_list_is_one_warning_for_the_column(make_study):
    study = load(make_study)
    (problem,) = study.quality.problems
    assert (problem.severity, problem.code, problem.file, problem.column, problem.row) == (
        "warning", "unlisted-values", "roster.csv", "status", None)
    assert problem.message == (
        "2 values are in no values list of [focus_groups.partners]: 'ally' (rows 3, 5), "
        "'parnter' (rows 4, 6); members with only these are not in Partners")
    assert problem.expected == ("one of 'partner', 'core partner' (any case; several "
                                "joined by | or ;)")
    assert problem.fix.startswith("did you mean 'partner' for 'parnter'? Correct the "
                                  "roster")
    assert "'ally'?" not in problem.fix


def test_values_listed_by_another_group_on_the_same_column_are_not_unlisted(make_study):
    toml = RULES_TOML.replace(
        'lived_experience = {', 'allies = { column = "status", values = ["ally"] }\n'
        'lived_experience = {')
    study = load(make_study, toml=toml)
    assert flags(study, "allies") == [False, True, False, True, False]
    (problem,) = study.quality.problems
    assert "'parnter' (rows 4, 6)" in problem.message and "'ally'" not in problem.message
    assert "[focus_groups.partners], [focus_groups.allies]" in problem.message


def test_numeric_values_compare_as_numbers(make_study):
    toml = RULES_TOML.replace('values = ["partner", "core partner"]', "values = [1, 3]")
    roster = ROSTER.replace("Partner,1", "01,1").replace("core  PARTNER|ally", "2|3.0")
    study = load(make_study, roster, toml)
    assert flags(study, "partners") == [True, True, False, False, False]
    assert [p.message.split(": ", 1)[1] for p in study.quality.problems] == [
        "'2' (row 3), 'parnter' (rows 4, 6), 'ally' (row 5); members with only these are "
        "not in Partners"]


@pytest.mark.parametrize(("bounds", "expected"), [
    ("at_least = 2", [False, True, True, False, True]),
    ("at_least = 2, at_most = 2.5", [False, True, False, False, True]),
    ("at_most = 1", [True, False, False, False, False]),
])
def test_thresholds(make_study, bounds, expected):
    toml = RULES_TOML.replace("at_most = 2,", bounds + ",")
    assert flags(load(make_study, toml=toml), "low_income") == expected


def test_text_in_a_numeric_column_is_a_located_error(make_study):
    roster = ROSTER.replace(",3,,Kent", ",n/a,,Kent")
    study = load(make_study, roster)
    (error,) = study.quality.errors
    assert (error.code, error.file, error.row, error.column, error.value) == (
        "not-a-number", "roster.csv", 4, "LEVEL", "n/a")
    assert str(error) == (
        "roster.csv, row 4, column 'LEVEL': low income: this column is read as numbers "
        "(a number at most 2 puts a member in the group), and this cell holds none "
        "(value 'n/a'). Expected: a number such as 2 or 2.5, or blank when not known. "
        "Fix: write the number with a decimal point, or leave the cell blank when it is "
        "not known; for text categories use values = [...] in [focus_groups.low_income] "
        "instead of at_most/at_least")
    # the member stays in the roster, outside the group
    assert "m3" in study.roster.index and not study.roster.at["m3", "low_income"]


def test_yes_no_columns_as_before(make_study):
    roster = ROSTER.replace("2.5,no,", "2.5,maybe,")
    study = load(make_study, roster)
    (error,) = study.quality.errors
    assert (error.code, error.row, error.column, error.value) == (
        "not-yes-no", 6, "lived", "maybe")
    assert error.message == "lived experience must be yes or no"
    assert error.expected == "yes/no, true/false, 1/0, x or blank"
    assert flags(study, "lived_experience") == [True, False, False, True, False]


def test_a_silo_cell_with_two_silos_is_a_located_error(make_study):
    roster = ROSTER + "m6,Fa Po,Parents|Providers,,,,,\nm7,Gi Qu,1;2,,,,,\n"
    study = load(make_study, roster)
    (error,) = study.quality.errors
    assert (error.code, error.row, error.column, error.value) == (
        "several-silos", 7, "sector", "Parents|Providers")
    assert error.message == "one silo per member; pick the main one"
    assert error.fix.startswith("keep the member's main silo in this cell")
    assert "m6" not in study.roster.index
    # a ";" may belong to a silo's name: a warning, and the member stays
    semicolon = next(p for p in study.quality.warnings if p.code == "several-silos")
    assert (semicolon.row, semicolon.value) == (8, "1;2")
    assert study.roster.at["m7", "silo"] == "1;2"


def test_numeric_silo_codes_are_silos(make_study):
    roster = ROSTER.replace(",Parents,", ",1,").replace(",Providers,", ",3,").replace(
        ",Funders,", ",3,")
    study = load(make_study, roster)
    assert study.roster["silo"].tolist() == ["1", "3", "3", "1", "3"]
    assert quality_summary(study).silos == {"1": 2, "3": 3}


# --- leadership -----------------------------------------------------------------------------

LEADERSHIP_FORMS = {
    "role and leadership_roles": 'role = "role"\n'
                                 'leadership_roles = ["co-chair", "STEERING committee"]',
    "values": 'leadership = { column = "role", values = ["Co-chair", '
              '"Steering committee"] }',
    "yes/no column": 'leadership = "lived"',
    "threshold": 'leadership = { column = "LEVEL", at_least = 2.5 }',
}


@pytest.mark.parametrize(("form", "expected"), [
    ("role and leadership_roles", [True, False, True, False, False]),
    ("values", [True, False, True, False, False]),
    ("yes/no column", [True, False, False, True, False]),
    ("threshold", [False, False, True, False, True]),
])
def test_leadership_forms(make_study, form, expected):
    toml = RULES_TOML.replace(
        'leadership = { column = "role", values = ["Co-chair", "Steering committee"] }',
        LEADERSHIP_FORMS[form])
    study = load(make_study, toml=toml)
    assert flags(study, "leader") == expected
    assert ("role" in study.roster) == (form in ("role and leadership_roles", "values"))


def test_leadership_cell_that_fits_no_rule(make_study):
    toml = RULES_TOML.replace(
        'leadership = { column = "role", values = ["Co-chair", "Steering committee"] }',
        'leadership = { column = "LEVEL", at_least = 3 }')
    study = load(make_study, ROSTER.replace(",3,,Kent", ",three,,Kent"), toml)
    # LEVEL is read twice: by leadership and by the low_income group
    error, _ = study.quality.errors
    assert (error.code, error.row, error.column) == ("not-a-number", 4, "LEVEL")
    assert error.message.startswith("leadership: this column is read as numbers "
                                    "(a number at least 3 puts")
    assert "in [roster] leadership instead" in error.fix


# --- configuration --------------------------------------------------------------------------

@pytest.mark.parametrize(("roster_keys", "focus", "message"), [
    ("", 'p = { column = "status", values = ["a"], at_most = 2 }',
     "[focus_groups.p]: give values or at_most/at_least, not both"),
    ("", 'p = { column = "LEVEL", at_least = 3, at_most = 2 }',
     "[focus_groups.p]: at_least 3 is above at_most 2, so no member could be in the group"),
    ("", 'p = { column = "status", values = [] }',
     "[focus_groups.p] values is empty: list the values that put a member in the group, "
     "or leave values out for a yes/no column"),
    ("", 'p = { column = "status", values = ["a", ""] }',
     "[focus_groups.p] values must not include a blank: a blank cell means not known, "
     "and counts as not in the group"),
    ("", 'p = { column = "status", values = [true] }',
     '[focus_groups.p] values must be texts in quotes (or whole numbers), e.g. '
     '["partner", "core partner"]'),
    ("", 'p = { column = "status", valeus = ["a"] }',
     "unknown key 'valeus' in [focus_groups.p]; did you mean 'values'?"),
    ('leadership_roles = ["Chair"]', "",
     '[roster] leadership_roles needs role = the column that holds the roles (or write '
     'leadership = { column = "…", values = […] })'),
    ('role = "role"\nleadership_roles = ["Chair"]\nleadership = { values = ["Chair"] }', "",
     "[roster]: give leadership or leadership_roles, not both"),
    ('leadership = { values = ["Chair"] }', "",
     "[roster] leadership needs column = the roster column it reads"),
    ('leadership = { column = "role", label = "Chairs" }', "",
     "unknown key 'label' in [roster] leadership; allowed keys: column, values, at_most, "
     "at_least"),
])
def test_configuration_mistakes(make_study, roster_keys, focus, message):
    toml = (f'[roster]\nfile = "roster.csv"\nsilo = "sector"\n{roster_keys}\n'
            f"[focus_groups]\n{focus}\n" + REST)
    root = make_study(toml, {"roster.csv": ROSTER, "w1.csv": SURVEY})
    with pytest.raises(ConfigError) as caught:
        read_config(root)
    assert message in [p.message for p in caught.value.problems]


def test_leadership_without_a_role_column_defaults_role_to_its_column(make_study):
    root = make_study(RULES_TOML, {"roster.csv": ROSTER, "w1.csv": SURVEY})
    roster = read_config(root).roster
    assert roster.leadership == FocusGroup("leader", "role", "Leadership",
                                           ("Co-chair", "Steering committee"))
    assert roster.role == "role"


def test_read_cell():
    group = FocusGroup("p", "status", "P", values=("partner",))
    assert read_cell(group, "x ; PARTNER").member
    assert read_cell(group, "partners").member is False
    assert read_cell(FocusGroup("g", "g", "G"), "").blank


# --- cpower validate ------------------------------------------------------------------------

def problem_lines(result) -> list[str]:
    return [line.strip() for line in result.stdout.splitlines()
            if line.startswith(("  error", "  warning"))]


def test_validate_shows_the_typo_warning_and_exits_0(make_study, run_cli):
    root = make_study(RULES_TOML, {"roster.csv": ROSTER, "w1.csv": SURVEY})
    result = run_cli("validate", root)
    assert result.exit_code == 0, result.output
    assert "Focus groups: Partners 2, Low income 2, Lived experience 2" in result.stdout
    (line,) = problem_lines(result)
    assert line.startswith("warning roster.csv, column 'status': 2 values are in no "
                           "values list of [focus_groups.partners]: 'ally' (rows 3, 5)")


def test_validate_locates_a_cell_that_fits_no_rule_and_exits_1(make_study, run_cli):
    roster = ROSTER.replace(",3,,Kent", ",n/a,,Kent").replace("2.5,no,", "2.5,maybe,")
    roster += "m6,Fa Po,Parents|Providers,,,,,\n"
    root = make_study(RULES_TOML, {"roster.csv": roster, "w1.csv": SURVEY})
    result = run_cli("validate", root)
    assert result.exit_code == 1, result.output
    lines = problem_lines(result)
    assert [line.split(":")[0] for line in lines] == [
        "error   roster.csv, row 4, column 'LEVEL'",
        "error   roster.csv, row 6, column 'lived'",
        "error   roster.csv, row 7, column 'sector'",
        "warning roster.csv, column 'status'"]
    assert "(value 'n/a')" in lines[0] and "Fix: write the number" in lines[0]
    assert "one silo per member; pick the main one (value 'Parents|Providers')" in lines[2]


def test_validate_exits_2_on_a_rule_mistake_in_cpower_toml(make_study, run_cli):
    toml = RULES_TOML.replace("at_most = 2,", 'at_most = 2, values = ["1"],')
    root = make_study(toml, {"roster.csv": ROSTER, "w1.csv": SURVEY})
    result = run_cli("validate", root)
    assert result.exit_code == 2
    assert "[focus_groups.low_income]: give values or at_most/at_least, not both" in \
        result.stderr
