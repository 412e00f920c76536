"""``cpower validate``, ``cpower init`` and ``cpower --help`` as a user meets them: every
mistake is a clear message and an exit code (0 clean, 1 data problems, 2 usage or
configuration), never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cpower_network.cli.commands import main

ROSTER = ("member_id,name,sector\nm01,Ana Ruiz,Parents\nm02,\"Robert Lee, Jr.\",Providers\n"
          "m03,Kim Tran,Funders\n")

TOML = """
[study]
name = "CLI study"
[roster]
file = "roster.csv"
silo = "sector"
[scales]
frequency = { "Never" = 0, "Monthly" = 2, "Weekly" = 3 }
[relations.collaborate]
scale = "frequency"
[relations.advice]
[waves.w1]
[[waves.w1.surveys]]
file = "collab.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "collaborate"
columns = "c_{member}"
[[waves.w1.surveys]]
file = "advice.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "name_generator"
relation = "advice"
columns = ["adv1", "adv2"]
"""

CLEAN = {
    "roster.csv": ROSTER,
    "collab.csv": "who,c_m01,c_m02,c_m03\nm01,,Weekly,Never\nm02,Monthly,,Weekly\n",
    "advice.csv": "who,adv1,adv2\nm01,Kim Tran,\nm03,robert lee,  jr.,\n".replace(
        "robert lee,  jr.", '"robert lee,  jr."'),
}


@pytest.fixture
def validate(make_study, run_cli):
    """``validate(toml=TOML, **files)``: run ``cpower validate`` on a study made of CLEAN
    with the given files replaced (``None`` removes a file)."""

    def run(toml: str = TOML, **files):
        merged = {**CLEAN, **{k.replace("_csv", ".csv"): v for k, v in files.items()}}
        root = make_study(toml, {k: v for k, v in merged.items() if v is not None})
        result = run_cli("validate", root)
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        return result

    return run


def problem_lines(result):
    return [line.strip() for line in result.stdout.splitlines()
            if line.startswith(("  error", "  warning"))]


# --- exit code 0 ----------------------------------------------------------------------------

def test_clean_study(validate):
    result = validate()
    assert result.exit_code == 0
    out = result.stdout
    assert "Study: CLI study" in out
    assert "Roster: 3 members in 3 silos (Funders 1, Parents 1, Providers 1)" in out
    assert "members 3, respondents 3 (response rate 100 %)" in out
    assert "answers read: collaborate 4 (3 non-zero), advice 2" in out
    assert out.rstrip().endswith("No problems found. The data can be analysed.")
    assert "… reading" in result.stderr


def test_self_nomination_is_a_warning(validate):
    result = validate(advice_csv="who,adv1,adv2\nm01,Kim Tran,Ana Ruiz\n")
    assert result.exit_code == 0
    assert problem_lines(result) == [
        "warning advice.csv, row 2, column 'adv2': respondent named themselves; the answer "
        "was set aside (value 'Ana Ruiz')"]
    assert "No errors; 1 warning (listed above). The data can be analysed." in result.stdout
    assert "set aside: blank 2, self-nomination 1" in result.stdout


def test_duplicate_response_keeps_the_last(validate):
    result = validate(advice_csv="who,adv1,adv2\nm01,Kim Tran,\nm01,m02,\n")
    assert result.exit_code == 0
    assert problem_lines(result) == [
        "warning advice.csv, row 2: m01 answered this survey more than once; kept row 3. "
        "Fix: remove the extra response, or set [analysis] duplicates to keep_first or "
        "keep_last"]
    assert "answers read: collaborate 4 (3 non-zero), advice 1" in result.stdout


def test_errors_only_hides_warnings(make_study, run_cli):
    root = make_study(TOML, {**CLEAN, "advice.csv": "who,adv1,adv2\nm01,m01,\n"})
    result = run_cli("validate", root, "--errors-only")
    assert result.exit_code == 0
    assert problem_lines(result) == []


# --- exit code 1: problems in the data ------------------------------------------------------

def test_off_scale_answer(validate):
    result = validate(collab_csv="who,c_m01,c_m02,c_m03\nm01,,Daily,Never\n")
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "error   collab.csv, row 2, column 'c_m02': collaborate: answer not on the "
        "'frequency' scale (value 'Daily'). Expected: 'Never'=0, 'Monthly'=2, 'Weekly'=3. "
        "Fix: correct the answer, or add the label to [scales] frequency in cpower.toml"]
    assert result.stdout.rstrip().endswith(
        "Found 1 error and 0 warnings: fix the errors above (each line says where and how), "
        "then run validate again.")


def test_unknown_name_with_its_closest(validate):
    result = validate(advice_csv="who,adv1,adv2\nm01,Kim Trann,\n")
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "error   advice.csv, row 2, column 'adv1': names 'Kim Trann', who is not on the "
        "roster. Fix: closest: 'Kim Tran' (m03); add the spelling under [aliases] in "
        "cpower.toml (\"Kim Trann\" = \"<member id>\"), or add the member to the roster"]
    assert "Names not on the roster:\n  'Kim Trann': closest: 'Kim Tran' (m03)" in result.stdout


def test_respondent_not_on_the_roster(validate):
    result = validate(advice_csv="who,adv1,adv2\nm09,Kim Tran,\n")
    assert result.exit_code == 1
    assert problem_lines(result)[0].startswith(
        "error   advice.csv, row 2, column 'who': the respondent is 'm09', who is not on the "
        "roster.")
    assert "set aside: blank 2, respondent not on the roster 1" in result.stdout


def test_member_id_used_twice(validate):
    result = validate(roster_csv=ROSTER + "m01,Ann Other,Funders\n")
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "error   roster.csv, row 5, column 'member_id': member id 'm01' is used twice (first "
        "on row 2). Fix: give each member their own id"]


def test_empty_survey_file(validate):
    result = validate(advice_csv="")
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "error   advice.csv: the file is empty: no header row and no answers. Fix: export "
        "the survey again, with its header row"]


def test_empty_roster_file(validate):
    result = validate(roster_csv="\r\n")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        "Error: roster.csv: the file is empty",
        "  - roster.csv: the file is empty: no header row and no answers. Fix: export the "
        "survey again, with its header row"]


def test_missing_survey_column(validate):
    result = validate(advice_csv="who,advice1,adv2\nm01,Kim Tran,\n")
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "error   advice.csv, column 'adv1': name_generator question (advice): no column "
        "'adv1'. Expected: one of the file's columns: 'who', 'advice1', 'adv2'. Fix: did you "
        "mean 'advice1'? correct the column name in cpower.toml"]


def test_missing_roster_column(validate):
    result = validate(roster_csv="member_id,name,sectr\nm01,Ana,P\n")
    assert result.exit_code == 1
    assert "Error: roster.csv: the roster cannot be read" in result.stderr
    assert ("roster silo column: no column 'sector'. Expected: one of the file's columns: "
            "'member_id', 'name', 'sectr'. Fix: did you mean 'sectr'?") in result.stderr


def test_missing_respondent_column(validate):
    result = validate(advice_csv="respondent,adv1,adv2\nm01,Kim Tran,\nm02,m01,\n")
    assert result.exit_code == 1
    assert "respondent column: no column 'who'" in result.stdout
    assert "respondent column missing 2" in result.stdout


def test_wave_without_data(validate):
    toml = TOML + """
