"""No silent misreads, one kind at a time, each on its own small fixture:
numeric codes on labelled scales, one member in two columns, non-member choices and
write-ins, members a grid never asked about, and an API as loud as the command line."""

from __future__ import annotations

import tomllib

import pytest

import cpower_network as cp
from cpower_network.config.scales import Scale

ROSTER = ("member_id,name,sector\nm01,Ana Ruiz,Parents\nm02,Kim Tran,Providers\n"
          "m03,José Núñez,Parents\nm04,Dana Wells,Funders\nm05,Omar Haddad,Providers\n")
FREQUENCY = '{ "Never" = 0, "A few times a year" = 1, "Monthly" = 2, "Weekly" = 3 }'


def toml(*questions: str, file: str = "s.csv", respondent: str = "who",
         scales: str = f"frequency = {FREQUENCY}", extra: str = "",
         platform: str = "auto") -> str:
    body = "".join(f"\n[[waves.w1.surveys.questions]]\n{q.strip()}\n" for q in questions)
    return (f'[study]\nname = "misreads"\n{extra}\n[roster]\nfile = "roster.csv"\n'
            f'silo = "sector"\n[scales]\n{scales}\n'
            '[relations.collaborate]\nscale = "frequency"\n[relations.influence]\n'
            f'[relations.advice]\n[waves.w1]\n[[waves.w1.surveys]]\nfile = "{file}"\n'
            f'respondent = "{respondent}"\nplatform = "{platform}"\n{body}')


@pytest.fixture
def study_of(make_study):
    def load(config: str, survey: str, *, roster: str = ROSTER, file: str = "s.csv"):
        return cp.load_study(make_study(config, {"roster.csv": roster, file: survey}))
    return load


def ties(study):
    frame = study.wave("w1").ties
    return sorted(zip(frame["respondent"], frame["alter"], frame["value"], strict=True))


def problems(study, code):
    return [p for p in study.quality.problems if p.code == code]


# --- 1. codes read as labels -------------------------------------------------------------

QUALTRICS_NUMERIC = (
    "StartDate,Status,ExternalReference,Q1_1,Q1_2,Q1_3,Q1_4,Q2\n"
    "Start Date,Response Type,External Data Reference,Work with - Ana Ruiz,"
    "Work with - Kim Tran,Work with - José Núñez,Work with - Dana Wells,Involved?\n"
    '"{""ImportId"":""startDate""}","{""ImportId"":""status""}",'
    '"{""ImportId"":""externalDataReference""}","{""ImportId"":""QID1_1""}",'
    '"{""ImportId"":""QID1_2""}","{""ImportId"":""QID1_3""}","{""ImportId"":""QID1_4""}",'
    '"{""ImportId"":""QID2""}"\n'
    "2024-05-01,0,m01,,1,4,2,1\n"
    "2024-05-01,0,m02,3,,1,1,2\n"
    "2024-05-01,0,m03,4,2,,1,2\n")
GRID = 'shape = "matrix"\nrelation = "collaborate"\ncolumns = "Work with - {member}"'
DECISION = 'shape = "decision"\ndecision = "budget"\ninvolved = "Q2"\ncolumns = "Q9_{member}"'


def test_numeric_values_export_is_reported_not_read_one_step_too_high(study_of):
    study = study_of(toml(GRID, respondent="ExternalReference"), QUALTRICS_NUMERIC)
    assert ties(study) == []
    (problem,) = problems(study, "numeric-codes")
    assert (problem.severity, problem.file, problem.row, problem.column) == (
        "error", "s.csv", 4, "Q1_2")
    assert problem.value == "1, 2, 3, 4"
    assert "9 answers are bare numbers (codes seen: 1, 2, 3, 4)" in problem.message
    assert ("as the export's choice codes they mean 1 = 'Never', 2 = 'A few times a year', "
            "3 = 'Monthly', 4 = 'Weekly' if the survey listed its choices in the scale's "
            "order, but 1 = 'Weekly', 2 = 'Monthly', 3 = 'A few times a year', 4 = 'Never' "
            "if it listed them the other way round: only the survey's own choice order can "
            "tell") in problem.message
    assert set(study.quality.set_aside["reason"]) >= {"numeric code on a labelled scale"}
    assert len(problem.cells) == 9 and problem.cells[0] == "row 4, column 'Q1_2': '1'"


