"""Hostile and broken configuration: every number in cpower.toml is checked for type,
range and finiteness, every name it refers to must exist, every table's keys are
checked, and nothing ends in a traceback (issue 14).

Each mistake is reported by ``read_config`` as a :class:`ConfigError` naming the key
(its table path), what was expected and a fix; on the command line that is ``Error: …``
and exit code 2.
"""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpower_network.config.settings import MAX_PERMUTATIONS
from cpower_network.config.study import parse_config, read_config
from cpower_network.errors import ConfigError

BASE = """
[study]
name = "Hostile"
seed = 7
[roster]
file = "roster.csv"
silo = "sector"
[focus_groups]
lived = "lived"
low = { column = "level", at_most = 2 }
[scales]
frequency = { "Never" = 0, "Monthly" = 1, "Weekly" = 3 }
agree = { "Disagree" = -2, "Neutral" = 0, "Agree" = 2 }
[relations.collaborate]
scale = "frequency"
symmetric = true
strong = 2
[relations.advice]
[waves.w1]
[[waves.w1.surveys]]
file = "w1.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "collaborate"
columns = "c_{member}"
[[waves.w1.surveys.questions]]
shape = "multi_select"
relation = "advice"
column = "advice"
[[waves.w1.surveys.questions]]
shape = "perceptions"
scale = "agree"
items = { take_part = "q1" }
"""
ROSTER = "member_id,name,sector,lived,level\nm1,Ann,A,yes,1\nm2,Bob,B,no,3\nm3,Cat,A,yes,2\n"
SURVEY = ("who,c_m1,c_m2,c_m3,advice,q1\n"
          "m1,,Weekly,Never,Bob,Agree\n"
          "m2,Weekly,,Monthly,Ann,Neutral\n"
          "m3,Never,Monthly,,Ann;Bob,Disagree\n")
FILES = {"roster.csv": ROSTER, "w1.csv": SURVEY}
#: A second wave, for ``cpower compare``.
SECOND_WAVE = """
[waves.w2]
[[waves.w2.surveys]]
file = "w1.csv"
respondent = "who"
[[waves.w2.surveys.questions]]
shape = "matrix"
relation = "collaborate"
columns = "c_{member}"
"""


def problems(make_study, toml: str) -> list[str]:
    """The messages of the ConfigError that reading ``toml`` raises."""
    with pytest.raises(ConfigError) as caught:
        read_config(make_study(toml, FILES))
    return [p.message for p in caught.value.problems]


def one_problem(make_study, toml: str) -> str:
    found = problems(make_study, toml)
    assert len(found) == 1, found
    return found[0]


def test_the_base_study_is_valid(make_study):
    config = read_config(make_study(BASE, FILES))
    assert config.seed == 7 and config.relations["collaborate"].strong == 2.0
    # negative numbers are fine on a scale no relation uses (a Likert scale)
    assert config.scales["agree"].values == (-2.0, 0.0, 2.0)


# --- 1. seed ----------------------------------------------------------------------------

def test_a_negative_seed_in_the_toml_is_refused_with_its_key(make_study):
    message = one_problem(make_study, BASE.replace("seed = 7", "seed = -1"))
    assert message == "[study] seed must be a whole number, 0 or more, got -1; fix: seed = 0"


def test_seed_zero_and_a_huge_seed_are_accepted(make_study):
    assert read_config(make_study(BASE.replace("seed = 7", "seed = 0"), FILES)).seed == 0
    huge = BASE.replace("seed = 7", "seed = 9223372036854775807")
    assert read_config(make_study(huge, FILES)).seed == 2**63 - 1


@pytest.mark.parametrize("command", ["analyze", "compare", "export"])
def test_a_negative_seed_option_is_a_usage_error(make_study, run_cli, command):
    root = make_study(BASE + SECOND_WAVE, FILES)
    extra = ["--format", "json"] if command == "export" else []
    result = run_cli(command, root, "--seed", "-1", *extra)
    assert result.exit_code == 2
    assert "Invalid value for '--seed': -1 is not in the range x>=0." in result.stderr
    assert "Traceback" not in result.output


def test_a_negative_seed_in_the_toml_stops_the_command_line(make_study, run_cli):
    result = run_cli("analyze", make_study(BASE.replace("seed = 7", "seed = -1"), FILES))
    assert result.exit_code == 2
    assert "[study] seed must be a whole number, 0 or more, got -1; fix: seed = 0" \
        in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


