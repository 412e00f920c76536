"""What cpower prints and writes when the input is hostile or the machine fails: survey
text never reaches a terminal as escape sequences, every output file is written
atomically (a full disk, no permission or Ctrl-C leave no partial file and keep an
earlier good one), and each failure is one line with its exit code."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
import threading

import pytest

import cpower_network as cp
from cpower_network.common.terminal import safe
from cpower_network.errors import DataError, OutputError, Problem

ESCAPES = ("\x1b", "\x07", "\x9b", "\u202e", "\x7f")
TITLE = "\x1b]0;pwned\x07"
NAMES = [f"{TITLE}Ana\x1b[2J", "\u202eBo Li", "Cy\x9b31m Fox", "Di\x7f Ng", "Ed Oz", "Fay"]
SILOS = ["Parents\x1b[31m", "Providers", "Funders", "Parents\x1b[31m", "Providers", "Funders"]
IDS = ["m1", "m2", "m3", "m4", "m5", "m6"]
TIES = {(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 0), (0, 2)}
TOML = """
[study]
name = "Hostile \\u001b[2J"
[roster]
file = "roster.csv"
silo = "sector"
[scales]
frequency = { "Never" = 0, "Monthly" = 2, "Weekly" = 3 }
[relations.collaborate]
label = "Work \\u001b]0;x\\u0007together"
scale = "frequency"
[waves.w1]
[[waves.w1.surveys]]
file = "collab.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "collaborate"
columns = "c_{member}"
"""


def table(rows) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def files(off_scale: str | None = None) -> dict[str, str]:
    collab = [["who", *(f"c_{m}" for m in IDS)]]
    for a, member in enumerate(IDS):
        collab.append([member, *("" if a == b else "Weekly" if (min(a, b), max(a, b)) in TIES
                                 else "Never" for b in range(len(IDS)))])
    if off_scale is not None:
        collab[2][3] = off_scale
    roster = [["member_id", "name", "sector"], *map(list, zip(IDS, NAMES, SILOS, strict=True))]
    return {"roster.csv": table(roster), "collab.csv": table(collab)}


@pytest.fixture
def study(make_study):
    return make_study(TOML, files())


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-output")
    for name, text in {"cpower.toml": TOML, **files()}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return cp.analyze(cp.load_study(folder), seed=1)


def no_raw_escapes(*texts: str) -> None:
    for text in texts:
        for char in ESCAPES:
            assert char not in text, (char, text)


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))


# --- 1. the terminal ----------------------------------------------------------------------

def test_safe_escapes_what_a_terminal_would_run():
    assert safe(f"{TITLE}Ana\x1b[2J") == "\\x1b]0;pwned\\x07Ana\\x1b[2J"
    assert safe("\u202eBo\u2066 \x9b\x7f\tx\ny") == "\\u202eBo\\u2066 \\x9b\\x7f\\tx\\ny"
    assert safe("a\nb", newlines=True) == "a\nb"
    assert safe("Zoë → Żaneta 👩‍👩‍👧 سلام") == "Zoë → Żaneta 👩‍👩‍👧 سلام"   # text stays text


def test_validate_shows_survey_text_escaped(run_cli, make_study):
    folder = make_study(TOML, files(off_scale="Weekly\x1b[5m\u202e"))
    result = run_cli("validate", folder)
    assert result.exit_code == 1
    no_raw_escapes(result.stdout, result.stderr)
    assert "Parents\\x1b[31m 2" in result.stdout                  # the roster's silos
    assert "'Weekly\\x1b[5m\\u202e'" in result.stdout              # the cell value


def test_weave_lists_show_names_and_silos_escaped(run_cli, study, tmp_path):
    result = run_cli("weave", study, "--csv", tmp_path / "intro.csv")
    assert result.exit_code == 0, result.output
    no_raw_escapes(result.stdout, result.stderr)
    assert "\\x1b]0;pwned\\x07Ana\\x1b[2J" in result.stdout
    assert "\\u202eBo Li" in result.stdout
    assert "in touch = a tie in Work \\x1b]0;x\\x07together" in result.stdout
    # the CSV keeps the text as it is (a file, not a terminal)
    assert NAMES[0] in (tmp_path / "intro.csv").read_text(encoding="utf-8")


def test_analyze_summary_and_progress_are_escaped(run_cli, study, tmp_path):
    result = run_cli("analyze", study, "--out", tmp_path / "r.html")
    assert result.exit_code == 0, result.output
    no_raw_escapes(result.stdout, result.stderr)
    assert result.stdout.startswith("Hostile \\x1b[2J, wave w1: 6 members")


def test_error_messages_quoting_cell_values_are_escaped(run_cli, study, monkeypatch):
    import cpower_network.ingest as ingest

    def hostile(_path):
        raise DataError(f"roster.csv: row 2: no silo for {TITLE}Ana",
                        problems=[Problem("error", "x", "odd value", file="roster.csv",
                                          row=2, column="sector", value="\x1b[2J\nfake")])

    monkeypatch.setattr(ingest, "load_study", hostile)
    result = run_cli("analyze", study)
    assert result.exit_code == 1
    no_raw_escapes(result.stdout, result.stderr)
    assert result.stderr.splitlines()[1:] == [
        "Error: roster.csv: row 2: no silo for \\x1b]0;pwned\\x07Ana",
        "  - roster.csv, row 2, column 'sector': odd value (value '\\x1b[2J\\nfake')"]


# --- 3. atomic writes ---------------------------------------------------------------------

def failing_replace(suffix: str, error: BaseException):
    """os.replace, raising ``error`` when the target's name ends with ``suffix``."""
    real = os.replace

    def fake(source, target):
        if str(target).endswith(suffix):
            raise error
        return real(source, target)

    return fake


