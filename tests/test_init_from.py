"""``cpower init STUDY --roster … --from …``: a cpower.toml written from the exports.

For each platform a tiny roster and export are written here (never read from elsewhere),
``init --from`` writes the TOML, ``validate`` accepts it, and the ties it reads equal
the ties a hand-written cpower.toml reads from the same files. Then: numeric-code
exports are flagged, nothing is ever overwritten, and bad input stops with exit 2.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import cpower_network as cp
from cpower_network.cli.commands import main
from cpower_network.init.model import Registry
from cpower_network.init.naming import match_item, relation_kind
from cpower_network.init.scales import FAMILIES, ScaleGuess, classify
from cpower_network.init.toml_writer import Writer, _relation

ROSTER = """member_id,name,sector,lived_experience,region
m1,Ana Ruiz,Parents,yes,North
m2,"Robert Lee, Jr.",Providers,no,South
m3,José Núñez,Parents,yes,North
m4,Kim Tran,Funders,no,South
m5,Mai Vang,Advocates,yes,North
m6,Omar Siddiqui,Providers,no,South
"""
NAMES = ["Ana Ruiz", "Robert Lee, Jr.", "José Núñez", "Kim Tran", "Mai Vang", "Omar Siddiqui"]
IDS = ["m1", "m2", "m3", "m4", "m5", "m6"]
FREQUENCY = '{ "Never" = 0, "A few times a year" = 1, "Monthly" = 2, "Weekly" = 3 }'
AGREE = ('{ "Strongly disagree" = 1, "Disagree" = 2, "Neither agree nor disagree" = 3, '
         '"Agree" = 4, "Strongly agree" = 5 }')
TIES = ["relation", "respondent", "alter", "value"]
#: Working together is mutual by nature: by hand it is written undirected.
COLLABORATE = '[relations.collaborate]\nscale = "freq"\ndirection = "undirected"'


def csv_text(rows: list[list[str]], delimiter: str = ",", quote_all: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n",
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return buffer.getvalue()


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def hand_toml(file: str, respondent: str, scales: str, relations: str, questions: str) -> str:
    return (f'[study]\nname = "hand"\n\n[roster]\nfile = "roster.csv"\nsilo = "sector"\n\n'
            f"[scales]\n{scales}\n\n{relations}\n\n[waves.2025]\n[[waves.2025.surveys]]\n"
            f'file = "2025/{file}"\nrespondent = "{respondent}"\n\n{questions}\n')


def frame(study, name: str, columns: list[str]):
    table = getattr(study.waves["2025"], name)[columns]
    return table.sort_values(columns).reset_index(drop=True)


def init_and_compare(tmp_path: Path, file: str, content: str | bytes, hand: str,
                     *extra: object, frames=(("ties", TIES),)) -> tuple[dict, str]:
    """Run init --from on ``file``, validate it, compare with ``hand``; return the parsed
    TOML and the command's stdout."""
    source = tmp_path / "exports"
    source.mkdir()
    (source / "roster.csv").write_text(ROSTER, encoding="utf-8")
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    (source / file).write_bytes(data)
    study = tmp_path / "study"
    result = invoke("init", study, "--roster", source / "roster.csv", "--from", source / file,
                    "--wave", "2025", *extra)
    assert result.exit_code == 0, result.output + repr(result.exception)
    text = (study / "cpower.toml").read_text(encoding="utf-8")
    checked = invoke("validate", study)
    assert checked.exit_code == 0, text + checked.output
    assert "No problems found" in checked.stdout or "No errors" in checked.stdout
    handmade = tmp_path / "hand"
    (handmade / "2025").mkdir(parents=True)
    (handmade / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (handmade / "2025" / file).write_bytes(data)
    (handmade / "cpower.toml").write_text(hand, encoding="utf-8")
    generated, expected = cp.load_study(study), cp.load_study(handmade)
    assert expected.quality.ok, expected.quality.errors
    for name, columns in frames:
        found, wanted = frame(generated, name, columns), frame(expected, name, columns)
        assert len(wanted) > 0
        assert found.equals(wanted), f"{name}:\n{found}\n{wanted}"
    for key, relation in expected.config.relations.items():   # read as by hand
        made = generated.config.relations[key]
        assert (made.direction, made.reciprocity, made.role) == \
            (relation.direction, relation.reciprocity, relation.role), key
        assert not made.role_inferred, key                    # written, not guessed
    return tomllib.loads(text), result.stdout


def questions(parsed: dict) -> list[dict]:
    return [q for s in parsed["waves"]["2025"]["surveys"] for q in s["questions"]]


# --- one export per platform --------------------------------------------------------------

def qualtrics_export() -> str:
    grid = [f"How often do you work with each member? - {n}" for n in NAMES]
    ids = ["StartDate", "EndDate", "Status", "Progress", "Finished", "RecordedDate",
           "ResponseId", "ExternalReference", *[f"Q1_{i}" for i in range(1, 7)],
           "Q2_1", "Q2_2", "Q3"]
    texts = ["Start Date", "End Date", "Response Type", "Progress", "Finished",
             "Recorded Date", "Response ID", "External Data Reference", *grid,
             "Whom do you go to for advice? - 1", "Whom do you go to for advice? - 2",
             "Whose opinion carries the most weight? - Selected Choice"]
    imports = [json.dumps({"ImportId": i}) for i in ids]
    meta = ["2025-03-01 09:00", "2025-03-01 09:10", "IP Address", "100", "True",
            "2025-03-01 09:10"]
    rows = [
        [*meta, "R_1", "m1", "", "Weekly", "Monthly", "Never", "A few times a year",
         "Weekly", "kim tran", "Jose Nunez", "Robert Lee, Jr.,Kim Tran"],
        [*meta[:2], "Survey Preview", *meta[3:], "R_2", "", *["Weekly"] * 6, "test", "",
         ""],
        [*meta, "R_3", "m2", "Weekly", "", "Never", "Monthly", "Weekly",
         "A few times a year", "ANA RUIZ", "", "Ana Ruiz"],
        [*meta, "R_4", "m4", "Monthly", "Monthly", "Weekly", "", "Never", "Never",
         "Mai Vang", "Omar Siddiqui", "Mai Vang,Omar Siddiqui"],
    ]
    return csv_text([ids, texts, imports, *rows])


def test_qualtrics_three_header_rows(tmp_path):
    hand = hand_toml(
        "qualtrics.csv", "ExternalReference", f"freq = {FREQUENCY}",
        f"{COLLABORATE}\n[relations.advice]\n[relations.influence]",
        '[[waves.2025.surveys.questions]]\nshape = "matrix"\nrelation = "collaborate"\n'
        'columns = "How often do you work with each member? - {member}"\n'
        '[[waves.2025.surveys.questions]]\nshape = "name_generator"\nrelation = "advice"\n'
        'columns = ["Q2_1", "Q2_2"]\n'
        '[[waves.2025.surveys.questions]]\nshape = "multi_select"\nrelation = "influence"\n'
        'column = "Q3"\nseparator = ","')
    parsed, stdout = init_and_compare(tmp_path, "qualtrics.csv", qualtrics_export(), hand)
    survey = parsed["waves"]["2025"]["surveys"][0]
    assert survey["platform"] == "qualtrics" and survey["respondent"] == "ExternalReference"
    assert survey["timestamp"] == "RecordedDate"
    assert [q["shape"] for q in questions(parsed)] == ["matrix", "name_generator",
                                                       "multi_select"]
    assert parsed["scales"]["frequency"] == {"Never": 0, "A few times a year": 1,
                                             "Monthly": 2, "Weekly": 3}
    assert parsed["relations"]["collaborate"] == {
        "label": "Work together", "scale": "frequency", "role": "collaboration",
        "direction": "undirected"}
    assert parsed["relations"]["advice"]["role"] == "advice"
    assert "direction" not in parsed["relations"]["advice"]      # directed by default
    assert questions(parsed)[2] == {"shape": "multi_select", "relation": "influence",
                                    "column": "Q3", "separator": ","}
    assert "'test'" not in stdout  # the preview row is not taken for data
    assert ('  matrix         collaborate    6 columns "How often do you work with each '
            'member? - <name>", 4 labels') in stdout


def test_google_forms(tmp_path):
    header = ["Timestamp", "Email Address", "Your name",
              *[f"How much do you trust each member? [{n}]" for n in NAMES],
              "Whose opinion carries the most weight?", "Person you go to for advice #1",
              "Person you go to for advice #2"]
    rows = [
        ["2025/03/04 9:30:00 AM GMT+1", "ana@example.org", "Ana Ruiz", "", "A lot",
         "Somewhat", "Not at all", "A little", "A lot", "Robert Lee, Jr., Kim Tran",
         "Jose Nunez", "Mai Vang"],
        ["2025/03/04 9:40:00 AM GMT+1", "kim@example.org", "kim tran", "A little",
         "Somewhat", "", "", "A lot", "Not at all", "Ana Ruiz, Robert Lee, Jr., José Núñez",
         "Robert Lee, Jr.", ""],
        ["2025/03/04 9:50:00 AM GMT+1", "omar@example.org", "Omar Siddiqui", "Somewhat",
         "A lot", "A little", "Not at all", "Somewhat", "", "Mai Vang", "Ana Ruiz",
         "Kim Tran"],
    ]
    hand = hand_toml(
        "forms.csv", "Your name",
        'trust = { "Not at all" = 1, "A little" = 2, "Somewhat" = 3, "A lot" = 4 }',
        '[relations.trust]\nscale = "trust"\n[relations.advice]\n[relations.influence]',
        '[[waves.2025.surveys.questions]]\nshape = "matrix"\nrelation = "trust"\n'
        'columns = "How much do you trust each member? [{member}]"\n'
        '[[waves.2025.surveys.questions]]\nshape = "multi_select"\nrelation = "influence"\n'
        'column = "Whose opinion carries the most weight?"\nseparator = ", "\n'
        '[[waves.2025.surveys.questions]]\nshape = "name_generator"\nrelation = "advice"\n'
        'columns = ["Person you go to for advice #1", "Person you go to for advice #2"]')
    parsed, _ = init_and_compare(tmp_path, "forms.csv", csv_text([header, *rows]), hand)
    survey = parsed["waves"]["2025"]["surveys"][0]
    assert survey["platform"] == "google_forms" and survey["respondent"] == "Your name"
    found = questions(parsed)
    assert found[0]["columns"] == "How much do you trust each member? [{member}]"
    assert found[1]["separator"] == ", "
    assert found[2]["columns"] == ["Person you go to for advice #1",
                                   "Person you go to for advice #2"]
    assert parsed["scales"]["extent"] == {"Not at all": 1, "A little": 2, "Somewhat": 3,
                                          "A lot": 4}


def test_surveymonkey_two_header_rows(tmp_path):
    blank = [""] * 5
    first = ["Respondent ID", "Collector ID", "Start Date", "End Date", "Email Address",
             "Which member are you?", "How often do you work with each member?", *blank,
             "Whose opinion carries the most weight? (select all that apply)", *blank,
             "Whom do you go to for advice?", ""]
    second = ["", "", "", "", "", "Response", *NAMES, *NAMES, "Name 1", "Name 2"]
    rows = [
        ["101", "9", "05/01/2025 09:00 AM", "05/01/2025 09:10 AM", "", "Ana Ruiz", "",
         "Weekly", "Monthly", "Never", "A few times a year", "Weekly", "",
         "Robert Lee, Jr.", "", "Kim Tran", "", "", "Kim Tran", "robert lee, jr."],
        ["102", "9", "05/01/2025 10:00 AM", "05/01/2025 10:04 AM", "", "Kim Tran",
         "Monthly", "Weekly", "Never", "", "Monthly", "Never", "Ana Ruiz", "", "José Núñez",
         "", "", "", "José Núñez", ""],
    ]
    hand = hand_toml(
        "monkey.csv", "Which member are you?", f"freq = {FREQUENCY}",
        f"{COLLABORATE}\n[relations.advice]\n[relations.influence]",
        '[[waves.2025.surveys.questions]]\nshape = "matrix"\nrelation = "collaborate"\n'
        'columns = "How often do you work with each member? - {member}"\n'
        '[[waves.2025.surveys.questions]]\nshape = "multi_select"\nrelation = "influence"\n'
        'columns = "Whose opinion carries the most weight? (select all that apply) - '
        '{member}"\n'
        '[[waves.2025.surveys.questions]]\nshape = "name_generator"\nrelation = "advice"\n'
        'columns = ["Whom do you go to for advice? - Name 1", '
        '"Whom do you go to for advice? - Name 2"]')
    parsed, _ = init_and_compare(tmp_path, "monkey.csv", csv_text([first, second, *rows]),
                                 hand)
    assert parsed["waves"]["2025"]["surveys"][0]["platform"] == "surveymonkey"
    assert [(q["shape"], q["relation"]) for q in questions(parsed)] == [
        ("matrix", "collaborate"), ("multi_select", "influence"),
        ("name_generator", "advice")]


def test_kobotoolbox_semicolons_and_group_prefixes(tmp_path):
    header = ["start", "end", "intro/member_id", *[f"network/collab_{m}" for m in IDS],
              "network/weight", *[f"network/weight/{m}" for m in IDS], "_id", "_uuid",
              "_submission_time", "_index"]

    def row(member, collab, chosen, number):
        ticks = ["1" if m in chosen else "0" for m in IDS]
        return ["2025-05-01T09:00:00", "2025-05-01T09:07:00", member, *collab,
                " ".join(chosen), *ticks, str(number), f"uuid-{number}",
                "2025-05-01T07:07:30", str(number)]

    rows = [row("m1", ["", "weekly", "monthly", "never", "a few times a year", "weekly"],
                ["m2", "m4"], 1),
            row("m3", ["monthly", "", "", "weekly", "never", "monthly"], ["m1", "m6"], 2)]
    hand = hand_toml(
        "kobo.csv", "member_id", f"freq = {FREQUENCY}",
        f"{COLLABORATE}\n[relations.influence]",
        '[[waves.2025.surveys.questions]]\nshape = "matrix"\nrelation = "collaborate"\n'
        'columns = "network/collab_{member}"\n'
        '[[waves.2025.surveys.questions]]\nshape = "multi_select"\nrelation = "influence"\n'
        'columns = "network/weight/{member}"')
    content = csv_text([header, *rows], delimiter=";", quote_all=True)
    parsed, _ = init_and_compare(tmp_path, "kobo.csv", content, hand)
    survey = parsed["waves"]["2025"]["surveys"][0]
    assert survey["platform"] == "kobotoolbox" and survey["respondent"] == "intro/member_id"
    # the one-cell column holds the same answers as the per-choice columns: read once
    assert [q.get("columns") for q in questions(parsed)] == [
        "network/collab_{member}", "network/weight/{member}"]


def xlsx_export() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Respondent", *[f"Do you know each member? [{n}]" for n in NAMES],
                  "Were you involved in the budget decision?",
                  *[f"Whose input shaped the budget decision? - {n}" for n in NAMES],
                  "My input shaped the outcome of the budget decision",
                  "I can state our shared vision"])
    sheet.append(["Ana Ruiz", False, True, True, False, None, True, "Yes",
                  None, 1, None, 1, None, None, "Strongly agree", "Agree"])
    sheet.append(["Kim Tran", True, False, True, None, True, False, "No",
                  1, None, None, None, None, None, "Strongly disagree", "Disagree"])
    sheet.append(["Mai Vang", True, True, False, True, None, True, "Yes",
                  None, None, 1, 1, None, 1, "Neither agree nor disagree", "Agree"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_ticks_decision_and_perceptions(tmp_path):
    hand = hand_toml(
        "plain.xlsx", "Respondent", f"agree = {AGREE}",
        '[relations.know]\ndirection = "undirected"',
        '[[waves.2025.surveys.questions]]\nshape = "multi_select"\nrelation = "know"\n'
        'columns = "Do you know each member? [{member}]"\n'
        '[[waves.2025.surveys.questions]]\nshape = "decision"\ndecision = "budget"\n'
        'involved = "Were you involved in the budget decision?"\n'
        'columns = "Whose input shaped the budget decision? - {member}"\n'
        'voice = "My input shaped the outcome of the budget decision"\nscale = "agree"\n'
        '[[waves.2025.surveys.questions]]\nshape = "perceptions"\nscale = "agree"\n'
        'items = { shared_vision = "I can state our shared vision" }')
    parsed, stdout = init_and_compare(
        tmp_path, "plain.xlsx", xlsx_export(), hand,
        frames=(("ties", TIES), ("decisions", ["respondent", "named", "involvement"]),
                ("participation", ["respondent", "involvement", "voice"]),
                ("perceptions", ["item", "respondent", "value"])))
    found = questions(parsed)
    assert [q["shape"] for q in found] == ["multi_select", "decision", "perceptions"]
    assert found[1]["decision"] == "budget_decision" and found[1]["scale"] == "agree"
    assert found[2]["items"] == {"shared_vision": "I can state our shared vision"}
    assert parsed["relations"]["know"]["scale"] == "tie"
    assert "  decision       budget_decision" in stdout


@pytest.mark.parametrize("wave", ["2024", "2025"])
def test_the_bundled_example_is_described_as_by_hand(tmp_path, wave):
    """The example's Qualtrics (2024) and Google Forms (2025) waves, read from a TOML that
    init wrote, give the ties, perceptions and decisions of the hand-written one (once
    its aliases, which init never guesses, are added)."""
    example = cp.example_study_path()
    exports = [example / wave / f"{n}_survey.csv" for n in ("relationship", "decision",
                                                           "pulse")]
    study = tmp_path / "study"
    args = [a for path in exports for a in ("--from", path)]
    result = invoke("init", study, "--roster", example / "roster.csv", *args, "--wave", wave,
                    "--focus", "lived_experience", "--focus", "grassroots")
    assert result.exit_code == 0, result.output
    aliases = tomllib.loads((example / "cpower.toml").read_text(encoding="utf-8"))["aliases"]
    lines = "".join(f"{json.dumps(k)} = {json.dumps(v)}\n" for k, v in aliases.items())
    config = study / "cpower.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[aliases]\n",
                                                                 "[aliases]\n" + lines),
                      encoding="utf-8")
    generated, expected = cp.load_study(study), cp.load_study(example)
    assert generated.quality.ok, generated.quality.errors[:3]
    for name, columns in (("ties", TIES), ("perceptions", ["item", "respondent", "value"]),
                          ("decisions", ["respondent", "named", "involvement"]),
                          ("participation", ["respondent", "involvement", "voice"])):
        found = getattr(generated.waves[wave], name)[columns]
        wanted = getattr(expected.waves[wave], name)[columns]
        if name == "participation" and wave == "2025":  # voice: numbers, left to CHECK
            found, wanted = found.drop(columns="voice"), wanted.drop(columns="voice")
        found = found.sort_values(list(found.columns)).reset_index(drop=True)
        wanted = wanted.sort_values(list(wanted.columns)).reset_index(drop=True)
        assert found.equals(wanted), name


