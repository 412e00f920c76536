"""``cpower export`` as a user meets it: each format, its messages and exit codes, and
anonymised exports that carry no real name anywhere in their bytes."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

import cpower_network as cp
from cpower_network.export import FORMATS, export

TOML = """
[study]
name = "Shared names"
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
columns = ["adv1"]
"""
FILES = {
    "roster.csv": "member_id,name,sector\nm1,Kim Tran,Parents\nm2,Kim Tran,Providers\n"
                  "m3,Bo Li,Funders\n",
    "collab.csv": "who,c_m1,c_m2,c_m3\nm1,,Weekly,Never\nm2,Monthly,,Weekly\n"
                  "m3,Weekly,Monthly,\n",
    "advice.csv": "who,adv1\nm1,Bo Li\nm3,Nobody Known\n",
}


@pytest.fixture
def study(tmp_path):
    """A copy of the example study (exports go inside the study folder by default)."""
    return Path(shutil.copytree(cp.example_study_path(), tmp_path / "example"))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_each_format_writes_to_the_default_place(run_cli, study, fmt):
    result = run_cli("export", study, "--format", fmt)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Riverbend Child Care Coalition: wave 2025 (Google Forms), 71 members"
    assert lines[1] == f"Exported as {FORMATS[fmt].label}:"
    expected = {
        "gexf": ["2025.gexf"], "graphml": ["2025.graphml"], "json": ["2025.json"],
        "kumu": ["2025.xlsx", "2025.kumu.json"],
        "csv": ["2025/members.csv", "2025/ties.csv", "2025/indicators.csv",
                "2025/introductions.csv", "2025/disagreements.csv"],
    }[fmt]
    assert lines[2:] == [f"  {study / 'exports' / name}" for name in expected]
    assert all((study / "exports" / name).is_file() for name in expected)
    assert "… reading" in result.stderr and "… writing" in result.stderr


def test_wave_out_and_seed(run_cli, study, tmp_path):
    target = tmp_path / "out" / "network.graphml"
    result = run_cli("export", study, "--format", "graphml", "--wave", "2024",
                     "--out", target, "--seed", 3)
    assert result.exit_code == 0, result.output
    assert "wave 2024" in result.stdout and f"  {target}" in result.stdout
    assert b"<graphml" in target.read_bytes()


def test_anonymize_flag_names_the_files(run_cli, study):
    result = run_cli("export", study, "--format", "csv", "--anonymise")
    assert result.exit_code == 0, result.output
    assert ", anonymised" in result.stdout.splitlines()[0]
    members = (study / "exports" / "2025-anonymised" / "members.csv").read_text("utf-8")
    assert "Elizabeth Carter" not in members and "\nM" in members


def test_no_real_name_in_any_anonymised_export(tmp_path):
    study = cp.load_study(cp.example_study_path())
    secrets = {*study.roster["name"], *study.roster["organisation"]} - {""}
    results = cp.analyze(study, seed=7, anonymize=True)
    written = [p for fmt in FORMATS for p in export(results, fmt, tmp_path / fmt /
                                                    ("w.xlsx" if fmt == "kumu" else "w"))]
    assert len(written) == 10
    for path in written:
        blobs = [path.read_bytes()]
        if zipfile.is_zipfile(path):                     # the xlsx: look inside too
            archive = zipfile.ZipFile(path)
            blobs += [archive.read(name) for name in archive.namelist()]
        for blob in blobs:
            for secret in secrets:
                for form in {secret, escape(secret, {'"': "&quot;", "'": "&apos;"})}:
                    assert form.encode("utf-8") not in blob, (path.name, secret)


def test_bad_format_lists_the_choices(run_cli, study):
    result = run_cli("export", study, "--format", "pdf")
    assert result.exit_code == 2
    assert "'pdf' is not one of 'gexf', 'graphml', 'kumu', 'csv', 'json'" in result.stderr


def test_format_is_required(run_cli, study):
    result = run_cli("export", study)
    assert result.exit_code == 2
    assert "Missing option '--format'" in result.stderr


def test_unknown_wave(run_cli, study):
    result = run_cli("export", study, "--format", "gexf", "--wave", "2031")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith("Error: no wave '2031'")


def test_kumu_needs_an_xlsx_name(run_cli, study, tmp_path):
    result = run_cli("export", study, "--format", "kumu", "--out", tmp_path / "map.xls")
    assert result.exit_code == 2
    assert "Error: the Kumu export is an .xlsx workbook" in result.stderr
    assert "Traceback" not in result.output


def test_problems_in_the_data_stop_unless_allowed(run_cli, make_study):
    folder = make_study(TOML, FILES)
    stopped = run_cli("export", folder, "--format", "kumu")
    assert stopped.exit_code == 1
    assert "has 1 problem" in stopped.stderr and "in its data" in stopped.stderr
    assert "--allow-problems" in stopped.stderr
    assert not (folder / "exports").exists()
    allowed = run_cli("export", folder, "--format", "kumu", "--allow-problems")
    assert allowed.exit_code == 0, allowed.output
    notes = [li for li in allowed.stdout.splitlines() if li.startswith("Note: ")]
    assert notes == ["Note: 2 members share a name with another member; their Kumu labels "
                     "carry their id so Kumu keeps them apart: m1, m2"]


def test_help_has_examples(run_cli):
    result = run_cli("export", "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and "cpower export my-study/ --format gexf" in \
        result.stdout
    assert ("Exit codes: 0 done, 1 problems in the data or an output that cannot be written,"
            in result.stdout and "130 stopped by Ctrl-C" in result.stdout)