class _FailingFile:
    """A file being written that takes a few bytes, then raises ``error``."""

    def __init__(self, handle, error: BaseException) -> None:
        self.handle, self.error = handle, error

    def __enter__(self):
        return self

    def __exit__(self, *_exc) -> None:
        self.handle.close()

    def write(self, data: bytes) -> None:
        self.handle.write(data[:10])
        raise self.error


def failing_writes(monkeypatch, name: str, error: BaseException) -> None:
    """Writing the temporary file of the target called ``name`` fails with ``error``
    after a few bytes (a full disk, or Ctrl-C)."""
    import builtins

    import cpower_network.common.files as common

    def fake(path, mode="r", *args, **kwargs):
        handle = builtins.open(path, mode, *args, **kwargs)   # noqa: SIM115
        return _FailingFile(handle, error) if f".{name}." in str(path) else handle

    monkeypatch.setattr(common, "open", fake, raising=False)


def test_a_full_disk_keeps_the_earlier_json(run_cli, study, tmp_path, monkeypatch):
    target = tmp_path / "out" / "results.json"
    assert run_cli("analyze", study, "--out", tmp_path / "out" / "r.html",
                   "--json", target).exit_code == 0
    good = target.read_bytes()
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(os, "replace", failing_replace(".json", full))
    result = run_cli("analyze", study, "--out", tmp_path / "out" / "r.html", "--json", target)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: could not write {target}: No space left on device. Fix: free some disk "
        "space, or write somewhere else (no partial file was left behind)")
    assert "Traceback" not in result.output
    assert target.read_bytes() == good and json.loads(good)
    assert leftovers(tmp_path) == []


def test_a_failed_write_keeps_the_earlier_report(run_cli, study, tmp_path, monkeypatch):
    report = tmp_path / "r.html"
    report.write_text("<p>the good old report</p>", encoding="utf-8")
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    failing_writes(monkeypatch, "r.html", full)
    result = run_cli("analyze", study, "--out", report)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(
        f"Error: could not write {report}: No space left on device. Fix:")
    assert report.read_text(encoding="utf-8") == "<p>the good old report</p>"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(("code", "fix"), [
    (errno.EACCES, "write to a folder you may write in, or change the permissions"),
    (errno.EROFS, "write somewhere else: this disk is read-only")])
def test_no_permission_or_read_only_disk(run_cli, study, tmp_path, monkeypatch, code, fix):
    refused = OSError(code, os.strerror(code))
    monkeypatch.setattr(os, "replace", failing_replace(".gexf", refused))
    target = tmp_path / "net.gexf"
    result = run_cli("export", study, "--format", "gexf", "--out", target)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: could not write {target}: {os.strerror(code)}. Fix: {fix} (no partial "
        "file was left behind)")
    assert list(tmp_path.glob("net*")) == [] and leftovers(tmp_path) == []


def test_paths_that_cannot_be_files_exit_1(run_cli, study, tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x", encoding="utf-8")
    result = run_cli("analyze", study, "--out", tmp_path / "r.html", "--json",
                     blocker / "x.json")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: cannot write {blocker / 'x.json'}: {blocker} is a file, not a folder; "
        "choose another path")
    assert leftovers(tmp_path) == []


def test_a_folder_is_not_a_file_name(results, tmp_path):
    from cpower_network.export import ExportError

    folder = tmp_path / "folder.html"
    folder.mkdir()
    for write in (results.to_html, results.to_json):
        with pytest.raises(ExportError) as caught:
            write(folder)
        assert caught.value.message == f"{folder} is a folder; give a file name"
        assert caught.value.exit_code == 1
    assert [p.name for p in tmp_path.iterdir()] == ["folder.html"]
    assert list(folder.iterdir()) == []