# --- 2. numbers: type, range, finiteness -------------------------------------------------

@pytest.mark.parametrize(("old", "new", "expected"), [
    ("strong = 2", "strong = inf",
     "[relations.collaborate] strong must be a number above 0 and at most 1,000,000, got "
     "inf; fix: strong = 1"),
    ("strong = 2", "strong = nan",
     "[relations.collaborate] strong must be a number above 0 and at most 1,000,000, got "
     "nan; fix: strong = 1"),
    ("strong = 2", "strong = -inf", "[relations.collaborate] strong must be a number above "
     "0 and at most 1,000,000, got -inf"),
    ("strong = 2", "strong = 0", "[relations.collaborate] strong must be a number above 0"),
    ("strong = 2", "strong = 1e308", "[relations.collaborate] strong must be a number above "
     "0 and at most 1,000,000, got 1e+308"),
    ("strong = 2", "strong = 4",
     "[relations.collaborate] strong = 4 is above the highest value of scale 'frequency' "
     "(3), so no tie could be strong. Fix: strong = 3"),
    ('"Weekly" = 3', '"Weekly" = nan',
     '[scales] frequency: "Weekly" = nan: each label\'s number must be a number from '
     "-1,000,000 to 1,000,000"),
    ('"Weekly" = 3', '"Weekly" = inf', '[scales] frequency: "Weekly" = inf: each label'),
    ('"Weekly" = 3', '"Weekly" = 1e308', '[scales] frequency: "Weekly" = 1e+308: each label'),
    ('"Never" = 0', '"Never" = -1',
     "[relations.collaborate] scale 'frequency' runs from -1 to 3, but a relation's answers "
     "are tie weights from 0 (no tie) up, so an answer below 0 would silently be no tie. "
     "Fix: number the labels of [scales] frequency from 0 up"),
    ('frequency = { "Never" = 0, "Monthly" = 1, "Weekly" = 3 }',
     'frequency = { "Never" = 0, "Monthly" = -1, "Weekly" = -3 }',
     "[relations.collaborate] scale 'frequency' runs from -3 to 0, but a relation's answers "
     "are tie weights from 0 (no tie) up, so no answer could make a tie"),
    ('frequency = { "Never" = 0, "Monthly" = 1, "Weekly" = 3 }',
     "frequency = { labels = {} }", "[scales] frequency labels has no labels"),
    ("at_most = 2", "at_most = nan",
     "[focus_groups.low] at_most must be a finite number, got nan; fix: at_most = 1"),
    ("at_most = 2", "at_most = inf", "[focus_groups.low] at_most must be a finite number"),
    ('file = "w1.csv"', 'file = "w1.csv"\nheader_rows = 1000000',
     "header_rows must be 1 or more (at most 100), got 1000000; fix: header_rows = 1"),
])
def test_non_finite_and_absurd_numbers_are_refused(make_study, old, new, expected):
    assert old in BASE
    message = one_problem(make_study, BASE.replace(old, new, 1))
    assert message.startswith(expected) or expected in message, message


@pytest.mark.parametrize(("setting", "expected"), [
    ("resolution = nan", "[analysis] resolution must be a number above 0 and at most "
     "1,000,000, got nan; fix: resolution = 1"),
    ("resolution = 0", "[analysis] resolution must be a number above 0"),
    ("resolution = -inf", "[analysis] resolution must be a number above 0"),
    ("response_rate_warning = nan",
     "[analysis] response_rate_warning is a share between 0 and 1, got nan; fix: "
     "response_rate_warning = 0.7"),
    ("small_group = 0", "[analysis] small_group must be a whole number from 1 to 1,000,000, "
     "got 0; fix: small_group = 5"),
    ("suppress_group = -3", "[analysis] suppress_group must be a whole number from 1 to "
     "1,000,000, got -3; fix: suppress_group = 3"),
    ("introductions = 1000", "[analysis] introductions must be a whole number from 0 to "
     "100, got 1000; fix: introductions = 3"),
    ("permutations = inf", "[analysis] permutations must be a whole number, got inf"),
])
def test_analysis_numbers_are_checked(make_study, setting, expected):
    assert one_problem(make_study, BASE + f"[analysis]\n{setting}\n").startswith(expected)


