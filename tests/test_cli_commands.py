"""``cpower analyze``, ``demo``, ``weave`` and ``compare`` as a user meets them: where the
files go, what stdout and stderr say, and the exit codes (0 done, 1 problems in the
data, 2 bad usage). Each expensive run happens once per module on a copy of the bundled
study, so nothing is ever written into the package."""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import cpower_network as cp
from cpower_network.cli.commands import main

ROOT = Path(__file__).resolve().parents[1]
BANDS = ("Emerging", "Developing", "Strong", "Not measured")
# the three isolates of 2024 did not answer: marked, since their own ties are unknown
ISOLATES_2024 = ("William Foster (State agency partners, did not answer), Denise Howard "
                 "(Child-care providers, did not answer), Crystal Begay (Parents with lived "
                 "experience, did not answer)")
CSV_COLUMNS = ["kind", "member_id", "member", "member_silo", "member_answered",
               "suggested_id", "suggested", "suggested_silo", "suggested_answered",
               "introducer_id", "introducer", "shared_contacts", "score", "reason"]


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def ok(result):
    """The result, after checking it ended cleanly (with its output when it did not)."""
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> Path:
    """A copy of the bundled study (reports are written inside the study folder)."""
    target = tmp_path_factory.mktemp("cli") / "riverbend"
    shutil.copytree(cp.example_study_path(), target)
    return target


@pytest.fixture(scope="module")
def roster_names() -> list[str]:
    return list(cp.load_study(cp.example_study_path()).roster["name"])


# ---------------------------------------------------------------------------------------
# analyze
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def analyzed(study):
    return ok(invoke("analyze", study))


def test_analyze_writes_the_default_report(analyzed, study):
    target = study / "reports" / "report-2025-evaluator.html"
    assert target.is_file()
    assert analyzed.stdout.rstrip().endswith(f"Report: {target}")
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") or page.lower().startswith("<!doctype html>")
    assert 'class="audience-evaluator"' in page


def test_analyze_summary_on_stdout(analyzed):
    lines = analyzed.stdout.splitlines()
    assert lines[0] == ("Riverbend Child Care Coalition, wave 2025 (Google Forms): "
                        "71 members, response rate 83 %")
    start = lines.index("Collective Power indicators:")
    indicators = lines[start + 1:start + 6]
    assert [line.split("  ")[1].strip() for line in indicators] == [
        "Setting the table", "Safety and trust", "Cohesion", "Financing",
        "Directed by lived experience"]
    for line in indicators:
        assert any(f" {band} " in line for band in BANDS), line
    assert lines[start + 6] == ""
    findings = lines[lines.index("Top findings:") + 1:]
    numbered = [line for line in findings if re.match(r"  \d\. ", line)]
    assert [line[:5] for line in numbered] == ["  1. ", "  2. ", "  3. "]
    assert any("Lived experience members hold 29 % of decision influence" in line
               for line in numbered)


def test_analyze_progress_goes_to_stderr(analyzed, study):
    assert analyzed.stderr.splitlines()[0] == f"… reading {study}"
    assert "… writing the evaluator report" in analyzed.stderr
    assert "…" not in analyzed.stdout
    assert "Collective Power indicators:" not in analyzed.stderr


@pytest.fixture(scope="module")
def analyzed_2024(study, tmp_path_factory):
    out = tmp_path_factory.mktemp("analyze")
    result = ok(invoke("analyze", study, "--wave", "2024", "--out", out / "room.html",
                       "--json", out / "data" / "results.json", "--audience", "retreat",
                       "--seed", 7))
    return result, out


def test_analyze_out_json_audience_and_seed(analyzed_2024, study):
    result, out = analyzed_2024
    report, data = out / "room.html", out / "data" / "results.json"
    assert f"Report: {report}" in result.stdout and f"JSON:   {data}" in result.stdout
    assert "… writing the retreat report" in result.stderr
    assert "… writing the results as JSON" in result.stderr
    assert not (study / "reports" / "report-2024-retreat.html").exists()
    assert 'class="audience-retreat"' in report.read_text(encoding="utf-8")
    document = json.loads(data.read_text(encoding="utf-8"))
    assert document["seed"] == 7
    assert document["wave"]["key"] == "2024"
    assert document["anonymized"] is False
    assert result.stdout.startswith("Riverbend Child Care Coalition, wave 2024 (Qualtrics): "
                                    "70 members")