def test_verbose_lists_every_cell_of_a_grouped_problem(make_study, run_cli):
    root = make_study(toml(GRID, respondent="ExternalReference"),
                      {"roster.csv": ROSTER, "s.csv": QUALTRICS_NUMERIC})
    short = run_cli("validate", root).stdout
    assert "and 4 more (cpower validate --verbose lists every one)" in short
    verbose = run_cli("validate", root, "--verbose").stdout.splitlines()
    assert sum(line.startswith("          at row ") for line in verbose) == 9


def test_the_suggested_codes_line_is_valid_toml_and_reads_the_export(study_of):
    """Both orders are offered, and the user is told to check which the survey used: a
    Yes/No question exported by Qualtrics is Yes = 1, No = 2, the reverse of the scale's
    order, and pasting the wrong line would read every answer backwards."""
    study = study_of(toml(GRID, respondent="ExternalReference"), QUALTRICS_NUMERIC)
    fix = problems(study, "numeric-codes")[0].fix
    assert "after checking the order the survey showed its choices in" in fix
    line, reverse = fix.split("in the scale's order, ")[1].split("; the other way round, ")
    assert tomllib.loads(reverse)["frequency"]["codes"] == {
        "1": "Weekly", "2": "Monthly", "3": "A few times a year", "4": "Never"}
    assert tomllib.loads(line)["frequency"]["codes"] == {
        "1": "Never", "2": "A few times a year", "3": "Monthly", "4": "Weekly"}
    fixed = study_of(toml(GRID, respondent="ExternalReference", scales=line),
                     QUALTRICS_NUMERIC)
    assert fixed.quality.ok
    # code 1 is Never (0), 4 is Weekly (3): one step lower than the bare numbers
    assert ties(fixed) == [("m01", "m02", 0.0), ("m01", "m03", 3.0), ("m01", "m04", 1.0),
                           ("m02", "m01", 2.0), ("m02", "m03", 0.0), ("m02", "m04", 0.0),
                           ("m03", "m01", 3.0), ("m03", "m02", 1.0), ("m03", "m04", 0.0)]


def test_yes_no_coded_one_two_is_reported_and_declared_codes_read_it(study_of):
    survey = "who,Q2,Q9_m04\nm01,1,1\nm02,2,\nm03,2,1\n"
    study = study_of(toml(DECISION), survey)
    (problem,) = problems(study, "numeric-codes")
    # the 1s are codes too: read as "yes" they would make everyone involved
    assert "3 answers are bare numbers (codes seen: 1, 2)" in problem.message
    assert 'yesno = { codes = { 1 = "yes", 2 = "no" } }' in problem.fix
    declared = study_of(toml(DECISION, scales=f'frequency = {FREQUENCY}\n'
                                              'yesno = { codes = { 1 = "yes", 2 = "no" } }'),
                        survey)
    assert declared.quality.ok
    assert declared.wave("w1").participation["involvement"].tolist() == [1.0, 0.0, 0.0]


def test_yes_no_as_one_zero_is_read(study_of):
    study = study_of(toml(DECISION), "who,Q2,Q9_m04\nm01,1,1\nm02,0,\n")
    assert study.quality.ok
    assert study.wave("w1").participation["involvement"].tolist() == [1.0, 0.0]