# --- what must be checked by a person -----------------------------------------------------

def test_numeric_codes_are_flagged_never_read_as_values(tmp_path):
    ids = ["ResponseId", "ExternalReference", *[f"Q1_{i}" for i in range(1, 7)], "Q2_1"]
    texts = ["Response ID", "External Data Reference",
             *[f"How often do you work with each member? - {n}" for n in NAMES],
             "Whom do you go to for advice? - 1"]
    imports = [json.dumps({"ImportId": i}) for i in ids]
    rows = [["R_1", "m1", "", "4", "3", "1", "2", "4", "Kim Tran"],
            ["R_2", "m2", "4", "", "1", "3", "4", "2", "Ana Ruiz"]]
    source = tmp_path / "numeric.csv"
    source.write_text(csv_text([ids, texts, imports, *rows]), encoding="utf-8")
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    study = tmp_path / "study"
    result = invoke("init", study, "--roster", tmp_path / "roster.csv", "--from", source)
    assert result.exit_code == 0, result.output
    text = (study / "cpower.toml").read_text(encoding="utf-8")
    assert "# CHECK: the export holds numeric codes (1, 2, 3, 4)" in text
    assert "re-export" in text.casefold() or "Re-export" in text
    parsed = tomllib.loads(text)
    assert all(q["shape"] != "matrix" for s in parsed["waves"]["wave1"]["surveys"]
               for q in s["questions"])
    assert not any("1" in labels for labels in parsed["scales"].values())
    assert "collaborate" not in parsed["relations"]
    assert "CHECK: the export holds numeric codes" in result.stderr
    assert invoke("validate", study).exit_code == 0