[waves.w2]
[[waves.w2.surveys]]
file = "w2.csv"
respondent = "who"
[[waves.w2.surveys.questions]]
shape = "name_generator"
relation = "advice"
columns = ["adv1"]
"""
    result = validate(toml, w2_csv="who,adv1\n")
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "error   w2.csv: the file has a header but no responses. Fix: export the survey "
        "again once answers are in",
        "error   cpower.toml: wave 'w2' has no usable responses. Fix: check the wave's survey "
        "files and the respondent column"]
    assert "Wave w2\n  members 3, respondents 0 (response rate 0 %)" in result.stdout


def test_every_problem_in_every_file_at_once(validate):
    result = validate(
        roster_csv=ROSTER + "m03,Kim Again,Funders\n",
        collab_csv="who,c_m01,c_m02,c_m03\nm01,,Daily,Never\nm02,Monthly,,Hourly\n",
        advice_csv="who,adv1,adv2\nm01,Kim Trann,Ana Ruiz\nm09,m01,\nm03,m02,m02\n")
    assert result.exit_code == 1
    lines = problem_lines(result)
    assert [line.split(":")[0] for line in lines] == [
        "error   roster.csv, row 5, column 'member_id'",
        "error   collab.csv, row 2, column 'c_m02'",
        "error   collab.csv, row 3, column 'c_m03'",
        "error   advice.csv, row 3, column 'who'",       # respondents are checked first
        "error   advice.csv, row 2, column 'adv1'",
        "warning advice.csv, row 2, column 'adv2'",
        "warning advice.csv, row 4, column 'adv2'",
    ]
    assert "Problems (5 errors, 2 warnings):" in result.stdout
    assert "Found 5 errors and 2 warnings" in result.stdout


# --- exit code 2: bad usage or configuration -----------------------------------------------

def test_wrong_config_key(validate):
    result = validate(TOML.replace('silo = "sector"', 'silos = "sector"'))
    assert result.exit_code == 2
    assert result.stdout == ""
    error, problem = result.stderr.splitlines()[1:]
    assert error.startswith("Error: ")
    assert error.endswith("cpower.toml: 1 configuration problem")
    assert problem.startswith("  - ")
    assert problem.endswith("cpower.toml: unknown key 'silos' in [roster]; did you mean "
                            "'silo'?")


def test_invalid_toml(validate):
    result = validate('[study]\nname = "CLI study\n')
    assert result.exit_code == 2
    assert "not valid TOML" in result.stderr
    assert "Check quotes around texts and that every [section] is written once." in \
        result.stderr


def test_missing_survey_file(validate):
    result = validate(advice_csv=None)
    assert result.exit_code == 2
    assert ("[[waves.w1.surveys]] #2 (advice.csv) file 'advice.csv' does not exist in"
            in result.stderr)


def test_missing_roster_file(validate):
    result = validate(TOML.replace('"roster.csv"', '"members.csv"'))
    assert result.exit_code == 2
    assert "[roster] file 'members.csv' does not exist in" in result.stderr


def test_wave_without_surveys(validate):
    result = validate(TOML + '\n[waves.w2]\nlabel = "Next year"\n')
    assert result.exit_code == 2
    assert ("[waves.w2] has no surveys: add at least one [[waves.w2.surveys]] with a file "
            "and its questions") in result.stderr


def test_study_folder_missing(run_cli, tmp_path):
    result = run_cli("validate", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: {tmp_path / 'nowhere'}: no such study folder or file. Check the path, or "
        f"create a study with: cpower init {tmp_path / 'nowhere'}")


def test_folder_without_config(run_cli, tmp_path):
    result = run_cli("validate", tmp_path)
    assert result.exit_code == 2
    assert f"Error: {tmp_path}: no cpower.toml in this folder." in result.stderr


def test_unknown_option(run_cli, tmp_path):
    result = run_cli("validate", tmp_path, "--strict-mode")
    assert result.exit_code == 2
    assert "No such option" in result.stderr and "--strict-mode" in result.stderr


# --- help and init ---------------------------------------------------------------------------

def test_help_lists_commands_with_one_line_help_and_examples(run_cli):
    result = run_cli("--help")
    assert result.exit_code == 0
    out = result.stdout
    commands = out.split("Commands:")[1].split("Examples:")[0]
    for name, command in main.commands.items():
        line = next(li for li in commands.splitlines() if li.strip().startswith(name + " "))
        assert len(line.split(None, 1)[1]) > 10, line       # a one-line help text
        assert command.help
    assert "cpower init my-study/" in out and "cpower validate my-study/" in out
    # the two commands a new user starts with read as whole sentences, not cut off
    assert "  init      Start a study folder from commented templates.\n" in commands
    assert "  validate  Check every file of a study; list every problem.\n" in commands


@pytest.mark.parametrize("command", ["init", "validate"])
def test_each_command_has_examples(run_cli, command):
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert f"cpower {command} my-study/" in result.stdout


def test_validate_help_documents_exit_codes(run_cli):
    out = run_cli("validate", "--help").stdout
    assert "Exit codes: 0 no errors (warnings allowed), 1 problems in the data," in out


def test_python_dash_m():
    result = subprocess.run([sys.executable, "-m", "cpower_network", "--help"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0
    assert "Usage:" in result.stdout and "validate" in result.stdout


def test_version(run_cli):
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("cpower, version ")


def test_init_writes_the_templates(run_cli, tmp_path):
    folder = tmp_path / "my-study"
    result = run_cli("init", folder)
    assert result.exit_code == 0
    for name in ("cpower.toml", "roster.csv", "README.md", "wave1/relationship_survey.csv",
                 "wave1/decision_survey.csv", "wave1/pulse_survey.csv"):
        assert (folder / name).is_file(), name
        assert f"  {name}" in result.stdout
    assert f"run: cpower validate {folder}" in result.stdout
    assert "[roster]" in (folder / "cpower.toml").read_text(encoding="utf-8")


def test_init_refuses_to_overwrite_without_force(run_cli, tmp_path):
    folder = tmp_path / "my-study"
    assert run_cli("init", folder).exit_code == 0
    (folder / "cpower.toml").write_text("# my edits\n", encoding="utf-8")
    again = run_cli("init", folder)
    assert again.exit_code == 2
    assert again.stderr.startswith(f"Error: {folder} already has README.md, cpower.toml, ")
    assert again.stderr.rstrip().endswith(
        "choose an empty folder, or pass --force to overwrite them")
    assert (folder / "cpower.toml").read_text(encoding="utf-8") == "# my edits\n"
    forced = run_cli("init", folder, "--force")
    assert forced.exit_code == 0
    assert "[roster]" in (folder / "cpower.toml").read_text(encoding="utf-8")


def test_init_into_a_folder_with_other_files(run_cli, tmp_path):
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    assert run_cli("init", tmp_path).exit_code == 0
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_init_on_a_file(run_cli, tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    result = run_cli("init", target)
    assert result.exit_code == 2
    assert "is a file" in result.stderr


def test_validate_a_fresh_template(run_cli, tmp_path):
    """The untouched template has no members yet: a data problem, said plainly."""
    run_cli("init", tmp_path)
    result = run_cli("validate", tmp_path)
    assert result.exit_code == 1
    assert "Error: roster.csv: the roster cannot be read" in result.stderr
    assert "the roster has no members. Fix: add one row per member under the header" in \
        result.stderr