def test_kobo_choice_names_are_off_scale_with_a_hint_and_read_once_declared(study_of):
    grid = 'shape = "matrix"\nrelation = "collaborate"\ncolumns = "c/{member}"'
    survey = "who;c/m02;c/m03\nm01;a_few_times_a_year;weekly\n"
    study = study_of(toml(grid), survey)
    (problem,) = problems(study, "off-scale")
    assert problem.value == "a_few_times_a_year"
    assert "looks like the export's choice name for 'A few times a year'" in problem.fix
    coded = ('frequency = { labels = ' + FREQUENCY +
             ', codes = { a_few_times_a_year = "A few times a year" } }')
    fixed = study_of(toml(grid, scales=coded), survey)
    assert fixed.quality.ok
    assert ties(fixed) == [("m01", "m02", 1.0), ("m01", "m03", 3.0)]


def test_a_scale_numbered_one_to_n_reads_bare_numbers_either_way(study_of):
    agree = f'frequency = {FREQUENCY}\nagree = {{ "Disagree" = 1, "Neutral" = 2, "Agree" = 3 }}'
    items = 'shape = "perceptions"\nscale = "agree"\nitems = { fun = "fun" }'
    study = study_of(toml(items, scales=agree), "who,fun\nm01,3\nm02,Neutral\n")
    assert study.quality.ok
    assert study.wave("w1").perceptions["value"].tolist() == [3.0, 2.0]


def test_decimal_comma_is_reported(study_of):
    scale = f'frequency = {FREQUENCY}\nscore = {{ "1" = 1, "2.5" = 2.5, "4" = 4 }}'
    items = 'shape = "perceptions"\nscale = "score"\nitems = { fun = "fun" }'
    study = study_of(toml(items, scales=scale), 'who,fun\nm01,"2,5"\nm02,4\n')
    (problem,) = problems(study, "decimal-comma")
    assert (problem.row, problem.column, problem.value) == (2, "fun", "2,5")
    # one answer: the sentence is singular ("1 answers are" before)
    assert "1 answer is a number written with a decimal comma" in problem.message


def test_one_bare_number_is_counted_in_the_singular(study_of):
    study = study_of(toml(DECISION), "who,Q2,Q9_m04\nm01,yes,\nm02,2,\n")
    (problem,) = problems(study, "numeric-codes")
    assert "1 answer is a bare number (codes seen: 2)" in problem.message


@pytest.mark.parametrize("bad", [
    'frequency = { labels = { "Never" = 0 }, codes = { 1 = "Sometimes" } }',
    'frequency = { "Never" = 0, codes = { 1 = "Never" } }',
    'yesno = { "yes" = 1 }',
])
def test_bad_codes_are_configuration_errors(make_study, bad):
    root = make_study(toml(GRID, scales=bad), {"roster.csv": ROSTER, "s.csv": "who\n"})
    with pytest.raises(cp.ConfigError):
        cp.load_study(root)


def test_scale_reading_order():
    scale = Scale("f", {"Never": 0, "Weekly": 3}).with_codes({"1": "Never", "2": "Weekly"})
    assert [scale.read(c).status for c in ("weekly", "1", "2.0", "3", "Daily")] == [
        "label", "code", "code", "off-scale", "off-scale"]
    assert scale.value_of("2.0") == 3.0


# --- 2. one member, two columns; one pair, two answers -----------------------------------

RENAMED_GRID = ("who,c[Ana Ruiz],c[Kim Tran],c[Kimberly Tran]\n"
                "m01,,Never,Weekly\n"
                "m04,Monthly,Monthly,\n"
                "m03,Weekly,Monthly,Monthly\n")
ALIASED = 'shape = "matrix"\nrelation = "collaborate"\ncolumns = "c[{member}]"'
KIMBERLY = ROSTER.replace("Kim Tran", "Kimberly Tran")