def test_names_nobody_on_the_roster_are_left_for_validation(tmp_path):
    header = ["Timestamp", "Your name",
              *[f"Work with? [{n}]" for n in [*NAMES, "Zoe Nobody"]]]
    rows = [["2025/01/01 9:00", "Ana Ruiz", "", "Weekly", "Never", "Monthly", "Never",
             "Weekly", "Monthly"]]
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (tmp_path / "forms.csv").write_text(csv_text([header, *rows]), encoding="utf-8")
    study = tmp_path / "study"
    result = invoke("init", study, "--roster", tmp_path / "roster.csv",
                    "--from", tmp_path / "forms.csv")
    assert result.exit_code == 0, result.output
    assert "not on the roster (left for validation): 'Zoe Nobody'" in result.stdout
    parsed = tomllib.loads((study / "cpower.toml").read_text(encoding="utf-8"))
    assert parsed["waves"]["wave1"]["surveys"][0]["questions"][0]["columns"] == \
        "Work with? [{member}]"
    assert "Zoe Nobody" not in parsed.get("aliases", {})  # never guesses a person
    checked = invoke("validate", study)
    assert checked.exit_code == 1 and "Zoe Nobody" in checked.output


# --- files: copied, never overwritten ---------------------------------------------------

@pytest.fixture
def simple(tmp_path) -> tuple[Path, Path]:
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    header = ["Timestamp", "Your name", *[f"Who do you trust? [{n}]" for n in NAMES]]
    row = ["2025/01/01 9:00", "Kim Tran", "A lot", "A little", "Not at all", "", "Somewhat",
           "A lot"]
    (tmp_path / "forms.csv").write_text(csv_text([header, row]), encoding="utf-8")
    return tmp_path / "roster.csv", tmp_path / "forms.csv"