def test_analyze_anonymized(study, roster_names):
    result = ok(invoke("analyze", study, "--anonymize", "--audience", "retreat"))
    target = study / "reports" / "report-2025-retreat-anonymised.html"
    assert result.stdout.rstrip().endswith(f"Report: {target}")
    page = target.read_text(encoding="utf-8")
    shown = [name for name in roster_names if name in page or html.escape(name) in page]
    assert shown == []
    assert not any(name in result.stdout for name in roster_names)


def test_analyze_unknown_wave(study):
    result = invoke("analyze", study, "--wave", "2052")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: no wave '2052' in this study; waves: 2024, 2025; did you mean '2024'?")
    assert result.stdout == ""


def test_analyze_unknown_audience(study):
    result = invoke("analyze", study, "--audience", "board")
    assert result.exit_code == 2
    assert "'board' is not one of 'evaluator', 'retreat'" in result.stderr


# A small study whose survey names someone not on the roster: one error.
SMALL_TOML = """
[study]
name = "Small"
[roster]
file = "roster.csv"
silo = "sector"
[focus_groups]
lived_experience = { column = "lived", label = "Lived experience" }
[relations.collaborate]
[waves.w1]
[[waves.w1.surveys]]
file = "ties.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "long"
relation = "collaborate"
alter = "alter"
"""
SMALL_ROSTER = ("member_id,name,sector,lived\na,Ann Able,X,yes\nb,Bob Burr,X,no\n"
                "c,Cat Cole,Y,no\nd,Dan Dee,Y,yes\n")


@pytest.fixture
def broken(make_study):
    return make_study(SMALL_TOML, {
        "roster.csv": SMALL_ROSTER,
        "ties.csv": "who,alter\na,b\nb,c\nc,Zed Nobody\nd,a\n"})


def test_analyze_stops_on_data_errors(broken):
    result = invoke("analyze", broken)
    assert result.exit_code == 1
    err = result.stderr.splitlines()
    assert err[1] == (f"Error: {broken} has 1 problem in its data; see them with: "
                      f"cpower validate {broken}")
    assert err[2].startswith("  - ties.csv, row 4, column 'alter': ") and "'Zed Nobody'" \
        in err[2]
    assert err[-1] == ("Fix them, or pass --allow-problems to analyse without the answers "
                       "that have problems.")
    assert result.stdout == ""
    assert not (broken / "reports").exists()


def test_analyze_allow_problems_writes_the_report(broken):
    result = ok(invoke("analyze", broken / "cpower.toml", "--allow-problems"))
    target = broken / "reports" / "report-w1-evaluator.html"
    assert target.is_file()
    assert "… 1 problem in the data: those answers are set aside" in result.stderr
    assert result.stdout.startswith("Small, wave w1: 4 members")
    assert f"Report: {target}" in result.stdout


def test_weave_and_compare_stop_on_data_errors_too(broken):
    for command in ("weave", "compare"):
        result = invoke(command, broken)
        assert result.exit_code == 1, command
        assert "pass --allow-problems" in result.stderr