def test_two_columns_for_one_member_are_reported_and_conflicts_are_errors(study_of):
    study = study_of(toml(ALIASED, extra='[aliases]\n"Kim Tran" = "m02"'), RENAMED_GRID,
                     roster=KIMBERLY)
    (columns,) = problems(study, "duplicate-member-column")
    assert "columns 'c[Kim Tran]' (column C) and 'c[Kimberly Tran]' (column D)" in \
        columns.message
    (conflict,) = problems(study, "conflicting-answers")
    assert (conflict.severity, conflict.row) == ("error", 2)
    assert ("'Never' in column 'c[Kim Tran]'; 'Weekly' in column 'c[Kimberly Tran]'"
            in conflict.message)
    # m01's answers about m02 are not averaged to 1.5: neither is used; equal answers
    # count once
    assert ties(study) == [("m03", "m01", 3.0), ("m03", "m02", 2.0), ("m04", "m01", 2.0),
                           ("m04", "m02", 2.0)]


@pytest.mark.parametrize(("rule", "value"), [("max", 3.0), ("mean", 1.5), ("first", 0.0)])
def test_a_conflict_rule_combines_and_says_so(study_of, rule, value):
    config = toml(ALIASED, extra='[aliases]\n"Kim Tran" = "m02"')
    study = study_of(config + f'[analysis]\nconflicts = "{rule}"\n', RENAMED_GRID,
                     roster=KIMBERLY)
    assert study.quality.ok
    assert ("m01", "m02", value) in ties(study)
    (conflict,) = problems(study, "conflicting-answers")
    assert conflict.severity == "warning"
    assert f"combined by [analysis] conflicts = '{rule}'" in conflict.message
    assert f"combined with another answer (conflicts = {rule})" in set(
        study.quality.set_aside["reason"])


def test_long_file_rows_about_one_pair_conflict(study_of):
    long = 'shape = "long"\nrelation = "collaborate"\nalter = "alter"\nvalue = "value"'
    study = study_of(toml(long), "who,alter,value\nm01,m02,Weekly\nm01,Kim Tran,Never\n"
                                 "m01,m03,Monthly\nm01,m03,monthly\n")
    (conflict,) = problems(study, "conflicting-answers")
    assert "'Weekly' in row 2, column 'value'; 'Never' in row 3" in conflict.message
    assert ties(study) == [("m01", "m03", 2.0)]


# --- 4. answers that are not members -----------------------------------------------------

QUALTRICS_OTHER = (
    "Status,ExternalReference,Q3,Q3_6_TEXT\n"
    "Response Type,External Data Reference,Whose opinion carries weight? - Selected Choice,"
    "Whose opinion carries weight? - Someone else (please specify) - Text\n"
    '"{""ImportId"":""status""}","{""ImportId"":""externalDataReference""}",'
    '"{""ImportId"":""QID3""}","{""ImportId"":""QID3_6_TEXT""}"\n'
    '0,m01,"Kim Tran,Someone else (please specify)",dana wells\n'
    "0,m02,No one in particular,\n"
    '0,m03,"Ana Ruiz,Someone else (please specify)",Lena Park (county office)\n'
    '0,m04,"Ana Ruiz,Kim Tran",\n')
OTHER_QUESTIONS = ('shape = "multi_select"\nrelation = "influence"\ncolumn = "Q3"',
                   'shape = "name_generator"\nrelation = "influence"\n'
                   'columns = ["Q3_6_TEXT"]')


def test_someone_else_and_no_one_are_set_aside_not_errors(study_of):
    study = study_of(toml(*OTHER_QUESTIONS, respondent="ExternalReference"), QUALTRICS_OTHER)
    assert study.quality.ok
    assert ties(study) == [("m01", "m02", 1.0), ("m01", "m04", 1.0), ("m03", "m01", 1.0),
                           ("m04", "m01", 1.0), ("m04", "m02", 1.0)]
    reasons = study.quality.reasons()
    assert reasons["non-member choice"] == 3
    assert reasons["write-in, not on the roster"] == 1
    (write_in,) = problems(study, "write-in")
    assert (write_in.severity, write_in.row, write_in.column, write_in.value) == (
        "warning", 6, "Q3_6_TEXT", "Lena Park (county office)")