def test_existing_cpower_toml_is_never_overwritten(tmp_path, simple):
    roster, export = simple
    study = tmp_path / "study"
    study.mkdir()
    (study / "cpower.toml").write_text("# mine\n", encoding="utf-8")
    (study / "roster.csv").write_text("member_id,name\nx,Someone Else\n", encoding="utf-8")
    result = invoke("init", study, "--roster", roster, "--from", export)
    assert result.exit_code == 0, result.output
    assert (study / "cpower.toml").read_text(encoding="utf-8") == "# mine\n"
    assert (study / "roster.csv").read_text(encoding="utf-8").endswith("Someone Else\n")
    generated = tomllib.loads((study / "cpower.generated.toml").read_text(encoding="utf-8"))
    assert generated["roster"]["file"] == "roster-2.csv"
    assert (study / "roster-2.csv").read_text(encoding="utf-8") == ROSTER
    assert "cpower.toml already existed and was left as it is" in result.stdout
    assert invoke("validate", study / "cpower.generated.toml").exit_code == 0
    again = invoke("init", study, "--roster", roster, "--from", export)
    assert again.exit_code == 2
    assert "already has cpower.toml and cpower.generated.toml" in again.stderr
    assert (study / "cpower.toml").read_text(encoding="utf-8") == "# mine\n"


