"""``cpower validate``: the numbers of errors and warnings its heading and its last line
give are the numbers it lists (issue 14). A problem met in several cells is one line
with its count ("(3 times: …)"), and the heading says so; ``--errors-only`` says how many
warnings it does not list."""

from __future__ import annotations

import re

from test_cli_validate import TOML as CLI_STUDY_TOML

import cpower_network as cp

ROSTER = ("member_id,name,sector\nm01,Ana Ruiz,Parents\nm02,Bo Baker,Providers\n"
          "m03,Kim Tran,Funders\n")
#: test_cli_validate's two-survey study, under its own name
TOML = CLI_STUDY_TOML.replace('name = "CLI study"', 'name = "Counting study"')
COLLAB = "who,c_m01,c_m02,c_m03\nm01,,Weekly,Never\nm02,Monthly,,Weekly\n"
#: Every respondent names themselves: one warning each, one line for the three.
SELF = "who,adv1,adv2\nm01,Ana Ruiz,\nm02,Bo Baker,Kim Tran\nm03,Kim Tran,\n"
#: An answer off the scale: an error.
OFF_SCALE = "who,c_m01,c_m02,c_m03\nm01,,Daily,Never\nm02,Monthly,,Weekly\n"


def listed(stdout: str) -> dict[str, int]:
    """Errors and warnings the listing holds: one per line, N for a line "(N times: …"."""
    found = {"error": 0, "warning": 0}
    for line in stdout.splitlines():
        kind = re.match(r"  (error|warning) ", line)
        if kind:
            times = re.search(r"\((\d+) times: ", line)
            found[kind.group(1)] += int(times.group(1)) if times else 1
    return found


def heading(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith("Problems ("))


def said(text: str, noun: str) -> int:
    count = re.search(rf"(\d+) {noun}s?\b", text)
    return int(count.group(1)) if count else 0


def check_counts_agree(result) -> None:
    """The heading's and the verdict's counts are the listing's."""
    found = listed(result.stdout)
    verdict = result.stdout.rstrip().splitlines()[-1]
    assert (said(verdict, "error"), said(verdict, "warning")) == (
        found["error"], found["warning"]), (verdict, found)
    if any(found.values()):
        top = heading(result.stdout)
        assert (said(top, "error"), said(top, "warning")) == (
            found["error"], found["warning"]), (top, found)


def test_grouped_warnings_are_counted_as_listed(make_study, run_cli):
    root = make_study(TOML, {"roster.csv": ROSTER, "collab.csv": COLLAB, "advice.csv": SELF})
    result = run_cli("validate", root)
    assert result.exit_code == 0
    check_counts_agree(result)
    assert heading(result.stdout) == (
        "Problems (0 errors, 3 warnings in 1 line: the same problem met in several cells "
        "is one line with its count; --verbose lists each on its own):")
    assert "(3 times: row 2, column 'adv1': 'Ana Ruiz'; row 3, column 'adv1': " \
        "'Bo Baker'; row 4, column 'adv1': 'Kim Tran')" in result.stdout
    assert result.stdout.rstrip().endswith(
        "No errors; 3 warnings (listed above). The data can be analysed.")
    verbose = run_cli("validate", root, "--verbose")
    check_counts_agree(verbose)
    assert heading(verbose.stdout) == "Problems (0 errors, 3 warnings):"
    assert len([line for line in verbose.stdout.splitlines()
                if line.startswith("  warning")]) == 3


def test_errors_only_counts_what_it_lists(make_study, run_cli):
    root = make_study(TOML, {"roster.csv": ROSTER, "collab.csv": OFF_SCALE,
                             "advice.csv": SELF})
    result = run_cli("validate", root, "--errors-only")
    assert result.exit_code == 1
    assert heading(result.stdout) == (
        "Problems (1 error; 3 warnings not listed, as --errors-only asks):")
    assert listed(result.stdout) == {"error": 1, "warning": 0}
    assert result.stdout.rstrip().endswith(
        "Found 1 error and 3 warnings: fix the errors above (each line says where and "
        "how), then run validate again.")
    everything = run_cli("validate", root)
    check_counts_agree(everything)
    assert listed(everything.stdout) == {"error": 1, "warning": 3}


def test_errors_only_without_errors_does_not_say_listed_above(make_study, run_cli):
    root = make_study(TOML, {"roster.csv": ROSTER, "collab.csv": COLLAB, "advice.csv": SELF})
    result = run_cli("validate", root, "--errors-only")
    assert result.exit_code == 0
    assert "Problems (" not in result.stdout
    assert result.stdout.rstrip().endswith(
        "No errors; 3 warnings (not listed: run cpower validate without --errors-only to "
        "see them). The data can be analysed.")


def test_the_example_lists_as_many_warnings_as_it_counts(run_cli):
    result = run_cli("validate", cp.example_study_path())
    assert result.exit_code == 0
    check_counts_agree(result)
    assert listed(result.stdout) == {"error": 0, "warning": 2}
    assert heading(result.stdout) == "Problems (0 errors, 2 warnings):"