def test_a_study_names_its_own_non_member_wording(study_of):
    names = 'shape = "name_generator"\nrelation = "advice"\ncolumns = ["a1", "a2"]'
    survey = "who,a1,a2\nm01,Kim Tran,Not in the coalition\nm02,Staff member,Ana Ruiz\n"
    plain = study_of(toml(names), survey)
    assert [p.value for p in problems(plain, "unknown-name")] == [
        "Not in the coalition", "Staff member"]
    study_wide = study_of(toml(names, extra='non_members = ["Not in the coalition"]'),
                          survey)
    assert [p.value for p in problems(study_wide, "unknown-name")] == ["Staff member"]
    per_question = study_of(toml(names + '\nnon_members = ["staff member"]',
                                 extra='non_members = ["Not in the coalition"]'), survey)
    assert per_question.quality.ok
    assert ties(per_question) == [("m01", "m02", 1.0), ("m02", "m01", 1.0)]


def test_a_non_member_choice_column_is_not_an_unknown_member(study_of):
    choices = 'shape = "multi_select"\nrelation = "influence"\ncolumns = "w[{member}]"'
    survey = "who,w[Ana Ruiz],w[Kim Tran],w[Other (please specify)]\n" \
             "m03,Ana Ruiz,,Other (please specify)\nm04,,1,\n"
    study = study_of(toml(choices), survey)
    assert [p.code for p in study.quality.errors] == []
    assert ties(study) == [("m03", "m01", 1.0), ("m04", "m02", 1.0)]
    assert study.quality.reasons()["non-member choice"] == 1


def test_a_member_named_twice_in_one_cell_is_one_tie_and_the_repeat_is_set_aside(study_of):
    multi = 'shape = "multi_select"\nrelation = "influence"\ncolumn = "w"\nseparator = ", "'
    study = study_of(toml(multi), 'who,w\nm03,"Ana Ruiz, Kim Tran, Ana Ruiz"\n')
    assert ties(study) == [("m03", "m01", 1.0), ("m03", "m02", 1.0)]
    assert study.quality.reasons()["member named twice in one cell"] == 1


def test_a_member_named_like_a_non_member_phrase_is_still_that_member(study_of):
    roster = ROSTER + "m06,Other,Funders\n"
    names = 'shape = "name_generator"\nrelation = "advice"\ncolumns = ["a1"]'
    study = study_of(toml(names), "who,a1\nm01,Other\n", roster=roster)
    assert ties(study) == [("m01", "m06", 1.0)]


# --- 5. not asked is not "no tie" --------------------------------------------------------

def test_a_member_without_a_grid_column_is_reported_as_not_asked(study_of):
    grid = 'shape = "matrix"\nrelation = "collaborate"\ncolumns = "c_{member}"'
    survey = "who,c_m01,c_m02,c_m03,c_m04\nm01,,Weekly,Never,Monthly\nm02,Weekly,,,\n"
    study = study_of(toml(grid), survey)
    (problem,) = problems(study, "not-asked")
    assert problem.severity == "warning"
    assert "1 member of wave 'w1' has no column, so nobody was asked about them: " \
           "'Omar Haddad' (m05)" in problem.message
    assert (problem.file, problem.column, problem.value) == ("s.csv", "c_{member}", "m05")
    assert study.wave("w1").not_asked == {"collaborate": ["m05"]}


def test_a_free_recall_question_asks_about_everyone(study_of):
    grid = 'shape = "matrix"\nrelation = "advice"\ncolumns = "c_{member}"'
    names = 'shape = "name_generator"\nrelation = "advice"\ncolumns = ["n1"]'
    study = study_of(toml(grid, names), "who,c_m02,n1\nm01,1,Omar Haddad\n")
    assert study.wave("w1").not_asked == {}
    assert ("m01", "m05", 1.0) in ties(study)