def test_files_inside_the_study_are_used_where_they_are(tmp_path, simple):
    roster, export = simple
    result = invoke("init", tmp_path, "--roster", roster, "--from", export, "--wave", "2025")
    assert result.exit_code == 0, result.output
    parsed = tomllib.loads((tmp_path / "cpower.toml").read_text(encoding="utf-8"))
    assert parsed["roster"]["file"] == "roster.csv"
    assert parsed["waves"]["2025"]["surveys"][0]["file"] == "forms.csv"
    assert not (tmp_path / "2025").exists()


def test_focus_groups_and_silo(tmp_path, simple):
    roster, export = simple
    study = tmp_path / "study"
    result = invoke("init", study, "--roster", roster, "--from", export, "--silo", "sector",
                    "--focus", "lived_experience", "--focus", "region=North")
    assert result.exit_code == 0, result.output
    text = (study / "cpower.toml").read_text(encoding="utf-8")
    parsed = tomllib.loads(text)
    assert parsed["roster"]["silo"] == "sector"
    assert parsed["focus_groups"] == {
        "lived_experience": {"column": "lived_experience", "label": "Lived experience"},
        "region_north": {"column": "region", "label": "Region: North", "values": ["North"]}}
    assert invoke("validate", study).exit_code == 0
    loaded = cp.load_study(study)
    north = loaded.roster["region_north"]
    assert north.sum() == (loaded.roster["region"].str.casefold() == "north").sum() > 0