# ---------------------------------------------------------------------------------------
# demo
# ---------------------------------------------------------------------------------------
def test_demo_writes_both_views_and_nothing_else(tmp_path, monkeypatch):
    runner = CliRunner()
    out = tmp_path / "demo-out"
    cwd = tmp_path / "working-folder"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    result = runner.invoke(main, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert os.listdir(cwd) == []                       # nothing in the current directory
    assert sorted(p.name for p in out.iterdir()) == ["report-retreat.html", "report.html"]
    assert 'class="audience-retreat"' in (out / "report-retreat.html").read_text("utf-8")
    assert 'class="audience-evaluator"' in (out / "report.html").read_text("utf-8")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("The example: the Riverbend Child Care Coalition, 75 members")
    assert f"Report: {out / 'report.html'}" in lines
    assert f"Retreat view: {out / 'report-retreat.html'}" in lines
    assert "Collective Power indicators:" in lines
    assert "… writing the retreat view" in result.stderr


# ---------------------------------------------------------------------------------------
# weave
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def woven(study, tmp_path_factory):
    path = tmp_path_factory.mktemp("weave") / "lists" / "introductions.csv"
    return ok(invoke("weave", study, "--wave", "2024", "--csv", path)), path


def test_weave_lists_the_isolates(woven):
    result, _ = woven
    lines = result.stdout.splitlines()
    assert lines[0] == ("Weaver's worklist: wave 2024, 70 members; in touch = a tie in Work "
                        "together, Trust or Go to for advice")
    at = lines.index("In touch with no one (isolates): 3, reach out personally; they are "
                     "not connected to anyone yet.")
    assert lines[at + 1] == "  " + ISOLATES_2024
    assert any(line.startswith("Bridge a gap (") for line in lines)
    assert any(line.startswith("Close a triangle (") for line in lines)
    assert ("Silo pairs whose members are least in touch for their size (bridge "
            "opportunities):") in lines
    assert "… choosing suggested introductions" in result.stderr


def test_weave_csv(woven, study):
    result, path = woven
    assert result.stdout.rstrip().endswith(f"Introductions written to {path}")
    with open(path, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == CSV_COLUMNS
    counts = {kind: int(re.search(rf"{title} \((\d+); ", result.stdout).group(1))
              for kind, title in (("bridge", "Bridge a gap"),
                                  ("triangle", "Close a triangle"))}
    assert [r["kind"] for r in rows] == ["bridge"] * counts["bridge"] + \
        ["triangle"] * counts["triangle"]
    for row in rows:
        assert row["member_silo"] != row["suggested_silo"] or row["kind"] == "triangle"
        if row["kind"] == "triangle":
            assert int(row["shared_contacts"]) >= 1
            assert row["reason"].startswith(f"both are in touch with {row['introducer']}")
        else:
            assert int(row["shared_contacts"]) <= 1
    triangles = [float(r["score"]) for r in rows if r["kind"] == "triangle"]
    assert triangles == sorted(triangles, reverse=True)
    first = result.stdout.split("Bridge a gap (")[1].splitlines()[1]
    assert first == (f"  1. Introduce {rows[0]['member']} ({rows[0]['member_silo']}) to "
                     f"{rows[0]['suggested']} ({rows[0]['suggested_silo']}): "
                     f"{rows[0]['reason']}.")


def test_weave_help_documents_the_csv_columns():
    out = " ".join(invoke("weave", "--help").stdout.split())
    assert ", ".join(CSV_COLUMNS) in out


def test_weave_relation_and_top(study, woven):
    result = ok(invoke("weave", study, "--wave", "2024", "--relation", "advice",
                       "--top", 1))
    assert result.stdout.startswith("Weaver's worklist: wave 2024, 70 members; in touch = a "
                                    "tie in advice")
    top3 = ok(invoke("weave", study, "--wave", "2024", "--relation", "advice"))

    def count(r):
        return int(re.search(r"Close a triangle \((\d+);", r.stdout).group(1))

    assert count(result) < count(top3)
    isolates = re.search(r"In touch with no one \(isolates\): (\d+)", result.stdout)
    assert int(isolates.group(1)) > 3             # advice is sparser than any tie


def test_weave_bad_options(study):
    result = invoke("weave", study, "--relation", "trst")
    assert result.exit_code == 2
    assert "Error: no relation 'trst' in this study; relations: collaborate, trust, " \
        "advice, influence" in result.stderr
    result = invoke("weave", study, "--top", 0)
    assert result.exit_code == 2
    assert "--top" in result.stderr


def test_weave_csv_under_a_file_says_which_path_is_a_file(study, tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    result = invoke("weave", study, "--csv", blocker / "x.csv")
    assert result.exit_code == 1
    assert (f"Error: cannot write {blocker / 'x.csv'}: {blocker} is a file, not a folder; "
            "choose another path") in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]   # nothing left behind


# ---------------------------------------------------------------------------------------
# compare
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def compared(study, tmp_path_factory):
    path = tmp_path_factory.mktemp("compare") / "compare.json"
    return ok(invoke("compare", study, "--json", path, "--permutations", "1000")), path


def test_compare_power_redistribution_sentences(compared, study):
    result, _ = compared
    lines = result.stdout.splitlines()
    assert lines[0] == ("Riverbend Child Care Coalition: 2024 (Qualtrics) → 2025 (Google "
                        "Forms), 66 members present throughout")
    at = lines.index("Power redistribution:")
    sentences = [line for line in lines[at + 1:] if line.startswith("  • ")]
    assert len(sentences) == 3
    assert sentences[0].startswith(
        "  • Between 2024 (Qualtrics) and 2025 (Google Forms), lived experience members' "
        "share of decision influence rose from 12 % to 29 %")
    assert "(decision parity 0.44 → 0.94)" in sentences[0]
    # p < 0.05 alone is not "larger than chance" among 74 tests: q decides
    assert ("not larger than random groups of the same size show once the 74 tests are "
            "counted (p = 0.0") in sentences[0]
    assert "is larger than random groups of the same size show (p = 0.0" in sentences[1]
    assert ("  74 tests of change (1,000 draws each): 16 larger than chance at a false "
            "discovery rate of 5 % (Benjamini–Hochberg q < 0.05).") in lines
    assert sentences[2].startswith("  • Influence became less concentrated")
    target = study / "reports" / "compare-2024-2025-evaluator.html"
    assert target.is_file()
    assert f"Report: {target}" in lines
    assert "… writing the evaluator comparison report" in result.stderr


def test_compare_json(compared):
    result, path = compared
    assert f"JSON:   {path}" in result.stdout
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["kind"] == "comparison"
    assert document["permutations"] == 1000
    measure = next(m for m in document["measures"]
                   if m["key"] == "decisions/parity/lived_experience")
    assert measure["p_value"] < 0.05
    assert round(measure["values"][0], 2) == 0.44 and round(measure["values"][1], 2) == 0.94
    assert [s[:40] for s in document["headline"]] == \
        [line[4:44] for line in result.stdout.splitlines() if line.startswith("  • ")]


@pytest.mark.parametrize(("waves", "message"), [
    ("2024", "Error: give at least two waves, e.g. --waves 2024,2025"),
    ("2024,2099", "Error: no wave '2099' in this study; waves: 2024, 2025"),
    ("2025,2025", "Error: a wave is listed twice: 2025, 2025"),
])
def test_compare_wave_errors(study, waves, message):
    result = invoke("compare", study, "--waves", waves)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_compare_needs_enough_permutations(study):
    result = invoke("compare", study, "--permutations", 10)
    assert result.exit_code == 2
    assert "--permutations" in result.stderr


# ---------------------------------------------------------------------------------------
# Help and README
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", sorted(main.commands))
def test_help_of_every_command_shows_examples(command):
    result = ok(invoke(command, "--help"))
    assert "Examples:" in result.stdout
    assert f"cpower {command}" in result.stdout.split("Examples:")[1]


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_in_the_readme(command):
    readme = ROOT / "README.md"
    assert re.search(rf"\bcpower {command}\b", readme.read_text(encoding="utf-8")), command


def test_the_bundled_example_never_gets_outputs_inside_the_package(run_cli, tmp_path,
                                                                    monkeypatch):
    """`cpower analyze <example>` (the path the help points to) wrote its report into the
    installed package, where a wheel would ship it and an upgrade delete it: default
    outputs of a study inside the package go to ./cpower-example/ instead."""
    import cpower_network as cp
    from cpower_network.common.files import PACKAGE_FOLDER

    monkeypatch.chdir(tmp_path)
    example = cp.example_study_path()
    before = sorted(p for p in PACKAGE_FOLDER.rglob("*") if "__pycache__" not in p.parts)
    analysed = run_cli("analyze", example)
    assert analysed.exit_code == 0, analysed.output
    report = tmp_path / "cpower-example" / "reports" / "report-2025-evaluator.html"
    assert f"Report: {report}" in analysed.output and report.is_file()
    exported = run_cli("export", example, "--format", "gexf")
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "cpower-example" / "exports" / "2025.gexf").is_file()
    after = sorted(p for p in PACKAGE_FOLDER.rglob("*") if "__pycache__" not in p.parts)
    assert after == before
