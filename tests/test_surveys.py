"""The ready-to-field instruments in ``surveys/``.

(a) every XLSForm is well formed by the XLSForm spec (https://xlsform.org) and rebuilds
    byte for byte from ``surveys/build_xlsforms.py``;
(b) the CSV templates, the XLSForms and ``surveys/cpower.toml`` agree on every column,
    scale and perception item;
(c) cpower reads the templates (``load_study``, ``cpower validate``), and reads what
    KoboToolbox exports from the XLSForms (simulated exports).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import cpower_network
from cpower_network.config.perception_items import DEFAULT_ITEMS
from cpower_network.config.study import read_config

SURVEYS = Path(__file__).resolve().parents[1] / "surveys"
FORMS = ("01_relationship_survey", "02_decision_survey", "03_pulse_survey",
         "04_member_profile")
TEMPLATES = {form: SURVEYS / f"{form}_template.csv" for form in FORMS}
ROSTER = SURVEYS / "roster_template.csv"

# XLSForm: names start with a letter or "_" and hold letters, digits, "-", "_" and "."
# (and, being XML element names, do not start with "xml").
XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
REFERENCE = re.compile(r"\$\{([^}]*)\}")
EXPRESSION_COLUMNS = ("label", "hint", "relevant", "constraint", "constraint_message",
                      "choice_filter", "calculation", "repeat_count", "required", "default")
BEGIN = {"begin_group": "group", "begin group": "group",
         "begin_repeat": "repeat", "begin repeat": "repeat"}
END = {"end_group": "group", "end group": "group",
       "end_repeat": "repeat", "end repeat": "repeat"}
#: Question types of the XLSForm spec (those taking a list are checked separately).
PLAIN_TYPES = {"integer", "decimal", "range", "text", "note", "geopoint", "geotrace",
               "geoshape", "date", "time", "dateTime", "image", "audio", "video", "file",
               "barcode", "calculate", "acknowledge", "hidden", "start", "end", "today",
               "deviceid", "username", "email", "audit"}
LIST_TYPES = ("select_one", "select_multiple", "rank")
BOOLEAN_WORDS = {"", "yes", "no", "true", "false", "true()", "false()"}


def load_builder():
    """``surveys/build_xlsforms.py`` as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("cpower_build_xlsforms",
                                                  SURVEYS / "build_xlsforms.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def sheet_rows(book, name: str) -> list[dict[str, str]]:
    """A sheet as dicts keyed by its header row (blank rows skipped)."""
    rows = list(book[name].iter_rows(values_only=True))
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    found = []
    for values in rows[1:]:
        row = {h: ("" if v is None else str(v).strip()) for h, v in zip(header, values,
                                                                        strict=False) if h}
        if any(row.values()):
            found.append(row)
    return found


def read_form(form: str) -> dict:
    book = load_workbook(SURVEYS / f"{form}.xlsx")
    return {"sheets": book.sheetnames, "book": book,
            "survey": sheet_rows(book, "survey"), "choices": sheet_rows(book, "choices"),
            "settings": sheet_rows(book, "settings")}


def list_of(type_: str) -> str | None:
    parts = type_.split()
    return parts[1] if len(parts) >= 2 and parts[0] in LIST_TYPES else None


def csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def forms() -> dict[str, dict]:
    return {form: read_form(form) for form in FORMS}


@pytest.fixture(scope="module")
def config():
    return read_config(SURVEYS)


# ---------------------------------------------------------------------------------------
# (a) the XLSForms are well formed


def test_every_instrument_has_its_four_files():
    for form in FORMS:
        for suffix in (".md", ".xlsx", "_template.csv"):
            assert (SURVEYS / f"{form}{suffix}").is_file(), f"{form}{suffix} is missing"
    for name in ("README.md", "cpower.toml", "roster_template.csv", "build_xlsforms.py"):
        assert (SURVEYS / name).is_file()


@pytest.mark.parametrize("form", FORMS)
def test_sheets_and_required_columns(forms, form):
    data = forms[form]
    assert {"survey", "choices", "settings"} <= set(data["sheets"])
    survey_header = {c for c in sheet_rows(data["book"], "survey")[0]}
    assert {"type", "name", "label"} <= survey_header
    choices_header = {c for c in sheet_rows(data["book"], "choices")[0]}
    assert {"list_name", "name", "label"} <= choices_header
    settings = data["settings"]
    assert len(settings) == 1
    assert settings[0]["form_id"] and XML_NAME.match(settings[0]["form_id"])
    assert settings[0]["form_title"]
    assert settings[0]["version"].isdigit() and len(settings[0]["version"]) <= 10


@pytest.mark.parametrize("form", FORMS)
def test_question_types_and_choice_lists(forms, form):
    data = forms[form]
    lists = Counter(row["list_name"] for row in data["choices"])
    used = set()
    for row in data["survey"]:
        type_ = row["type"]
        assert type_, f"a survey row has no type: {row}"
        if type_ in BEGIN or type_ in END:
            continue
        name = list_of(type_)
        if type_.split()[0] in LIST_TYPES:
            assert name, f"{row['name']}: {type_!r} names no choice list"
            assert name in lists, f"{row['name']}: list {name!r} is not in the choices sheet"
            used.add(name)
        else:
            assert type_ in PLAIN_TYPES, f"{row['name']}: unknown type {type_!r}"
            assert not row.get("choice_filter"), f"{row['name']}: choice_filter on a " \
                                                 "question without choices"
        if type_ != "calculate":
            assert row["label"], f"{row['name']}: a {type_} needs a label"
        else:
            assert row.get("calculation"), f"{row['name']}: a calculate needs a calculation"
    assert used == set(lists), f"choice lists never used: {set(lists) - used}"


@pytest.mark.parametrize("form", FORMS)
def test_choices_are_unique_and_usable(forms, form):
    data = forms[form]
    multiple = {list_of(r["type"]) for r in data["survey"]
                if r["type"].startswith("select_multiple")}
    seen: dict[str, set[str]] = {}
    for row in data["choices"]:
        names = seen.setdefault(row["list_name"], set())
        assert row["name"] not in names, f"{row['list_name']}: choice {row['name']!r} twice"
        names.add(row["name"])
        assert row["label"], f"{row['list_name']}/{row['name']} has no label"
        assert row["name"] and not any(ch.isspace() for ch in row["name"]), \
            f"{row['list_name']}: choice name {row['name']!r} must not contain spaces"
        if row["list_name"] in multiple:  # select_multiple values are space-separated
            assert " " not in row["name"]


@pytest.mark.parametrize("form", FORMS)
def test_names_are_unique_valid_xml_names(forms, form):
    names = [r["name"] for r in forms[form]["survey"] if r["type"] not in END]
    assert all(names), "every row except end_group/end_repeat needs a name"
    for name in names:
        assert XML_NAME.match(name), f"{name!r} is not a valid XLSForm name"
        assert not name.lower().startswith("xml"), f"{name!r}: names may not start with xml"
    duplicates = [n for n, count in Counter(names).items() if count > 1]
    assert not duplicates, f"names used twice: {duplicates}"


@pytest.mark.parametrize("form", FORMS)
def test_groups_and_repeats_are_balanced(forms, form):
    stack: list[str] = []
    for row in forms[form]["survey"]:
        if row["type"] in BEGIN:
            stack.append(BEGIN[row["type"]])
        elif row["type"] in END:
            assert stack, f"{row['type']} without a begin"
            assert stack.pop() == END[row["type"]], f"{row['type']} closes the wrong block"
    assert not stack, f"unclosed {stack}"


@pytest.mark.parametrize("form", FORMS)
def test_references_point_to_earlier_questions(forms, form):
    rows = forms[form]["survey"]
    defined: set[str] = set()
    all_names = {r["name"] for r in rows if r["name"]}
    for row in rows:
        for column in EXPRESSION_COLUMNS:
            for ref in REFERENCE.findall(row.get(column, "")):
                assert ref in all_names, f"{row['name']}.{column}: ${{{ref}}} names nothing"
                # choice filters, relevance and labels may only use what was asked before
                assert ref in defined or ref == row["name"], \
                    f"{row['name']}.{column}: ${{{ref}}} is asked later in the form"
        if row["name"]:
            defined.add(row["name"])
        assert row.get("required", "").lower() in BOOLEAN_WORDS


@pytest.mark.parametrize("form", FORMS)
def test_roster_is_a_placeholder_choice_list(forms, form):
    data = forms[form]
    members = [r for r in data["choices"] if r["list_name"] == "members"]
    assert 3 <= len(members) <= 4
    assert all(re.fullmatch(r"m\d{3}", m["name"]) for m in members)
    roster = {r["member_id"]: r["name"] for r in csv_rows(ROSTER)}
    assert {m["name"]: m["label"] for m in members} == roster, \
        "the placeholder members are the roster template's members"
    sheet = data["book"]["choices"]
    notes = [c.comment.text for row in sheet.iter_rows() for c in row if c.comment]
    assert any("PLACEHOLDER" in text and "--roster" in text for text in notes), \
        "the choices sheet carries a note to replace the placeholder members"


@pytest.mark.parametrize("form", FORMS)
def test_respondent_comes_first_and_is_never_offered_as_alter(forms, form):
    rows = [r for r in forms[form]["survey"] if r["type"] not in ("note",)]
    assert rows[0]["name"] == "member_id" and rows[0]["type"] == "select_one members"
    assert rows[0]["required"] == "yes"
    for row in rows[1:]:
        if list_of(row["type"]) == "members":
            assert "name != ${member_id}" in row.get("choice_filter", ""), \
                f"{row['name']}: a respondent must not be able to pick themselves"


def test_relationship_matrix_has_one_page_per_member(forms):
    rows = forms["01_relationship_survey"]["survey"]
    by_name = {r["name"]: r for r in rows}
    members = [r["name"] for r in forms["01_relationship_survey"]["choices"]
               if r["list_name"] == "members"]
    lists = {"collaborate": "frequency", "depth": "depth", "trust_follow_through": "trust",
             "trust_open": "trust", "trust_mission": "trust"}
    for member in members:
        group = by_name[f"about_{member}"]
        assert group["type"] == "begin_group"
        assert group["relevant"] == f"selected(${{know}}, '{member}')"
        assert group["appearance"] == "field-list"
        for prefix, choice_list in lists.items():
            assert by_name[f"{prefix}_{member}"]["type"] == f"select_one {choice_list}"
        # trust and depth only about people the respondent works with
        for prefix in ("depth", "trust_follow_through", "trust_open", "trust_mission"):
            assert f"${{collaborate_{member}}} != '0'" in by_name[f"{prefix}_{member}"][
                "relevant"]
    assert not any(r["type"] in ("begin_repeat", "begin repeat") for r in rows), \
        "KoboToolbox's CSV export leaves repeat groups out: the matrix must not use repeats"


def test_pulse_covers_every_perception_item_under_its_milestone(forms):
    rows = forms["03_pulse_survey"]["survey"]
    found: dict[str, str] = {}
    section = None
    for row in rows:
        if row["type"] in BEGIN:
            section = row["name"]
        elif row["type"] in END:
            section = None
        elif row["type"] == "select_one agree":
            found[row["name"]] = section
    assert set(found) == set(DEFAULT_ITEMS), "one pulse item per cpower perception item"
    for key, section in found.items():
        assert section == f"section_{DEFAULT_ITEMS[key].milestone}", key


def test_member_profile_asks_lived_experience_with_care(forms):
    rows = {r["name"]: r for r in forms["04_member_profile"]["survey"]}
    question = rows["lived_experience_answer"]
    assert question.get("required", "") in ("", "no")
    why = rows["lived_experience_why"]["label"].lower()
    for words in ("why we ask", "who sees it", "rather not say"):
        assert words in why
    choices = {r["name"] for r in forms["04_member_profile"]["choices"]
               if r["list_name"] == question["type"].split()[1]}
    assert "rather_not_say" in choices
    # what cpower reads is yes / no / blank: "rather not say" is stored as a blank
    assert rows["lived_experience"]["type"] == "calculate"
    assert rows["consent_to_name"]["required"] == "yes"


def test_scales_match_cpower_toml(forms, config):
    for form in FORMS:
        choices = forms[form]["choices"]
        for scale in ("frequency", "depth", "trust", "agree"):
            listed = {r["label"]: float(r["name"]) for r in choices if r["list_name"] == scale}
            if listed:
                assert listed == {k: float(v) for k, v in config.scales[scale].labels.items()}, \
                    f"{form}: list {scale!r} differs from [scales] {scale}"


def run_builder(*arguments: str) -> int:
    """Run the builder as the script it is (a fresh interpreter: openpyxl's writer mode is
    chosen at import, and the test process may have imported openpyxl with lxml)."""
    done = subprocess.run([sys.executable, str(SURVEYS / "build_xlsforms.py"), *arguments],
                          capture_output=True, text=True, check=False)
    return done.returncode


def test_build_is_deterministic_and_up_to_date(tmp_path):
    builder = load_builder()
    assert run_builder("--out", str(tmp_path)) == 0
    for form in FORMS:
        built = (tmp_path / f"{form}.xlsx").read_bytes()
        assert built == (SURVEYS / f"{form}.xlsx").read_bytes(), \
            f"{form}.xlsx is out of date: run python surveys/build_xlsforms.py"
    assert run_builder("--check") == 0
    book = load_workbook(SURVEYS / f"{FORMS[0]}.xlsx")
    assert book.properties.created == builder.FIXED_DATE
    assert book.properties.modified == builder.FIXED_DATE


def test_build_with_a_coalition_roster(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("member_id,name,sector\nA1,Zoë Field,x\nB-2,Ian Moss,y\n",
                      encoding="utf-8")
    builder = load_builder()
    assert builder.main(["--roster", str(roster), "--out", str(tmp_path / "out")]) == 0
    book = load_workbook(tmp_path / "out" / "01_relationship_survey.xlsx")
    names = {r["name"] for r in sheet_rows(book, "survey")}
    assert {"collaborate_A1", "trust_open_B-2", "about_B-2"} <= names
    members = [(r["name"], r["label"]) for r in sheet_rows(book, "choices")
               if r["list_name"] == "members"]
    assert members == [("A1", "Zoë Field"), ("B-2", "Ian Moss")]
    assert not any(c.comment for row in book["choices"].iter_rows() for c in row)
    bad = tmp_path / "bad.csv"
    bad.write_text("member_id,name\nm 1,Someone\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="may use only letters"):
        builder.main(["--roster", str(bad), "--out", str(tmp_path / "bad")])


# ---------------------------------------------------------------------------------------
# (b) CSV templates, XLSForms and cpower.toml agree


def referenced_columns(survey, member_ids: list[str]) -> set[str]:
    """Every column a survey's configuration reads, patterns expanded over the roster."""
    wanted = {survey.respondent}
    for q in survey.questions:
        patterns = [q.columns] if isinstance(q.columns, str) else list(q.columns or ())
        for pattern in patterns:
            if "{member}" in pattern:
                wanted |= {pattern.replace("{member}", m) for m in member_ids}
            else:
                wanted.add(pattern)
        wanted |= {c for c in (q.column, q.involved, q.voice) if c}
        wanted |= set(q.items.values())
    return wanted


def test_templates_are_exactly_what_cpower_toml_reads(config):
    member_ids = [r["member_id"] for r in csv_rows(ROSTER)]
    surveys = {s.file: s for s in config.waves["wave1"].surveys}
    assert set(surveys) == {TEMPLATES[f].name for f in FORMS[:3]}
    for survey in surveys.values():
        header = csv_header(SURVEYS / survey.file)
        assert len(header) == len(set(header)), f"{survey.file}: duplicate headers"
        wanted = referenced_columns(survey, member_ids)
        assert wanted <= set(header), f"{survey.file} lacks {sorted(wanted - set(header))}"
        assert set(header) <= wanted, f"{survey.file}: unread columns " \
                                      f"{sorted(set(header) - wanted)}"


def test_roster_template_holds_the_member_profile_columns(config):
    roster = config.roster
    header = csv_header(ROSTER)
    wanted = {roster.id, roster.name, roster.silo, roster.organisation, roster.role,
              roster.consent, roster.waves, *(g.column for g in config.focus_groups)}
    assert set(header) == wanted
    profile = csv_header(TEMPLATES["04_member_profile"])
    assert profile == [c for c in header if c != roster.waves]
    assert {r["role"] for r in csv_rows(ROSTER)} & set(roster.leadership_roles)


@pytest.mark.parametrize("form", FORMS)
def test_template_columns_are_xlsform_question_names(forms, form):
    names = {r["name"] for r in forms[form]["survey"]}
    header = csv_header(TEMPLATES[form])
    assert set(header) <= names, f"{form}: template columns with no question " \
                                 f"{sorted(set(header) - names)}"


@pytest.mark.parametrize("form", FORMS)
def test_templates_hold_a_few_fictional_rows(form):
    rows = csv_rows(TEMPLATES[form])
    assert 2 <= len(rows) <= 4
    assert all(re.fullmatch(r"m00[1-4]", r["member_id"]) for r in rows)


def test_perception_items_are_cpower_items(config):
    (pulse,) = [q for s in config.waves["wave1"].surveys for q in s.questions
                if q.shape == "perceptions"]
    assert set(pulse.items) == set(DEFAULT_ITEMS)


# ---------------------------------------------------------------------------------------
# (c) cpower reads the templates and the KoboToolbox exports of the XLSForms


def load_study(path):
    return cpower_network.load_study(path)


def test_load_study_reads_the_templates_without_errors():
    study = load_study(SURVEYS)
    assert study.quality.ok, "\n".join(str(p) for p in study.quality.errors)
    assert not study.quality.warnings, "\n".join(str(p) for p in study.quality.warnings)
    wave = study.wave("wave1")
    assert wave.members == ["m001", "m002", "m003", "m004"]
    relations = set(wave.ties["relation"])
    assert relations == {"know", "collaborate", "depth", "trust", "advice", "influence",
                         "value"}
    # the three trust and three value items carry their facets
    facets = wave.ties.groupby("relation")["facet"].agg(lambda f: sorted(set(f)))
    assert facets["trust"] == ["mission", "openness", "reliability"]
    assert facets["value"] == ["involvement", "power", "resources"]
    assert len(wave.perceptions) == 35  # 3 respondents x 12 items, one left blank
    assert set(wave.participation["decision"]) == {"decision_1", "decision_2"}
    # every non-blank answer cell became a row: nothing set aside except blanks
    assert set(study.quality.reasons()) <= {"blank"}


def test_cpower_validate_accepts_the_templates():
    from cpower_network.cli.commands import main

    result = CliRunner().invoke(main, ["validate", str(SURVEYS)])
    assert result.exit_code == 0, result.output
    assert "Survey templates (fictional example)" in result.output


# Simulated KoboToolbox CSV exports (https://support.kobotoolbox.org/export_download.html):
# ";"-separated and fully quoted, "XML values and headers" (question names, choice
# names), notes left out, select_multiple as one space-separated column and/or one 0/1
# column per choice ("question/choice"), group names in headers when that option is on,
# then Kobo's own columns.
KOBO_META = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
             "_submitted_by", "__version__", "_tags", "_index"]


def kobo_export(form: str, answers: list[dict[str, str]], *, groups: bool,
                select_many: str) -> str:
    data = read_form(form)
    choices: dict[str, list[str]] = {}
    for row in data["choices"]:
        choices.setdefault(row["list_name"], []).append(row["name"])
    columns: list[tuple[str, str, str | None]] = []  # (header, question, choice)
    path: list[str] = []
    for row in data["survey"]:
        if row["type"] in BEGIN:
            path.append(row["name"])
            continue
        if row["type"] in END:
            path.pop()
            continue
        if row["type"] == "note":
            continue
        header = "/".join([*path, row["name"]]) if groups else row["name"]
        if row["type"].startswith("select_multiple"):
            if select_many in ("both", "single"):
                columns.append((header, row["name"], None))
            if select_many in ("both", "separate"):
                columns += [(f"{header}/{c}", row["name"], c)
                            for c in choices[list_of(row["type"])]]
        else:
            columns.append((header, row["name"], None))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([h for h, _, _ in columns] + KOBO_META)
    for number, answer in enumerate(answers, start=1):
        cells = []
        for _header, question, choice in columns:
            value = answer.get(question, "")
            if choice is not None:
                value = "" if not value else ("1" if choice in value.split() else "0")
            cells.append(value)
        cells += [str(100 + number), f"uuid-{number}", f"2025-03-0{number}T10:00:00", "",
                  "[]", "submitted_via_web", "", "v1", "[]", str(number)]
        writer.writerow(cells)
    return out.getvalue()


KOBO_ANSWERS = {
    "01_relationship_survey": [
        {"member_id": "m001", "know": "m002 m003 m004", "collaborate_m002": "3",
         "collaborate_m003": "2", "collaborate_m004": "1", "depth_m002": "4",
         "depth_m003": "3", "depth_m004": "1", "trust_follow_through_m002": "4",
         "trust_open_m002": "4", "trust_mission_m002": "4", "trust_follow_through_m003": "3",
         "trust_open_m003": "4", "trust_mission_m003": "3", "trust_follow_through_m004": "3",
         "trust_open_m004": "2", "trust_mission_m004": "4", "advice_1": "m002",
         "advice_2": "m004"},
        {"member_id": "m002", "know": "m001 m003", "collaborate_m001": "3",
         "collaborate_m003": "0", "depth_m001": "4", "trust_follow_through_m001": "4",
         "trust_open_m001": "4", "trust_mission_m001": "4", "advice_1": "m001"},
    ],
    "02_decision_survey": [
        {"member_id": "m001", "decision_1_involved": "yes", "decision_1_shaped_by": "m002 m004",
         "decision_1_voice": "4", "decision_2_involved": "yes", "decision_2_shaped_by": "m002",
         "decision_2_voice": "5", "weight_general": "m002 m004"},
        {"member_id": "m002", "decision_1_involved": "yes", "decision_1_shaped_by": "m001",
         "decision_1_voice": "4", "decision_2_involved": "no",
         "decision_2_shaped_by": "m001 m003", "weight_general": "m001"},
    ],
    "03_pulse_survey": [
        {"member_id": "m001", **{key: "4" for key in DEFAULT_ITEMS}},
        {"member_id": "m002", **{key: "3" for key in DEFAULT_ITEMS}, "funds_agreement": ""},
    ],
    "04_member_profile": [
        {"member_id": "m001", "name": "Ana Ruiz", "sector": "community_org",
         "organisation": "Eastside Parents Network", "role": "co_chair", "grassroots": "yes",
         "lived_experience_answer": "yes", "lived_experience": "yes",
         "consent_to_name": "yes"},
        {"member_id": "m002", "name": "Ben Okoro", "sector": "advocacy",
         "organisation": "Fair Start Policy Institute", "role": "steering_committee",
         "grassroots": "no", "lived_experience_answer": "no", "lived_experience": "no",
         "consent_to_name": "yes"},
        {"member_id": "m003", "name": "Chloé Martin", "sector": "service",
         "role": "member", "grassroots": "no", "lived_experience_answer": "rather_not_say",
         "lived_experience": "", "consent_to_name": "yes"},
        {"member_id": "m004", "name": "Dara Nguyen", "sector": "resident", "role": "member",
         "grassroots": "yes", "lived_experience_answer": "yes", "lived_experience": "yes",
         "consent_to_name": "no"},
    ],
}
MULTI_SELECT_COLUMNS = ("know", "decision_1_shaped_by", "decision_2_shaped_by",
                        "weight_general")


def kobo_study(folder: Path, *, groups: bool, select_many: str) -> Path:
    """A study reading Kobo exports of the four forms, with the profile as roster."""
    folder.mkdir()
    for form, answers in KOBO_ANSWERS.items():
        (folder / f"{form}.csv").write_text(
            kobo_export(form, answers, groups=groups, select_many=select_many),
            encoding="utf-8")
    toml = (SURVEYS / "cpower.toml").read_text(encoding="utf-8")
    toml = toml.replace('file = "roster_template.csv"', 'file = "04_member_profile.csv"')
    toml = toml.replace('waves = "waves"', "")
    toml = toml.replace('["Co-chair", "Steering committee"]', '["co_chair", "steering_committee"]')
    for form in FORMS[:3]:
        toml = toml.replace(TEMPLATES[form].name, f"{form}.csv")
    toml = toml.replace('platform = "plain"', 'platform = "kobotoolbox"')
    toml = toml.replace('separator = ";"\n', "")  # kobotoolbox: space-separated codes
    toml = toml.replace('respondent = "member_id"\n',
                        'respondent = "member_id"\ntimestamp = "_submission_time"\n')
    if select_many == "separate":
        for column in MULTI_SELECT_COLUMNS:
            toml = toml.replace(f'column = "{column}"', f'columns = "{column}/{{member}}"')
    (folder / "cpower.toml").write_text(toml, encoding="utf-8")
    return folder


@pytest.mark.parametrize("select_many", ["both", "single", "separate"])
def test_kobotoolbox_exports_of_the_xlsforms_load(tmp_path, select_many):
    study = load_study(kobo_study(tmp_path / "kobo", groups=False, select_many=select_many))
    assert study.quality.ok, "\n".join(str(p) for p in study.quality.errors)
    wave = study.wave("wave1")
    counts = wave.ties.groupby("relation").size().to_dict()
    assert counts == {"know": 5, "collaborate": 5, "depth": 4, "trust": 12, "advice": 3,
                      "influence": 3}
    assert len(wave.perceptions) == 23
    assert len(wave.participation) == 4
    roster = study.roster
    assert roster.loc["m001", "leader"] and not roster.loc["m004", "consent"]
    assert not roster.loc["m003", "lived_experience"]  # "rather not say" reads as blank
    assert list(roster["lived_experience"]) == [True, False, False, True]


def test_kobotoolbox_exports_with_group_names_in_headers_load(tmp_path):
    study = load_study(kobo_study(tmp_path / "kobo", groups=True, select_many="single"))
    assert study.quality.ok, "\n".join(str(p) for p in study.quality.errors)
    assert set(study.wave("wave1").ties["relation"]) >= {"collaborate", "trust", "depth"}


def test_template_study_copies_cleanly(tmp_path):
    """The surveys folder works as a starting point when copied elsewhere."""
    target = tmp_path / "study"
    shutil.copytree(SURVEYS, target, ignore=shutil.ignore_patterns("*.xlsx", "*.md", "*.py"))
    assert load_study(target).quality.ok


def test_a_misnamed_multi_select_column_is_reported_not_a_crash(tmp_path):
    target = tmp_path / "study"
    shutil.copytree(SURVEYS, target, ignore=shutil.ignore_patterns("*.xlsx", "*.md", "*.py"))
    toml = target / "cpower.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'column = "weight_general"', 'column = "weight_in_general"'), encoding="utf-8")
    study = load_study(target)
    assert [p.code for p in study.quality.errors] == ["missing-column"]
