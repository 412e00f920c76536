#!/usr/bin/env python3
"""Build the four cpower XLSForms (KoboToolbox / ODK) in this folder.

    python surveys/build_xlsforms.py                      # the placeholder roster
    python surveys/build_xlsforms.py --roster roster.csv  # your coalition's roster
    python surveys/build_xlsforms.py --roster roster.csv --decisions decisions.csv \\
        --out my_forms/
    python surveys/build_xlsforms.py --check              # are the .xlsx files up to date?

The forms are written from the definitions below, so they can be rebuilt at any time and
always come out byte for byte the same for the same input (fixed workbook dates, fixed
dates inside the zip archive). Only openpyxl is needed.

Roster matrices ("how often do you work with ... ?" for every member) are written as one
small page per member, generated from the roster, shown only for the members the
respondent ticked in a first "whom do you know?" question (``relevant`` on a group).
Each answer lands in its own column, e.g. ``collaborate_m001``, exactly as cpower's
``matrix`` shape reads it. Repeat groups are not used: KoboToolbox exports repeats only
as extra sheets of an XLSX export, never in CSV, which would split one respondent's
answers across sheets. See 01_relationship_survey.md.

``--roster`` takes a CSV with the columns ``member_id`` and ``name`` (other columns are
ignored, so the roster cpower reads works as is). ``--decisions`` takes a CSV with the
columns ``decision_id`` and ``label``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

# openpyxl serialises XML differently when lxml is installed (namespace prefixes,
# attribute order); its pure-Python writer makes the bytes the same on every machine.
# This takes effect when openpyxl is first imported, i.e. when this runs as a script.
os.environ.setdefault("OPENPYXL_LXML", "False")

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

HERE = Path(__file__).resolve().parent

#: Fixed dates so that rebuilding gives identical bytes.
FIXED_DATE = dt.datetime(2025, 1, 1, 0, 0, 0)
FIXED_ZIP_DATE = (2025, 1, 1, 0, 0, 0)
#: XLSForm ``version`` (settings sheet). Raise it when you change a deployed form.
FORM_VERSION = "2025010101"

#: Fictional placeholder members: REPLACE them with your roster (``--roster``).
PLACEHOLDER_ROSTER: tuple[tuple[str, str], ...] = (
    ("m001", "Ana Ruiz"),
    ("m002", "Ben Okoro"),
    ("m003", "Chloé Martin"),
    ("m004", "Dara Nguyen"),
)

#: Fictional placeholder decisions: REPLACE them with your coalition's recent decisions.
PLACEHOLDER_DECISIONS: tuple[tuple[str, str], ...] = (
    ("decision_1", "Choosing our policy priorities for the year"),
    ("decision_2", "Deciding how to share the coalition's grant"),
)

PLACEHOLDER_NOTE = (
    "PLACEHOLDER members (fictional). Replace them with your roster: one row per member, "
    "name = the member id used in your cpower roster, label = the name people know. "
    "Easiest: python surveys/build_xlsforms.py --roster your_roster.csv"
)

# ------------------------------------------------------------------------------------
# Answer scales. The choice *names* are the numbers cpower uses (see surveys/cpower.toml
# [scales]); the labels are the same words, so an export with labels or with XML values
# reads the same way.
FREQUENCY = (("0", "Never"), ("1", "A few times a year"), ("2", "Monthly"), ("3", "Weekly"))
DEPTH = (
    ("1", "Share information"),
    ("2", "Coordinate"),
    ("3", "Collaborate on a project"),
    ("4", "Co-lead"),
)
TRUST = (("1", "Not at all"), ("2", "A little"), ("3", "Somewhat"), ("4", "A lot"))
#: How much a member brings to the coalition (the three value questions).
AMOUNT = (("1", "Not at all"), ("2", "A small amount"), ("3", "A fair amount"),
          ("4", "A great deal"))
AGREE = (
    ("1", "Strongly disagree"),
    ("2", "Disagree"),
    ("3", "Neither agree nor disagree"),
    ("4", "Agree"),
    ("5", "Strongly agree"),
)
YES_NO = (("yes", "Yes"), ("no", "No"))
YES_NO_RATHER_NOT = (("yes", "Yes"), ("no", "No"), ("rather_not_say", "I'd rather not say"))

#: Silos (member profile "sector"): adapt them to your coalition.
SECTORS = (
    ("community_org", "Community-based organisation"),
    ("resident", "Resident or community member"),
    ("advocacy", "Advocacy or policy organisation"),
    ("service", "Service provider"),
    ("research", "Research or academia"),
    ("government", "Government"),
    ("funder", "Philanthropy or funder"),
    ("business", "Business"),
    ("other", "Other"),
)
#: Formal roles (member profile "role"). cpower.toml's leadership_roles lists which lead.
ROLES = (
    ("member", "Member"),
    ("working_group_lead", "Working group lead"),
    ("steering_committee", "Steering committee"),
    ("co_chair", "Co-chair"),
    ("staff", "Backbone staff"),
)

#: Pulse items: cpower's perception item keys (cpower_network.config.study.DEFAULT_ITEMS),
#: grouped by the milestone each is evidence for, with the statement respondents rate.
PULSE_SECTIONS: tuple[tuple[str, str, tuple[tuple[str, str, str], ...]], ...] = (
    ("setting_the_table", "Taking part", (
        ("take_part", "I can take part in the coalition in the way, and as much as, I want.",
         ""),
        ("role_clear", "My role in the coalition is clear to me.", ""),
    )),
    ("safety_trust", "Trust and openness", (
        ("authenticity", "I can show up in this coalition as I am and speak honestly.", ""),
        ("transparency",
         "The coalition works transparently, with clear rules for how decisions are made.",
         ""),
        ("open_feedback",
         "We can give each other open feedback, work through conflict and hold each other "
         "accountable.", ""),
        ("fun", "There is fun and laughter in our work together.", ""),
    )),
    ("cohesion", "Working as one", (
        ("shared_vision",
         "I could explain our coalition's vision, and how we expect change to happen, to "
         "someone new.", ""),
        ("mutual_support",
         "Members support each other and work in solidarity towards our common purpose.", ""),
        ("flexibility",
         "The coalition adapts its strategies and tactics when things change.", ""),
    )),
    ("financing", "Money and resources", (
        ("funds_agreement", "I agree with how the coalition's funds were distributed.",
         "Leave this blank if you don't know how funds were distributed."),
    )),
    ("lived_experience", "Leading", (
        ("prepared_to_lead", "I feel prepared to take on leadership in the coalition.", ""),
        ("supported_to_lead",
         "The coalition supports me to lead (for example with training, preparation before "
         "meetings, or covering costs such as travel or child care).", ""),
    )),
)

SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "relevant", "constraint",
                  "constraint_message", "choice_filter", "appearance", "calculation")
CHOICES_COLUMNS = ("list_name", "name", "label")
SETTINGS_COLUMNS = ("form_title", "form_id", "version", "style")

SAFE_ID = re.compile(r"^[A-Za-z0-9_.\-]+$")
NOT_SELF = "name != ${member_id}"


@dataclass
class Form:
    """One XLSForm: its survey rows, the choice lists it uses, and its settings."""

    file: str
    title: str
    form_id: str
    rows: list[dict[str, str]] = field(default_factory=list)
    lists: dict[str, Sequence[tuple[str, str]]] = field(default_factory=dict)

    def add(self, type_: str, name: str = "", label: str = "", **columns: str) -> None:
        unknown = set(columns) - set(SURVEY_COLUMNS)
        if unknown:
            raise ValueError(f"unknown survey columns {sorted(unknown)}")
        self.rows.append({"type": type_, "name": name, "label": label, **columns})


# ------------------------------------------------------------------------------------
# The four forms

NETWORK_HINT = ("Start typing your name. Your answers are linked to you so that the "
                "coalition's network can be drawn; see the privacy note above.")


def respondent_question(form: Form, label: str = "Who are you?",
                        hint: str = NETWORK_HINT) -> None:
    form.add("select_one members", "member_id", label, required="yes",
             appearance="minimal autocomplete", hint=hint)


def relationship_form(roster: Sequence[tuple[str, str]]) -> Form:
    form = Form("01_relationship_survey.xlsx", "Coalition relationship survey",
                "cpower_relationship")
    form.lists = {"members": roster, "frequency": FREQUENCY, "depth": DEPTH, "trust": TRUST,
                  "amount": AMOUNT}
    form.add("note", "intro",
             "This survey maps how members of our coalition work together, so that we can "
             "see where relationships are strong, where they are missing, and whether power "
             "is shared. It takes about 10 to 15 minutes.")
    form.add("note", "privacy",
             "Your answers about other members are seen only by the small team that "
             "analyses the survey. Shared maps show groups, and show names only of members "
             "who agreed to be named. You can skip any question except who you are.")
    respondent_question(form)
    form.add("select_multiple members", "know",
             "Which of these members do you know, even a little, through the coalition?",
             hint="Tick everyone you have had any contact with in the past 12 months. The "
                  "next pages ask a few short questions about each person you tick.",
             relevant="${member_id} != ''", choice_filter=NOT_SELF)
    for member, name in roster:
        works = f"${{collaborate_{member}}} != '' and ${{collaborate_{member}}} != '0'"
        form.add("begin_group", f"about_{member}", f"About {name}",
                 relevant=f"selected(${{know}}, '{member}')", appearance="field-list")
        form.add("select_one frequency", f"collaborate_{member}",
                 f"In the past 12 months, how often have you worked with {name} on "
                 "coalition work?", required="yes", appearance="likert")
        form.add("select_one depth", f"depth_{member}",
                 f"What do you do together with {name}? Choose the deepest that applies.",
                 hint="Each level includes the ones before it: sharing information, then "
                      "coordinating, then collaborating on a project, then co-leading.",
                 relevant=works)
        form.add("select_one trust", f"trust_follow_through_{member}",
                 f"How much do you trust {name} to follow through on what they commit to?",
                 relevant=works, appearance="likert")
        form.add("select_one trust", f"trust_open_{member}",
                 f"How much do you trust {name} to be open and honest with you?",
                 relevant=works, appearance="likert")
        form.add("select_one trust", f"trust_mission_{member}",
                 f"How much do you trust {name} to stay committed to the coalition's shared "
                 "mission?", relevant=works, appearance="likert")
        form.add("select_one amount", f"value_power_{member}",
                 f"How much influence does {name} have over what the coalition does and "
                 "decides?", relevant=works, appearance="likert")
        form.add("select_one amount", f"value_involvement_{member}",
                 f"How much does {name} take part in the coalition's work?",
                 hint="For example coming to meetings, taking on tasks, following up.",
                 relevant=works, appearance="likert")
        form.add("select_one amount", f"value_resources_{member}",
                 f"How much does {name} bring to the coalition in resources?",
                 hint="Money, staff or volunteer time, expertise, information, or "
                      "connections to people and organisations.",
                 relevant=works, appearance="likert")
        form.add("end_group")
    form.add("begin_group", "advice_names", "Advice", appearance="field-list",
             relevant="${member_id} != ''")
    for k in range(1, 6):
        earlier = "".join(f" and name != ${{advice_{j}}}" for j in range(1, k))
        if k == 1:
            label = ("Whom in the coalition do you go to for advice about your coalition "
                     "work? Name up to five people, starting with the person you turn to "
                     "most.")
            hint = "Leave it blank if there is no one."
            relevant = ""
        else:
            label = f"Anyone else you go to for advice? (person {k} of 5)"
            hint = "Leave it blank if there is no one else."
            relevant = f"${{advice_{k - 1}}} != ''"
        form.add("select_one members", f"advice_{k}", label, hint=hint, relevant=relevant,
                 choice_filter=NOT_SELF + earlier, appearance="minimal autocomplete")
    form.add("end_group")
    form.add("note", "thanks", "Thank you! Your answers help the coalition see itself.")
    return form


def decision_form(roster: Sequence[tuple[str, str]],
                  decisions: Sequence[tuple[str, str]]) -> Form:
    form = Form("02_decision_survey.xlsx", "Coalition decision-making survey",
                "cpower_decisions")
    form.lists = {"members": roster, "yes_no": YES_NO, "agree": AGREE}
    form.add("note", "intro",
             "This survey asks who shaped some of the coalition's recent decisions. It helps "
             "us see whether decision-making power is shared, especially with grassroots "
             "members and members with lived experience. It takes about 5 minutes.")
    form.add("note", "privacy",
             "Only the small team that analyses the survey sees who named whom. Results "
             "are shared as group figures and anonymised maps.")
    respondent_question(form)
    for decision, label in decisions:
        form.add("begin_group", decision, f"Decision: {label}", appearance="field-list",
                 relevant="${member_id} != ''")
        form.add("select_one yes_no", f"{decision}_involved",
                 "Were you involved in this decision: in the discussions, the drafting or "
                 "the vote?", appearance="columns-pack")
        form.add("select_multiple members", f"{decision}_shaped_by",
                 "Whose input shaped this decision? Tick everyone whose ideas or views "
                 "changed the outcome.",
                 hint="The next question asks about your own input. Leave this blank if "
                      "you don't know.", choice_filter=NOT_SELF)
        form.add("select_one agree", f"{decision}_voice",
                 "My input shaped the outcome of this decision.",
                 relevant=f"${{{decision}_involved}} = 'yes'", appearance="likert")
        form.add("end_group")
    form.add("select_multiple members", "weight_general",
             "In general, whose opinion carries the most weight when the coalition makes "
             "decisions? Choose up to five people.",
             hint="Think of the coalition's decisions over the past year.",
             relevant="${member_id} != ''", choice_filter=NOT_SELF,
             constraint="count-selected(.) <= 5",
             constraint_message="Please choose at most five people.")
    form.add("note", "thanks", "Thank you!")
    return form


def pulse_form(roster: Sequence[tuple[str, str]]) -> Form:
    form = Form("03_pulse_survey.xlsx", "Coalition pulse check", "cpower_pulse")
    form.lists = {"members": roster, "agree": AGREE}
    form.add("note", "intro",
             "How does the coalition feel to you? Rate each statement. There are no right "
             "answers. It takes about 5 minutes.")
    form.add("note", "privacy",
             "Results are only ever shown for groups of members (never for one person), "
             "and groups smaller than three are not shown at all. Skip any statement you "
             "prefer not to rate.")
    respondent_question(form, hint="Start typing your name. Your ratings are linked to the "
                                   "roster only so that results can be shown by group.")
    for milestone, title, items in PULSE_SECTIONS:
        form.add("begin_group", f"section_{milestone}", title, appearance="field-list",
                 relevant="${member_id} != ''")
        for key, statement, hint in items:
            form.add("select_one agree", key, statement, hint=hint, appearance="likert")
        form.add("end_group")
    form.add("note", "thanks", "Thank you!")
    return form


def profile_form(roster: Sequence[tuple[str, str]]) -> Form:
    form = Form("04_member_profile.xlsx", "Coalition member profile", "cpower_profile")
    form.lists = {"members": roster, "sectors": SECTORS, "roles": ROLES, "yes_no": YES_NO,
                  "yes_no_rather_not": YES_NO_RATHER_NOT}
    form.add("note", "intro",
             "A few questions about you and how you take part in the coalition. They let us "
             "check whether power and relationships reach every part of the coalition. It "
             "takes about 3 minutes.")
    form.add("note", "privacy",
             "Your answers are kept by the small team that runs the coalition's surveys. "
             "Reports show figures for groups of members, never one person's answers, and "
             "you choose below whether your name may appear on shared maps.")
    respondent_question(form, "Who are you? (pick your name from the list)",
                        hint="Start typing your name.")
    form.add("calculate", "name",
             calculation="jr:choice-name(${member_id}, '${member_id}')")
    form.add("text", "name_correction",
             "Is your name shown the way you would like? If not, write it as it should "
             "appear.", hint="Leave it blank if it is right.")
    form.add("select_one sectors", "sector",
             "Which best describes the part of the field you come from?",
             hint="Choose the one that fits best.", required="yes")
    form.add("text", "organisation", "Which organisation or group do you take part for?",
             hint="Leave it blank if you take part as an individual.")
    form.add("select_one roles", "role", "What is your role in the coalition?")
    form.add("select_one yes_no", "grassroots",
             "Do you take part as a grassroots member: a resident or parent, or someone from "
             "a small community group led by the people it serves?",
             hint="Answer no if you take part as staff of a larger organisation, agency or "
                  "funder.", required="yes", appearance="columns-pack")
    form.add("note", "lived_experience_why",
             "The next question is optional. Why we ask: the coalition has committed to "
             "sharing power with people who live the issue we work on, and we can only see "
             "whether that is happening if we know who they are. Who sees it: only the "
             "small team that analyses the surveys. It is never shown next to your name; "
             "reports show figures for the group as a whole and hide groups smaller than "
             "three. You decide: answer only if you are comfortable. 'I'd rather not say' "
             "is always fine and is stored as a blank.")
    form.add("select_one yes_no_rather_not", "lived_experience_answer",
             "Do you have lived experience of the issue our coalition works on?",
             hint="By your own definition: you decide whether it applies to you.",
             appearance="columns-pack")
    form.add("calculate", "lived_experience",
             calculation="if(${lived_experience_answer} = 'yes', 'yes', "
                         "if(${lived_experience_answer} = 'no', 'no', ''))")
    form.add("select_one yes_no", "consent_to_name",
             "May your name appear on network maps and lists shared with the whole "
             "coalition?",
             hint="If you answer no, you appear as an unnamed dot on shared maps. You can "
                  "change your mind at any time by telling the coordinator.",
             required="yes", appearance="columns-pack")
    form.add("note", "thanks", "Thank you!")
    return form


def all_forms(roster: Sequence[tuple[str, str]],
              decisions: Sequence[tuple[str, str]]) -> list[Form]:
    """The four forms, built for ``roster`` and ``decisions``."""
    return [relationship_form(roster), decision_form(roster, decisions), pulse_form(roster),
            profile_form(roster)]


# ------------------------------------------------------------------------------------
# Writing the workbooks

def workbook(form: Form, *, placeholder: bool) -> Workbook:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    _write_sheet(survey, SURVEY_COLUMNS, form.rows)
    choices = book.create_sheet("choices")
    choice_rows = [{"list_name": name, "name": value, "label": label}
                   for name, items in form.lists.items() for value, label in items]
    _write_sheet(choices, CHOICES_COLUMNS, choice_rows)
    if placeholder:
        first = next(i for i, row in enumerate(choice_rows, start=2)
                     if row["list_name"] == "members")
        choices.cell(row=first, column=1).comment = Comment(PLACEHOLDER_NOTE, "cpower",
                                                            width=320, height=110)
    settings = book.create_sheet("settings")
    _write_sheet(settings, SETTINGS_COLUMNS, [{
        "form_title": form.title, "form_id": form.form_id, "version": FORM_VERSION,
        "style": "pages"}])
    props = book.properties
    props.creator = "cpower-network surveys/build_xlsforms.py"
    props.lastModifiedBy = None
    props.title = form.title
    props.created = FIXED_DATE
    props.modified = FIXED_DATE
    return book


WIDTHS = {"type": 26, "name": 30, "label": 70, "hint": 50, "relevant": 40,
          "choice_filter": 30, "calculation": 40, "list_name": 18, "form_title": 36}


def _write_sheet(sheet, columns: Sequence[str], rows: Iterable[dict[str, str]]) -> None:
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(column, "") or None for column in columns])
    for index, column in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = WIDTHS.get(column, 16)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and len(cell.value) > 40:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def xlsx_bytes(book: Workbook) -> bytes:
    """The workbook as .xlsx bytes, identical for identical content.

    openpyxl's ``save`` stamps the current time into the document properties and every
    zip entry; here the properties keep the fixed dates set in :func:`workbook` and the
    archive is rewritten with fixed entry dates.
    """
    raw = io.BytesIO()
    archive = ZipFile(raw, "w", ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(book, archive).save()  # writes every part and closes the archive
    fixed = io.BytesIO()
    with ZipFile(io.BytesIO(raw.getvalue())) as source, \
            ZipFile(fixed, "w", ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = ZipInfo(info.filename, date_time=FIXED_ZIP_DATE)
            entry.compress_type = ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            target.writestr(entry, source.read(info.filename))
    return fixed.getvalue()


def build(out: Path, roster: Sequence[tuple[str, str]] = PLACEHOLDER_ROSTER,
          decisions: Sequence[tuple[str, str]] = PLACEHOLDER_DECISIONS) -> dict[Path, bytes]:
    """Render the four forms; returns {path: bytes} without writing anything."""
    _check_ids(roster, "member id")
    _check_ids(decisions, "decision id")
    placeholder = tuple(roster) == PLACEHOLDER_ROSTER
    return {out / form.file: xlsx_bytes(workbook(form, placeholder=placeholder))
            for form in all_forms(roster, decisions)}


def _check_ids(pairs: Sequence[tuple[str, str]], what: str) -> None:
    seen: set[str] = set()
    problems = []
    for ident, label in pairs:
        if not SAFE_ID.match(ident):
            problems.append(f"{what} {ident!r} ({label}) may use only letters, digits, "
                            "'_', '-' and '.' (it becomes part of question names)")
        if ident in seen:
            problems.append(f"{what} {ident!r} is listed twice")
        if not label.strip():
            problems.append(f"{what} {ident!r} has no name/label")
        seen.add(ident)
    if not pairs:
        problems.append(f"no {what}s given")
    if problems:
        raise SystemExit("error: " + "\n       ".join(problems))


def read_pairs(path: Path, id_column: str, label_column: str) -> list[tuple[str, str]]:
    """(id, label) pairs from a CSV (UTF-8, with or without BOM)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in (id_column, label_column) if c not in header]
        if missing:
            raise SystemExit(f"error: {path} has no column {missing[0]!r} "
                             f"(columns: {', '.join(header)})")
        return [(row[id_column].strip(), row[label_column].strip()) for row in reader
                if (row.get(id_column) or "").strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--roster", type=Path,
                        help="CSV with member_id and name columns (default: placeholders)")
    parser.add_argument("--id-column", default="member_id",
                        help="the roster CSV's id column (default: member_id)")
    parser.add_argument("--name-column", default="name",
                        help="the roster CSV's name column (default: name)")
    parser.add_argument("--decisions", type=Path,
                        help="CSV with decision_id and label columns (default: placeholders)")
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a file differs from what would be built")
    args = parser.parse_args(argv)
    roster = (read_pairs(args.roster, args.id_column, args.name_column) if args.roster
              else PLACEHOLDER_ROSTER)
    decisions = (read_pairs(args.decisions, "decision_id", "label") if args.decisions
                 else PLACEHOLDER_DECISIONS)
    outputs = build(args.out, roster, decisions)
    if args.check:
        stale = [p for p, data in outputs.items() if not p.is_file() or p.read_bytes() != data]
        for path in stale:
            print(f"out of date: {path}", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for path, data in outputs.items():
        path.write_bytes(data)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