@pytest.mark.parametrize(("setting", "expected"), [
    ("density_target = inf", "[indicators] density_target must be a number from -1,000,000 "
     "to 1,000,000, got inf; fix: density_target = 0.2"),
    ("emerging_below = nan", "[indicators] emerging_below must be a number from -1,000,000 "
     "to 1,000,000, got nan; fix: emerging_below = 40"),
])
def test_indicator_numbers_are_checked_when_the_study_is_read(make_study, setting, expected):
    assert expected in problems(make_study, BASE + f"[indicators]\n{setting}\n")


@pytest.fixture(scope="module")
def study_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    for name, text in FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                    st.integers(min_value=-2**63, max_value=2**63 - 1))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strong=NUMBERS, weekly=NUMBERS, at_most=NUMBERS, resolution=NUMBERS)
def test_any_number_is_read_or_refused_never_a_crash(study_root, strong, weekly, at_most,
                                                     resolution):
    """Whatever numbers a cpower.toml holds, reading it either succeeds with finite
    numbers in range, or raises a ConfigError naming each bad key."""
    raw = tomllib.loads(BASE)
    raw["relations"]["collaborate"]["strong"] = strong
    raw["scales"]["frequency"]["Weekly"] = weekly
    raw["focus_groups"]["low"]["at_most"] = at_most
    raw["analysis"] = {"resolution": resolution}
    try:
        config = parse_config(raw, root=study_root, source=study_root / "cpower.toml")
    except ConfigError as error:
        text = str(error)
        bad_weekly = not (math.isfinite(weekly) and abs(weekly) <= 1_000_000)
        assert ("[scales] frequency: " in text) == bad_weekly
        assert ("[focus_groups.low] at_most" in text) == (not math.isfinite(at_most))
        assert ("[analysis] resolution" in text) == (
            not (math.isfinite(resolution) and 0 < resolution <= 1_000_000))
        return
    numbers = [config.relations["collaborate"].strong, *config.scales["frequency"].values,
               config.focus_groups[1].at_most, config.analysis.resolution]
    assert all(math.isfinite(n) for n in numbers)
    assert 0 < config.relations["collaborate"].strong <= max(config.scales["frequency"].values)
    assert min(config.scales["frequency"].values) >= 0


# --- 3. deeply nested TOML ---------------------------------------------------------------

@pytest.mark.parametrize("nesting", ["a = " + "[" * 100_000, "a = " + "{ b = " * 50_000])
def test_deeply_nested_toml_is_a_located_error(make_study, run_cli, nesting):
    root = make_study(BASE + nesting + "\n", FILES)
    with pytest.raises(ConfigError, match="nested too deeply") as caught:
        read_config(root)
    assert str(caught.value).startswith(str(root / "cpower.toml"))
    result = run_cli("validate", root)
    assert result.exit_code == 2
    assert re.search(r"^Error: .*cpower\.toml: not valid TOML: its lists or tables are "
                     "nested too deeply", result.stderr, re.M)
    assert "Traceback" not in result.output and "RecursionError" not in result.output


# --- 4. permutations ---------------------------------------------------------------------

@pytest.mark.parametrize(("value", "tail"), [
    ("1000000000000", "got 1000000000000 (a million draws already give a p-value to "
     "0.000001; more would run for hours). Fix: permutations = 1000000 at most"),
    ("1000001", "got 1000001 (a million draws"),
    ("500", "got 500 (a p-value from fewer draws is not printed). Fix: permutations = 1000"),
    ("-5", "got -5 (a p-value from fewer draws is not printed)"),
])
def test_permutations_have_a_maximum(make_study, value, tail):
    message = one_problem(make_study, BASE + f"[analysis]\npermutations = {value}\n")
    assert message.startswith("[analysis] permutations must be 0 (no tests) or at least "
                              "1000 and at most 1,000,000 draws, ")
    assert tail in message


def test_permutations_at_the_maximum_are_accepted(make_study):
    toml = BASE + f"[analysis]\npermutations = {MAX_PERMUTATIONS}\n"
    assert read_config(make_study(toml, FILES)).analysis.permutations == 1_000_000


@pytest.mark.parametrize(("value", "words"), [
    ("1000000000000", "got 1000000000000 (a million draws already give a p-value to "
     "0.000001; more would run for hours). Fix: --permutations 1000000 at most"),
    ("999", "got 999 (a p-value from fewer draws is not printed). Fix: --permutations 1000"),
])
def test_the_permutations_option_has_the_same_maximum(make_study, run_cli, value, words):
    result = run_cli("compare", make_study(BASE + SECOND_WAVE, FILES), "--permutations",
                     value)
    assert result.exit_code == 2
    assert ("Invalid value for '--permutations': must be 0 (no tests) or at least 1000 and "
            "at most 1,000,000 draws, ") in result.stderr
    assert words in " ".join(result.stderr.split())