# --- errors: one clear line, exit 2 -----------------------------------------------------

def test_unreadable_export_stops_with_exit_2(tmp_path, simple):
    roster, _ = simple
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    study = tmp_path / "study"
    result = invoke("init", study, "--roster", roster, "--from", broken)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if not line.startswith("…")]
    assert len(errors) == 1
    assert errors[0].startswith(f"Error: cannot read {broken}: not a readable XLSX")
    assert "Traceback" not in result.output and not study.exists()


@pytest.mark.parametrize("args, message", [
    (("--from", "missing.csv", "--roster", "roster.csv"), "--from missing.csv: no such file"),
    (("--from", "forms.csv"), "--from needs --roster"),
    (("--roster", "roster.csv"), "--roster only go with --from EXPORT"),
    (("--from", "forms.csv", "--roster", "roster.csv", "--silo", "nope"),
     "--silo nope: the roster"),
    (("--from", "forms.csv", "--roster", "roster.csv", "--force"), "--force does not go"),
    (("--from", "forms.csv", "--roster", "roster.csv", "--wave", "a b"), "--wave 'a b'"),
])
def test_usage_errors(tmp_path, simple, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = invoke("init", "study", *args)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if not line.startswith("…")]
    assert len(errors) == 1 and errors[0].startswith("Error: ") and message in errors[0]


