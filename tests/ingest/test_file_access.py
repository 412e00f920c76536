"""What a study folder may reach (issue 14): every file a cpower.toml names must lie
inside the study folder once symlinks are followed, unless the command is given
``--allow-outside-files`` (``allow_outside_files=True`` in Python). A cpower.toml from
someone else must not make cpower read ``/etc/passwd`` and print its lines in a report
or an error message."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

import cpower_network as cp
from cpower_network.config.files import OUTSIDE_FILES, outside_files_allowed
from cpower_network.config.study import read_config
from cpower_network.errors import ConfigError

TOML = """
[study]
name = "Reach"
[roster]
file = "{roster}"
silo = "sector"
{aliases}
[relations.collaborate]
[waves.w1]
[[waves.w1.surveys]]
file = "{survey}"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "collaborate"
columns = "c_{{member}}"
"""
ROSTER = "member_id,name,sector\nm1,Ann,A\nm2,Bob,B\nm3,Cat,A\n"
SURVEY = "who,c_m1,c_m2,c_m3\nm1,,1,1\nm2,1,,0\nm3,1,1,\n"
SECRET = "who,c_m1\nSECRET LINE,1\n"
COMMANDS = [("validate",), ("analyze",), ("compare",), ("weave",),
            ("export", "--format", "json")]


def toml(roster: str = "roster.csv", survey: str = "survey.csv", aliases: str = "") -> str:
    return TOML.format(roster=roster, survey=survey,
                       aliases=f'aliases = "{aliases}"' if aliases else "")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside every study folder, holding a line no report may show."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "secret.csv").write_text(SECRET, encoding="utf-8")
    return folder / "secret.csv"


def study(make_study, **names: str) -> Path:
    return make_study(toml(**names), {"roster.csv": ROSTER, "survey.csv": SURVEY})


def the_problem(root: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        read_config(root)
    (problem,) = caught.value.problems
    return problem.message


def test_an_absolute_path_outside_the_folder_is_refused(make_study, outside):
    root = study(make_study, survey=str(outside))
    folder = root.resolve()
    assert the_problem(root) == (
        f"[[waves.w1.surveys]] #1 ({outside}) file {str(outside)!r} is outside the study "
        f"folder: it resolves to {outside}, which is not inside {folder}. A study reads "
        "only files inside its folder, so that a cpower.toml cannot bring any file of this "
        f"computer into a report. Fix: put a copy of the file in the folder (cp {outside} "
        f'{folder}/) and write file = "secret.csv", or, if you trust this cpower.toml, '
        "pass --allow-outside-files (allow_outside_files=True in Python)")


def test_system_files_are_refused_without_reading_them(make_study):
    message = the_problem(study(make_study, roster="/etc/passwd"))
    assert message.startswith("[roster] file '/etc/passwd' is outside the study folder: "
                              "it resolves to /etc/passwd")
    assert "root:" not in message


def test_a_relative_path_climbing_out_is_refused(make_study, outside):
    root = study(make_study, survey="../elsewhere/secret.csv")
    assert the_problem(root).startswith(
        "[[waves.w1.surveys]] #1 (../elsewhere/secret.csv) file '../elsewhere/secret.csv' "
        f"is outside the study folder: it resolves to {outside.resolve()}")


def test_a_symlink_out_of_the_folder_is_refused(make_study, outside):
    root = study(make_study, survey="link.csv")
    os.symlink(outside, root / "link.csv")
    message = the_problem(root)
    assert message.startswith(
        "[[waves.w1.surveys]] #1 (link.csv) file 'link.csv' is inside the study folder by "
        f"name, but a link leads outside it: it resolves to {outside.resolve()}, which is "
        f"not inside {root.resolve()}.")
    assert (f"Fix: replace the link with a copy of the file (rm {root / 'link.csv'} && cp "
            f"{outside.resolve()} {root / 'link.csv'})") in message


def test_a_linked_subfolder_leading_out_is_refused(make_study, outside):
    root = study(make_study, survey="data/secret.csv")
    os.symlink(outside.parent, root / "data")
    message = the_problem(root)
    assert "is inside the study folder by name, but a link leads outside it" in message
    assert f'(cp {outside.resolve()} {root.resolve()}/) and write file = "secret.csv"' \
        in message


def test_the_aliases_file_is_held_to_the_same_rule(make_study, outside):
    root = study(make_study, aliases=str(outside))
    assert the_problem(root).startswith(
        f"[roster] aliases file {str(outside)!r} is outside the study folder")


def test_links_and_subfolders_inside_the_folder_are_fine(make_study):
    root = study(make_study, survey="w1/link.csv")
    (root / "w1").mkdir()
    (root / "data.csv").write_text(SURVEY, encoding="utf-8")
    os.symlink(root / "data.csv", root / "w1" / "link.csv")
    assert read_config(root).waves["w1"].surveys[0].path == root / "w1" / "link.csv"


def test_a_study_reached_through_a_linked_folder_reads_its_own_files(make_study, tmp_path):
    root = study(make_study)
    os.symlink(root, tmp_path / "alias")
    assert read_config(tmp_path / "alias").roster.path == tmp_path / "alias" / "roster.csv"


@pytest.mark.parametrize(("name", "reason"), [
    ("loop.csv", "symlink loop"), ("a\\u0000b", "embedded null byte")])
def test_paths_that_cannot_be_followed_are_config_errors(make_study, name, reason):
    root = study(make_study, survey=name)
    if name == "loop.csv":
        os.symlink("loop.csv", root / "loop.csv")
    message = the_problem(root)
    assert f"cannot be followed to a file ({reason}" in message
    assert message.endswith(f"give the path of a file inside the study folder {root}")


def test_a_name_too_long_for_the_file_system_is_a_missing_file(make_study):
    name = "a" * 300 + ".csv"
    message = the_problem(study(make_study, survey=name))
    assert message.startswith(f"[[waves.w1.surveys]] #1 ({name}) file {name!r} does not "
                              "exist in ")


def test_python_callers_may_allow_outside_files(make_study, outside):
    root = study(make_study, survey=str(outside))
    with pytest.raises(ConfigError):
        cp.load_study(root)
    loaded = cp.load_study(root, allow_outside_files=True)
    assert loaded.config.waves["w1"].surveys[0].path == outside
    with outside_files_allowed():
        assert read_config(root).waves["w1"].surveys[0].path == outside
    assert OUTSIDE_FILES.get() is False
    # an explicit False wins over the context
    with pytest.raises(ConfigError), outside_files_allowed():
        read_config(root, allow_outside_files=False)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_every_command_refuses_outside_files(make_study, run_cli, outside, command):
    root = study(make_study, survey=str(outside))
    result = run_cli(command[0], root, *command[1:])
    assert result.exit_code == 2
    assert f"[[waves.w1.surveys]] #1 ({outside}) file {str(outside)!r} is outside the " \
        "study folder" in result.stderr
    assert "SECRET LINE" not in result.output


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_every_command_that_loads_a_study_has_the_option(run_cli, command):
    result = run_cli(command[0], "--help")
    assert "--allow-outside-files" in result.stdout
    assert "Let cpower.toml name files outside the study folder" in " ".join(
        result.stdout.split())


def test_the_option_lets_one_command_read_outside_files(make_study, run_cli, outside):
    survey = outside.parent / "survey.csv"
    survey.write_text(SURVEY, encoding="utf-8")
    root = study(make_study, survey=str(survey))
    allowed = run_cli("validate", root, "--allow-outside-files")
    assert allowed.exit_code == 0, allowed.output
    assert "No problems found" in allowed.stdout
    # the option lasts for that one command only
    assert OUTSIDE_FILES.get() is False
    again = run_cli("validate", root)
    assert again.exit_code == 2 and "is outside the study folder" in again.stderr


def test_init_from_outside_files_writes_a_study_that_passes_the_rule(tmp_path, run_cli):
    """``cpower init --from`` copies files from outside into the folder (a link in the
    folder leading out counts as outside), so its cpower.toml names only files inside."""
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (exports / "survey.csv").write_text(SURVEY.replace("c_m", "Collaborate: m"),
                                        encoding="utf-8")
    root = tmp_path / "made"
    root.mkdir()
    os.symlink(exports / "survey.csv", root / "linked.csv")
    made = run_cli("init", root, "--roster", exports / "roster.csv", "--from",
                   root / "linked.csv", "--wave", "w1")
    assert made.exit_code == 0, made.output
    written = tomllib.loads((root / "cpower.toml").read_text(encoding="utf-8"))
    files = [written["roster"]["file"],
             *(s["file"] for w in written["waves"].values() for s in w["surveys"])]
    assert files == ["roster.csv", "w1/linked.csv"]   # copies, named as given
    for name in files:
        path = (root / name).resolve()
        assert path.is_relative_to(root.resolve()) and not (root / name).is_symlink()
    checked = run_cli("validate", root)
    assert "is outside the study folder" not in checked.stderr
    assert checked.exit_code in (0, 1), checked.output   # data problems, if any, are data