# --- 5. every name the configuration refers to exists ------------------------------------

@pytest.mark.parametrize(("setting", "expected"), [
    ('collaboration_relation = "colaborate"',
     "[indicators] collaboration_relation = 'colaborate' is not a relation of this study "
     "(relations: collaborate, advice), so the evidence items that read it would not be "
     'measured. Fix: collaboration_relation = "collaborate" (the closest), or leave '
     "collaboration_relation out to use the relation whose role is collaboration"),
    ('advice_relation = "advise"', "[indicators] advice_relation = 'advise' is not a "
     "relation of this study"),
    ('lived_experience = "livd"',
     "[indicators] lived_experience = 'livd' is not a focus group of this study (focus "
     "groups: lived, low), so the evidence items that read it would not be measured. Fix: "
     'lived_experience = "lived" (the closest), or define the group under '
     "[focus_groups.livd]"),
    ('grassroots = "grassroots"', "[indicators] grassroots = 'grassroots' is not a focus "
     "group of this study"),
])
def test_a_misspelt_name_in_indicators_is_an_error(make_study, setting, expected):
    assert one_problem(make_study, BASE + f"[indicators]\n{setting}\n").startswith(expected)


def test_indicator_names_that_exist_are_accepted(make_study):
    toml = BASE + ('[indicators]\ncollaboration_relation = "advice"\n'
                   'lived_experience = "low"\n'
                   # at its default a relation setting means "by role": never an error
                   'trust_relation = "trust"\n')
    assert read_config(make_study(toml, FILES)).indicators["lived_experience"] == "low"


def test_a_misspelt_weight_is_found_when_the_study_is_read(make_study, run_cli):
    root = make_study(BASE + "[indicators.weights]\nmutual_trus = 2\n", FILES)
    result = run_cli("validate", root)
    assert result.exit_code == 2
    assert ("[indicators.weights] 'mutual_trus' is not an evidence item; did you mean "
            "'mutual_trust'?") in result.stderr


# --- 6. every table's keys are checked --------------------------------------------------

def test_a_key_in_report_is_an_error(make_study):
    assert one_problem(make_study, BASE + '[report]\ntitle = "x"\n') == (
        "unknown key 'title' in [report]: cpower reads no key there yet (the section is "
        "reserved for report options); remove it")


def test_an_empty_report_table_is_fine(make_study):
    assert read_config(make_study(BASE + "[report]\n", FILES)).report == {}


# --- 7. a question's value = 0 -----------------------------------------------------------

@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "2000000"])
def test_a_tie_weight_of_zero_or_less_is_refused_not_read_as_one(make_study, value):
    toml = BASE.replace('column = "advice"', f'column = "advice"\nvalue = {value}')
    message = one_problem(make_study, toml)
    assert message.startswith("[[waves.w1.surveys]] #1 (w1.csv) question #2 value must be "
                              "a number above 0 and at most 1,000,000 (the weight of the "
                              "tie to each member named; a weight of 0 is no tie")
    assert message.endswith("; fix: value = 1")


def test_a_positive_tie_weight_is_kept(make_study):
    toml = BASE.replace('column = "advice"', 'column = "advice"\nvalue = 2.5')
    config = read_config(make_study(toml, FILES))
    assert config.waves["w1"].surveys[0].questions[1].fixed_value == 2.5


# --- 8. compare --waves ------------------------------------------------------------------

@pytest.mark.parametrize(("given", "what"), [
    (",", "names no wave"), (" , ", "names no wave"), ("", "names no wave"),
    ("w1,,w2", "has a blank item"), ("w1, ", "has a blank item"),
])
def test_a_blank_wave_list_is_a_usage_error(make_study, run_cli, given, what):
    result = run_cli("compare", make_study(BASE + SECOND_WAVE, FILES), "--waves", given)
    assert result.exit_code == 2
    assert (f"Error: --waves {given!r} {what}; give wave keys joined by commas, in time "
            "order, e.g. --waves w1,w2 (this study's waves: w1, w2), or leave --waves out "
            "to compare every wave") in result.stderr
    assert "Report:" not in result.stdout