def test_help_shows_examples():
    out = invoke("init", "--help").stdout
    assert "cpower init my-study/ --roster members.csv --from relationships.csv" in out
    assert "--focus COLUMN[=VALUES|<=N|>=N]" in out


# --- the guesses themselves -------------------------------------------------------------

@pytest.mark.parametrize("text, key", [
    ("How often do you work with each member?", "collaborate"),
    ("How much do you trust each member you work with?", "trust"),
    ("Whom do you go to for advice?", "advice"),
    ("Whose opinion carries the most weight?", "influence"),
    ("Who shares funding or resources with you?", "resources"),
    ("Which members do you know?", "know"),
])
def test_relation_names(text, key):
    assert relation_kind(text).key == key


def test_scales_follow_their_natural_order():
    cells = ["Weekly", "never", "A few times a year", "Monthly"]
    scale = ScaleGuess("frequency", FAMILIES[0])
    scale.add(classify((c, ()) for c in cells), "grid")
    assert scale.ordered() == [("never", 0), ("A few times a year", 1), ("Monthly", 2),
                               ("Weekly", 3)]
    assert scale.checks() == []


def test_perception_items_need_a_clear_match():
    assert match_item("Please rate: - People in the coalition are authentic and honest") \
        == ("authenticity", 93)
    assert match_item("Meetings start on time") is None


# --- direction and role of the relations written ------------------------------------------

def test_the_collaborate_grid_is_written_undirected_with_its_role(tmp_path):
    """A mutual relation is written as ``direction = "undirected"`` (with a comment saying
    how its reports are combined), never as ``symmetric = true``; every relation init
    names gets its evidence role."""
    source = tmp_path / "exports"
    source.mkdir()
    (source / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (source / "qualtrics.csv").write_text(qualtrics_export(), encoding="utf-8")
    result = invoke("init", tmp_path / "study", "--roster", source / "roster.csv",
                    "--from", source / "qualtrics.csv", "--wave", "2025")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "study" / "cpower.toml").read_text(encoding="utf-8")
    table = text[text.index("[relations.collaborate]"):text.index("[relations.advice]")]
    lines = table.splitlines()
    assert 'direction = "undirected"' in lines
    assert any(line.startswith('role = "collaboration"') for line in lines)
    assert "symmetric" not in text
    comment = " ".join(line[2:] for line in lines if line.startswith("# "))
    assert 'combined by reciprocity = "either"' in comment
    relations = cp.load_study(tmp_path / "study").config.relations
    assert (relations["collaborate"].direction, relations["collaborate"].reciprocity) == \
        ("undirected", "either")
    assert {k: (r.role, r.role_inferred) for k, r in relations.items()} == {
        "collaborate": ("collaboration", False), "advice": ("advice", False),
        "influence": ("influence", False)}


@pytest.mark.parametrize("text, role, undirected", [
    ("How often do you work with each member?", "collaboration", True),
    ("Which members do you know?", "knows", True),
    ("How much do you trust each member?", "trust", False),
    ("Whom do you go to for advice?", "advice", False),
    ("Whose opinion carries the most weight?", "influence", False),
    ("Who shares funding or resources with you?", "resources", False),
])
def test_each_known_relation_gets_its_role(text, role, undirected):
    registry = Registry()
    relation = registry.relation_for(text, "tie")
    out = Writer()
    _relation(out, relation, {})
    assert f'role = "{role}"' in out.text()
    assert ('direction = "undirected"' in out.text()) is undirected
    assert "# CHECK" not in out.text()