def test_concurrent_json_writes_always_leave_valid_json(results, tmp_path):
    from cpower_network.export.results_json import write_json

    target = tmp_path / "results.json"
    write_json(results, target)
    expected = target.read_text(encoding="utf-8")
    seen: list[str] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            seen.append(target.read_text(encoding="utf-8"))

    readers = [threading.Thread(target=read) for _ in range(2)]
    writers = [threading.Thread(target=write_json, args=(results, target))
               for _ in range(40)]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    for thread in readers:
        thread.join()
    assert len(seen) > 10
    assert all(text == expected for text in seen)       # never half a document
    assert json.loads(target.read_text(encoding="utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json"]


def test_the_comparison_json_is_written_atomically(tmp_path, monkeypatch):
    import cpower_network.export.comparison_json as waves_json

    monkeypatch.setattr(waves_json, "comparison_document", lambda _c: {"waves": [1, 2]})
    target = tmp_path / "compare.json"
    waves_json.write_comparison_json(None, target)
    good = target.read_bytes()
    monkeypatch.setattr(waves_json, "comparison_document", lambda _c: {"waves": [3]})
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(os, "replace", failing_replace(".json", full))
    with pytest.raises(OutputError, match=r"could not write .*compare\.json: No space"):
        waves_json.write_comparison_json(None, target)
    assert target.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compare.json"]


# --- 4. Ctrl-C and the system's refusals anywhere in a command ----------------------------

def test_ctrl_c_before_anything_is_written(run_cli, study, monkeypatch):
    import cpower_network.ingest as ingest

    def interrupted(_path):
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "load_study", interrupted)
    result = run_cli("analyze", study)
    assert result.exit_code == 130
    assert result.stderr.splitlines()[-1] == "Interrupted; nothing was written."
    assert "Traceback" not in result.output and "Aborted" not in result.output


def test_ctrl_c_while_writing_names_what_was_written(run_cli, study, tmp_path, monkeypatch):
    report, target = tmp_path / "r.html", tmp_path / "results.json"
    target.write_text('{"old": true}', encoding="utf-8")
    failing_writes(monkeypatch, "results.json", KeyboardInterrupt())
    result = run_cli("analyze", study, "--out", report, "--json", target)
    assert result.exit_code == 130
    assert result.stderr.splitlines()[-1] == (f"Interrupted; written before that: {report}; "
                                              "nothing else was written.")
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert target.read_text(encoding="utf-8") == '{"old": true}'
    assert leftovers(tmp_path) == []


def test_a_refused_file_anywhere_is_one_line(run_cli, tmp_path, monkeypatch):
    import cpower_network.init.templates as init

    def refused(folder, *, force):
        raise PermissionError(errno.EACCES, "Permission denied", str(folder / "roster.csv"))

    monkeypatch.setattr(init, "write_study_templates", refused)
    result = run_cli("init", tmp_path / "new")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {tmp_path / 'new' / 'roster.csv'}: Permission denied. Fix: write to a "
        "folder you may write in, or change the permissions"]


@pytest.mark.parametrize("error", [ValueError("a bug"), OSError(errno.EBADF, "Bad fd"),
                                   PermissionError(errno.EACCES, "no file named")])
def test_programming_errors_are_not_swallowed(run_cli, tmp_path, monkeypatch, error):
    import cpower_network.init.templates as init

    def broken(folder, *, force):
        raise error

    monkeypatch.setattr(init, "write_study_templates", broken)
    result = run_cli("init", tmp_path / "new")
    assert result.exception is error and result.exit_code == 1
    assert "Error:" not in result.stderr


def test_a_closed_pipe_stops_quietly(tmp_path):
    # cpower weave EXAMPLE | true: the reader is gone before the first line is written
    # (EPIPE, which click turns into exit 1); no traceback from cpower's own handlers
    import subprocess
    import sys

    import cpower_network as cp

    command = (f"{sys.executable} -m cpower_network weave {cp.example_study_path()} "
               "| true; echo \"rc=${PIPESTATUS[0]}\" >&2")
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.stderr.rstrip().endswith("rc=1")
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


# --- outputs never replace inputs, devices or links --------------------------------------

@pytest.mark.parametrize(("option", "name", "what"), [
    ("--out", "roster.csv", "its roster"),
    ("--json", "cpower.toml", "its cpower.toml"),
    ("--json", "collab.csv", "a survey export of wave w1"),
])
def test_an_output_never_replaces_a_study_input(run_cli, study, option, name, what):
    before = (study / name).read_bytes()
    result = run_cli("analyze", study, option, study / name)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: cannot write {study / name}: it is {what} of the study being analysed, "
        "which an output must never replace; choose another file name")
    assert "reading" in result.stderr and "computing centralities" not in result.stderr
    assert (study / name).read_bytes() == before and leftovers(study) == []


def test_weave_and_compare_check_their_outputs_before_working(run_cli, study):
    for args in (("weave", study, "--csv", study / "roster.csv"),
                 ("compare", study, "--json", study / "collab.csv")):
        result = run_cli(*args)
        assert result.exit_code == 1, result.stderr
        assert "which an output must never replace" in result.stderr
        assert "Weaver's worklist" not in result.stdout  # refused before any work
    assert (study / "roster.csv").read_text(encoding="utf-8").startswith("member_id,")


def test_a_device_or_pipe_is_never_replaced(run_cli, study, tmp_path):
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    result = run_cli("analyze", study, "--out", fifo)
    assert result.exit_code == 1
    assert "it exists and is not a regular file" in result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_symlink_is_written_through(results, tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    results.to_json(link)
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))