# --- 7. the API is as loud as the CLI ----------------------------------------------------

def test_analyze_refuses_a_study_with_errors_unless_allowed(study_of):
    grid = 'shape = "matrix"\nrelation = "collaborate"\ncolumns = "c_{member}"'
    survey = ("who,c_m01,c_m02,c_m03,c_m04,c_m05\nm01,,Weekly,Never,Monthly,2\n"
              "m02,Weekly,,Daily,,\nm03,Monthly,Never,,,\n")
    study = study_of(toml(grid), survey)
    with pytest.raises(cp.DataError) as caught:
        cp.analyze(study)
    message = caught.value.message
    assert "2 errors in the data (numeric-codes 1, off-scale 1)" in message
    assert "2 answer cells would be left out of the measures" in message
    assert "allow_problems=True" in message
    results = cp.analyze(study, allow_problems=True)
    wave = next(w for w in results.quality.waves if w.wave == "w1")
    assert wave.set_aside["numeric code on a labelled scale"] == 1
    assert wave.set_aside["off the scale"] == 1
    from cpower_network.weave import study_worklist

    with pytest.raises(cp.DataError):
        study_worklist(study)
    assert study_worklist(study, allow_problems=True).wave == "w1"


# --- grouping: the same problem in many cells is one line --------------------------------

def test_repeated_problems_are_grouped_and_verbose_lists_each(make_study, run_cli):
    grid = 'shape = "matrix"\nrelation = "collaborate"\ncolumns = "c_{member}"'
    rows = "".join(f"m0{i},Daily,Daily,Daily,Daily,Daily\n" for i in range(1, 6))
    root = make_study(toml(grid), {"roster.csv": ROSTER,
                                   "s.csv": "who,c_m01,c_m02,c_m03,c_m04,c_m05\n" + rows})
    result = run_cli("validate", root)
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith("  error")]
    assert len(lines) == 1
    assert "(25 times: row 2, column 'c_m01': 'Daily'; row 2, column 'c_m02': 'Daily'" \
        in lines[0]
    assert "and 22 more; cpower validate --verbose lists every one" in lines[0]
    verbose = run_cli("validate", root, "--verbose")
    assert sum(line.startswith("  error") for line in verbose.stdout.splitlines()) == 25


# --- 6. what depends on an export setting: ids that lost their leading zeros ------------

def test_ids_that_lost_their_leading_zeros_are_matched_with_a_note(study_of):
    roster = "member_id,name,sector\n007,Ana Ruiz,A\n012,Kim Tran,B\n"
    names = 'shape = "name_generator"\nrelation = "advice"\ncolumns = ["a1"]'
    study = study_of(toml(names), "who,a1\n7,12\n12,007\n", roster=roster)
    assert ties(study) == [("007", "012", 1.0), ("012", "007", 1.0)]
    notes = problems(study, "leading-zeros")
    assert [(p.severity, p.file, p.value, p.expected) for p in notes] == [
        ("warning", "s.csv", "7", "007"), ("warning", "s.csv", "12", "012")]


def test_other_please_specify_never_swallows_a_name_after_it(study_of):
    multi = 'shape = "multi_select"\nrelation = "influence"\ncolumn = "w"\nseparator = ", "'
    survey = 'who,w\nm02,"Ana Ruiz, Other, please specify, Dana Wells"\n' \
             'm03,"Other, please specify, Dana Wells"\n'
    study = study_of(toml(multi), survey)
    assert study.quality.ok
    assert ties(study) == [("m02", "m01", 1.0), ("m02", "m04", 1.0), ("m03", "m04", 1.0)]