def test_a_relation_without_a_role_is_flagged():
    """Information sharing and unrecognised questions play no role: a CHECK says which
    roles there are and that indicators need one; no role line is written."""
    registry = Registry()
    for text in ("Who do you share information with?", "Who would you call in a crisis?"):
        out = Writer()
        _relation(out, registry.relation_for(text, "tie"), {})
        written = out.text()
        assert "role =" not in written.replace('role = "…"', "")
        check = " ".join(line[2:].strip() for line in written.splitlines()
                         if line.startswith("# "))
        assert "indicators find their evidence by role (collaboration, trust, advice, " \
               "influence, resources, knows, value)" in check
        assert tomllib.loads(written)  # still valid TOML


def test_a_second_relation_with_the_same_role_is_flagged():
    registry = Registry()
    roles: dict[str, str] = {}
    first, second = Writer(), Writer()
    _relation(first, registry.relation_for("How much do you trust each member?", "tie"),
              roles)
    _relation(second, registry.relation_for("How much do you trust each member?", "extent"),
              roles)
    assert "# CHECK" not in first.text()
    assert "# CHECK: [relations.trust] plays this role too" in second.text()
    assert 'role = "trust"' in second.text()


@pytest.mark.parametrize("spelling", ["names", "mixed"])
def test_kobotoolbox_choice_names_become_codes_of_their_labels(tmp_path, spelling):
    # KoboToolbox's default export writes choice names: a_few_times_a_year for the label
    # "A few times a year"; "mixed" has labels in one response and names in the other
    header = ["start", "intro/member_id", *[f"network/collab_{m}" for m in IDS], "_uuid"]
    first = ["", "weekly", "monthly", "never", "a_few_times_a_year", "weekly"]
    second = ["monthly", "", "", "weekly", "never", "a_few_times_a_year"]
    if spelling == "mixed":
        first = ["", "Weekly", "Monthly", "Never", "A few times a year", "Weekly"]
    rows = [["2025-05-01T09:00:00", "m1", *first, "u1"],
            ["2025-05-01T09:05:00", "m3", *second, "u2"]]
    scale = ('freq = { labels = ' + FREQUENCY +
             ', codes = { a_few_times_a_year = "A few times a year" } }')
    hand = hand_toml("kobo.csv", "member_id", scale, COLLABORATE,
                     '[[waves.2025.surveys.questions]]\nshape = "matrix"\n'
                     'relation = "collaborate"\ncolumns = "network/collab_{member}"')
    content = csv_text([header, *rows], delimiter=";", quote_all=True)
    parsed, _ = init_and_compare(tmp_path, "kobo.csv", content, hand)
    (written,) = parsed["scales"].values()
    assert written["codes"] == {"a_few_times_a_year": "A few times a year"}
    numbers = {label.casefold(): value for label, value in written["labels"].items()}
    assert numbers == {"never": 0, "a few times a year": 1, "monthly": 2, "weekly": 3}


def test_focus_by_a_numeric_threshold(tmp_path, simple):
    roster, export = simple
    levels = roster.read_text(encoding="utf-8").splitlines()
    levels = [levels[0] + ",LEVEL"] + [f"{line},{i}" for i, line in
                                        enumerate(levels[1:], start=1)]
    roster.write_text("\n".join(levels) + "\n", encoding="utf-8")
    study = tmp_path / "study"
    result = invoke("init", study, "--roster", roster, "--from", export,
                    "--focus", "LEVEL<=2", "--focus", "LEVEL >= 5")
    assert result.exit_code == 0, result.output
    parsed = tomllib.loads((study / "cpower.toml").read_text(encoding="utf-8"))
    groups = {g["column"] + str(g.get("at_most", g.get("at_least"))): g
              for g in parsed["focus_groups"].values()}
    assert groups["LEVEL2"]["at_most"] == 2 and groups["LEVEL5"]["at_least"] == 5
    assert invoke("validate", study).exit_code == 0
    loaded = cp.load_study(study)
    keys = list(parsed["focus_groups"])
    assert [int(loaded.roster[k].sum()) for k in keys] == [2, len(levels) - 5]