def test_google_forms_other_text_in_a_multi_select_is_a_write_in(study_of):
    multi = ('shape = "multi_select"\nrelation = "influence"\ncolumn = "w"\n'
             'separator = ", "\nwrite_in = true')
    study = study_of(toml(multi), 'who,w\nm02,"Ana Ruiz, Lena Park"\n')
    assert study.quality.ok
    assert ties(study) == [("m02", "m01", 1.0)]
    (note,) = problems(study, "write-in")
    assert (note.row, note.column, note.value) == (2, "w", "Lena Park")


def test_unknown_text_with_no_close_name_suggests_non_members(study_of):
    names = 'shape = "name_generator"\nrelation = "advice"\ncolumns = ["a1"]'
    study = study_of(toml(names), "who,a1\nm01,Various people\n")
    (problem,) = problems(study, "unknown-name")
    assert 'list it as non_members = ["Various people"] under [study]' in problem.fix
    fixed = study_of(toml(names, extra='non_members = ["Various people"]'),
                     "who,a1\nm01,Various people\n")
    assert fixed.quality.ok


def test_a_decision_member_pattern_does_not_claim_its_involved_column(study_of):
    decision = ('shape = "decision"\ndecision = "d1"\ninvolved = "d1_involved"\n'
                'columns = "d1_{member}"')
    study = study_of(toml(decision), "who,d1_involved,d1_m02,d1_m03\nm01,yes,1,\n")
    assert [p.code for p in study.quality.problems if p.severity == "error"] == []
    decisions = study.wave("w1").decisions
    assert decisions["named"].tolist() == ["m02"]


def test_kobo_choice_name_fix_is_valid_toml_when_typed(study_of):
    grid = 'shape = "matrix"\nrelation = "collaborate"\ncolumns = "c/{member}"'
    survey = "who;c/m02\nm01;a_few_times_a_year\n"
    (problem,) = problems(study_of(toml(grid), survey), "off-scale")
    line = problem.fix.split("(replacing the line that defines frequency): ")[1]
    assert tomllib.loads(line)["frequency"]["codes"] == {
        "a_few_times_a_year": "A few times a year"}
    assert ties(study_of(toml(grid, scales=line), survey)) == [("m01", "m02", 1.0)]


def test_each_file_is_told_of_lost_zeros(make_study):
    roster = "member_id,name,sector\n007,Ana Ruiz,A\n012,Kim Tran,B\n"
    config = toml('shape = "name_generator"\nrelation = "advice"\ncolumns = ["a1"]')
    config += ('[[waves.w1.surveys]]\nfile = "t.csv"\nrespondent = "who"\n'
               '[[waves.w1.surveys.questions]]\nshape = "name_generator"\n'
               'relation = "advice"\ncolumns = ["a1"]\n')
    study = cp.load_study(make_study(config, {"roster.csv": roster, "s.csv": "who,a1\n7,12\n",
                                              "t.csv": "who,a1\n12,7\n"}))
    notes = sorted((p.file, p.value) for p in problems(study, "leading-zeros"))
    assert notes == [("s.csv", "12"), ("s.csv", "7"), ("t.csv", "12"), ("t.csv", "7")]


def test_compare_with_allowed_problems_analyses_every_wave(make_study):
    grid = 'shape = "matrix"\nrelation = "collaborate"\ncolumns = "c_{member}"'
    one = toml(grid)
    two = one + ('[waves.w2]\n[[waves.w2.surveys]]\nfile = "t.csv"\nrespondent = "who"\n'
                 f'[[waves.w2.surveys.questions]]\n{grid}\n')
    survey = "who,c_m01,c_m02,c_m03\nm01,,Weekly,Daily\nm02,Monthly,,Never\n"
    study = cp.load_study(make_study(two, {"roster.csv": ROSTER, "s.csv": survey,
                                           "t.csv": survey}))
    with pytest.raises(cp.DataError):
        cp.compare(study)
    found = cp.compare(study, allow_problems=True, permutations=1000)
    assert [key for key, _ in found.waves] == ["w1", "w2"]
