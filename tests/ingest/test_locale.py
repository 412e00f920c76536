"""No silent misreads: what depends on a locale or an export setting is read right or
reported (ingest/survey.py, ingest/names.py, ingest/roster.py, ingest/columns.py).

* Day/month order of timestamps that decide which duplicate response is the last:
  proved by the column (a day above 12), or an ``ambiguous-date`` error when it is not
  and it matters; a timestamp that cannot be read is a warning and row order is used.
* Invisible characters (zero-width spaces and joiners, a byte order mark inside a cell,
  no-break spaces, soft hyphens, direction marks) in names, cells and headers.
* Ids that lost their leading zeros in a spreadsheet ("7" for "007").
* Excel formulas in name cells are unknown names, never matched.
"""

from __future__ import annotations

import csv
import io
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cpower_network as cp
from cpower_network.ingest.names import NameMatcher, normalise_name
from cpower_network.ingest.survey import _readings

ROSTER = ('member_id,name,sector\nm01,Ana Ruiz,Parents\nm02,"Robert Lee, Jr.",Providers\n'
          "m03,José Núñez,Parents\nm04,Kim Tran,Funders\n")
HEAD = """
[study]
name = "locale"
[roster]
file = "roster.csv"
silo = "sector"
[scales]
frequency = { "Never" = 0, "Monthly" = 2, "Weekly" = 3 }
[relations.collaborate]
scale = "frequency"
[relations.advice]
"""
MATRIX = 'shape = "matrix"\nrelation = "collaborate"\ncolumns = "c_{member}"'
NAMES = 'shape = "name_generator"\nrelation = "advice"\ncolumns = ["n1"]'
#: Format characters (category Cf) that survive copy-paste from web pages and Word.
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad", "\u200e", "\u200f"]
#: Spaces that are not the ASCII space.
ODD_SPACES = ["\u00a0", "\u202f", "\u2009", "\u3000"]


def toml_for(*questions: str, respondent: str = "who", timestamp: str | None = None,
             extra: str = "") -> str:
    when = f'timestamp = "{timestamp}"\n' if timestamp else ""
    body = "".join(f"\n[[waves.w1.surveys.questions]]\n{q}\n" for q in questions)
    return (HEAD + extra + '\n[waves.w1]\n[[waves.w1.surveys]]\nfile = "s.csv"\n'
            f'respondent = "{respondent}"\n{when}' + body)


@pytest.fixture
def study_of(make_study):
    """``study_of(toml, survey_csv, roster=ROSTER)``: load a one-survey study."""

    def load(toml: str, text: str, roster: str = ROSTER) -> cp.Study:
        return cp.load_study(make_study(toml, {"roster.csv": roster, "s.csv": text}))

    return load


def ties(study: cp.Study) -> list[tuple]:
    frame = study.wave("w1").ties
    return sorted(zip(frame["relation"], frame["respondent"], frame["alter"],
                      frame["value"].astype(float), frame["row"], strict=True))


#: The problems these tests are about (other checks may add warnings of their own).
CODES = ("duplicate-response", "ambiguous-date", "unreadable-date", "ambiguous-column",
         "unknown-name", "ambiguous-name")


def reported(study: cp.Study) -> list:
    """The problems with one of :data:`CODES`, in order."""
    return [p for p in study.quality.problems if p.code in CODES]


def problems(study: cp.Study) -> list[tuple]:
    return [(p.severity, p.code, p.row, p.column) for p in reported(study)]


# --- day/month order of timestamps -------------------------------------------------------

TIMED = toml_for(MATRIX, timestamp="when")


def test_day_first_proved_by_the_column_orders_the_duplicates(study_of):
    # row 2 is 3 April and row 3 is 4 March when read day-first, which 13/04/2024 proves:
    # the last response is row 2, although row 3 comes later in the file
    study = study_of(TIMED, "who,when,c_m02,c_m03\n"
                            "m01,03/04/2024 10:00,Weekly,Never\n"
                            "m01,04/03/2024 10:00,Monthly,Weekly\n"
                            "m04,13/04/2024 09:00,Never,Monthly\n")
    assert ties(study) == [("collaborate", "m01", "m02", 3.0, 2),
                           ("collaborate", "m01", "m03", 0.0, 2),
                           ("collaborate", "m04", "m02", 0.0, 4),
                           ("collaborate", "m04", "m03", 2.0, 4)]
    (duplicate,) = reported(study)            # no ambiguous-date: the data settled it
    assert (duplicate.code, duplicate.row) == ("duplicate-response", 3)
    assert duplicate.message == "m01 answered this survey more than once; kept row 2"


def test_month_first_proved_by_the_column_orders_the_duplicates(study_of):
    # SurveyMonkey in the US: 04/13/2024 proves month-first, so row 2 is 3 April
    study = study_of(TIMED, "who,when,c_m02,c_m03\n"
                            "m01,04/03/2024 10:00:00 AM,Weekly,Never\n"
                            "m01,03/04/2024 10:00:00 AM,Monthly,Weekly\n"
                            "m04,04/13/2024 09:00:00 AM,Never,Monthly\n")
    assert ties(study)[:2] == [("collaborate", "m01", "m02", 3.0, 2),
                               ("collaborate", "m01", "m03", 0.0, 2)]
    assert problems(study) == [("warning", "duplicate-response", 3, None)]


def test_ambiguous_dates_that_decide_the_last_response_are_an_error(study_of):
    study = study_of(TIMED, "who,when,c_m02,c_m03\n"
                            "m01,03/04/2024 10:00,Weekly,Never\n"
                            "m01,04/03/2024 10:00,Monthly,Weekly\n"
                            "m04,12/04/2024 09:00,Never,Monthly\n")
    ambiguous, duplicate = reported(study)
    assert (ambiguous.severity, ambiguous.code, ambiguous.file, ambiguous.row,
            ambiguous.column, ambiguous.value) == \
        ("error", "ambiguous-date", "s.csv", 2, "when", "03/04/2024 10:00")
    assert ambiguous.message == (
        "the timestamp '03/04/2024 10:00' reads as 2024-04-03 10:00 day-first or "
        "2024-03-04 10:00 month-first, which decides which of m01's responses is the last; "
        "no date in the column has a day above 12 to settle the order, so row order was "
        "used (row 3 kept)")
    assert ambiguous.fix == ("export the dates in ISO format yyyy-mm-dd, or remove the "
                             "extra response")
    assert not study.quality.ok
    # row order: the later row is kept, and that is said
    assert (duplicate.code, duplicate.row) == ("duplicate-response", 2)
    assert ties(study)[:2] == [("collaborate", "m01", "m02", 2.0, 3),
                               ("collaborate", "m01", "m03", 3.0, 3)]


def test_ambiguous_dates_that_do_not_matter_pass_quietly(study_of):
    # 05/06 is after 03/04 either way: row 2 is the last response under both readings
    study = study_of(TIMED, "who,when,c_m02,c_m03\n"
                            "m01,05/06/2024 10:00,Weekly,Never\n"
                            "m01,03/04/2024 10:00,Monthly,Weekly\n")
    assert problems(study) == [("warning", "duplicate-response", 3, None)]
    assert [t[3] for t in ties(study)] == [3.0, 0.0]


def test_keep_first_asks_which_response_is_the_first(study_of):
    toml = toml_for(MATRIX, timestamp="when", extra='[analysis]\nduplicates = "keep_first"\n')
    study = study_of(toml, "who,when,c_m02,c_m03\n"
                           "m01,03/04/2024 10:00,Weekly,Never\n"
                           "m01,04/03/2024 10:00,Monthly,Weekly\n")
    (ambiguous, _duplicate) = reported(study)
    assert ambiguous.code == "ambiguous-date"
    assert "which of m01's responses is the first" in ambiguous.message
    assert ambiguous.message.endswith("so row order was used (row 2 kept)")


def test_an_unreadable_timestamp_is_a_warning_and_row_order_is_used(study_of):
    study = study_of(TIMED, "who,when,c_m02,c_m03\n"
                            "m01,2024-05-02 09:00:00,Weekly,Never\n"
                            "m01,soon,Monthly,Weekly\n"
                            "m02,,,Never\n"
                            "m04,whenever,Never,Monthly\n")   # answered once: no matter
    unreadable, duplicate = reported(study)
    assert (unreadable.severity, unreadable.code, unreadable.row, unreadable.column,
            unreadable.value) == ("warning", "unreadable-date", 3, "when", "soon")
    assert unreadable.message == (
        "the timestamp 'soon' is not a date and time cpower can read, so m01's responses "
        "were taken in row order (row 3 kept as the last)")
    assert (duplicate.code, duplicate.row) == ("duplicate-response", 2)
    assert [t[3:] for t in ties(study) if t[1] == "m01"] == [(2.0, 3), (3.0, 3)]


def test_a_blank_timestamp_in_a_duplicate_is_a_warning(study_of):
    study = study_of(TIMED, "who,when,c_m02,c_m03\n"
                            "m01,,Weekly,Never\n"
                            "m01,2024-05-01 09:00:00,Monthly,Weekly\n")
    assert problems(study)[0] == ("warning", "unreadable-date", 2, "when")
    assert reported(study)[0].message.startswith("the timestamp is blank, so m01's")


def test_platform_timestamps_order_across_days_and_offsets(study_of):
    # Google Forms: 12:30 AM is just after midnight, so row 2 (11 PM the day before)
    # comes first; without the AM/PM reading it would be the other way round
    study = study_of(TIMED, "who,when,c_m02,c_m03\n"
                            "m01,2024/05/02 12:30:00 AM GMT+1,Weekly,Never\n"
                            "m01,2024/05/01 11:00:00 PM GMT+1,Monthly,Weekly\n")
    assert problems(study) == [("warning", "duplicate-response", 3, None)]
    # KoboToolbox: 09:00 at +02:00 is 07:00 UTC, after 06:30 at +00:00
    study = study_of(TIMED, "who,when,c_m02,c_m03\n"
                            "m01,2024-05-01T09:00:00.000+02:00,Weekly,Never\n"
                            "m01,2024-05-01T06:30:00.000+00:00,Monthly,Weekly\n")
    assert problems(study) == [("warning", "duplicate-response", 3, None)]


@pytest.mark.parametrize(("text", "readings"), [
    ("2024/05/01 9:30:00 AM GMT+1", {"2024-05-01T09:30:00+01:00"}),      # Google Forms
    ("2024/05/01 12:05:00 AM GMT+1", {"2024-05-01T00:05:00+01:00"}),
    ("2024-05-01 09:10:01", {"2024-05-01T09:10:01"}),                     # Qualtrics
    ("2024-05-01T09:00:00.000+02:00", {"2024-05-01T09:00:00+02:00"}),     # KoboToolbox
    ("2024-05-01T09:00:00Z", {"2024-05-01T09:00:00+00:00"}),
    ("05/01/2024 09:00:11 PM", {"2024-05-01T21:00:11", "2024-01-05T21:00:11"}),
    ("13/04/2024 10:00", {"2024-04-13T10:00:00"}),                         # day-first only
    ("04/13/2024 10:00", {"2024-04-13T10:00:00"}),                         # month-first only
    ("01.05.2024 09:30", {"2024-05-01T09:30:00", "2024-01-05T09:30:00"}),
    ("1/5/24 9:30", {"2024-05-01T09:30:00", "2024-01-05T09:30:00"}),       # Excel short date
    ("\u200b2024-05-01\u00a009:10:01\ufeff", {"2024-05-01T09:10:01"}),
    ("May 1, 2024 9:30 AM", {"2024-05-01T09:30:00"}),
    ("31/04/2024 10:00", set()),                                           # no such day
    ("2024-05-01 13:00 PM", set()),
    ("soon", set()),
    ("", set()),
])
def test_timestamp_readings(text, readings):
    assert {moment.isoformat() for moment in _readings(text).values()} == readings


# --- invisible characters ----------------------------------------------------------------

CLEAN_SURVEY = ("when,who,c_m02,c_m03,n1\n"
                "2024-05-01 09:00,Ana Ruiz,Weekly,Never,Kim Tran\n"
                "2024-05-01 10:00,m04,Monthly,Weekly,\"Robert Lee, Jr.\"\n")
EXPECTED_TIES = [("advice", "m01", "m04", 1.0, 2), ("advice", "m04", "m02", 1.0, 3),
                 ("collaborate", "m01", "m02", 3.0, 2), ("collaborate", "m01", "m03", 0.0, 2),
                 ("collaborate", "m04", "m02", 2.0, 3), ("collaborate", "m04", "m03", 3.0, 3)]


def test_invisible_characters_in_names_cells_and_headers(study_of):
    toml = toml_for(MATRIX, NAMES)
    clean = study_of(toml, CLEAN_SURVEY)
    assert ties(clean) == EXPECTED_TIES
    roster = ("member_id\ufeff,\u200bname,sector\n"
              "m01,Ana\u200b Ruiz,Parents\n"
              "m02,\"Robert\u00a0Lee,\u00a0Jr.\u200e\",Providers\n"
              "m03,José Nú\u00adñez,Parents\n"
              "m04 ,Kim\u2009Tran\u200f,Funders\n")
    survey = ("when,\u200bwho\ufeff,c_\u200bm02,c_m03\u00a0,n1\u200d\n"
              "2024-05-01 09:00,Ana Ruiz\u00a0,Weekly,Never,\ufeffKim  Tran\n"
              "2024-05-01 10:00,m04\u200b,Monthly,Weekly,\"Robert Lee,\u202fJr.\u200c\"\n")
    study = study_of(toml, survey, roster=roster)
    assert ties(study) == EXPECTED_TIES
    assert study.quality.ok
    assert [(p.code, p.row) for p in study.quality.problems] == \
        [(p.code, p.row) for p in clean.quality.problems]
    assert study.roster["name"].tolist()[0] == "Ana\u200b Ruiz"      # stored as given


def test_a_header_pattern_tolerates_odd_spaces():
    from cpower_network.ingest.columns import _fit, pattern_regex

    regex = pattern_regex("How often do you work with each member? [{member}]")
    assert _fit(regex, "How often do you work with\u00a0each member?\u200b [Kim Tran]") \
        == "Kim Tran"
    assert _fit(regex, "group/How often do you work with each member? [\u200bm01]") == "m01"
    assert _fit(regex, "How often do you work with each member? Kim Tran") is None


def test_headers_that_collide_without_invisible_characters_are_ambiguous(study_of):
    study = study_of(toml_for(NAMES), "\u200bwho,who\ufeff,n1\nm01,m02,m03\n")
    (problem,) = [p for p in reported(study) if p.code == "ambiguous-column"]
    assert (problem.severity, problem.column) == ("error", "who")
    assert problem.message == ("respondent column: the header 'who' appears in several "
                               "columns (A, B)")


def test_an_exact_header_wins_over_one_with_invisible_characters(study_of):
    study = study_of(toml_for(NAMES), "who\u200b,who,n1\nm01,m02,m03\n")
    assert ties(study) == [("advice", "m02", "m03", 1.0, 2)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Ana\u200b Ruiz", "ana ruiz"),
    ("Ana Ruiz\u00a0", "ana ruiz"),
    ("\ufeffAna\u200dRuiz\u200c", "anaruiz"),
    ("Ana\u3000\u00adRuiz\u200e\u200f", "ana ruiz"),
])
def test_normalise_name_drops_invisible_characters(text, expected):
    assert normalise_name(text) == expected


def test_normalise_name_for_headers_keeps_case_and_accents():
    assert normalise_name("\u200b Tu\u00a0Nombre\u00a0(José) \ufeff", fold=False) == \
        "Tu Nombre (José)"
    assert normalise_name("Jose\u0301", fold=False) == "José"                # NFC


# --- ids that lost their leading zeros ---------------------------------------------------

ZERO_ROSTER = "member_id,name,sector\n007,Ana Ruiz,Parents\n012,Kim Tran,Funders\n120,Lee,X\n"


def test_numbers_that_lost_leading_zeros_match_the_padded_id(study_of):
    study = study_of(toml_for(NAMES), "who,n1\n7,12\n12,0007\n120,7\n", roster=ZERO_ROSTER)
    assert ties(study) == [("advice", "007", "012", 1.0, 2), ("advice", "012", "007", 1.0, 3),
                           ("advice", "120", "007", 1.0, 4)]
    assert study.quality.ok


def test_zero_padding_notes_list_each_spelling_once():
    matcher = NameMatcher({"007": "Ana Ruiz", "012": "Kim Tran", "120": "Lee"})
    found = [matcher.match(t) for t in ("7", "7", " 7 ", "12", "0007", "120", "007")]
    assert [(f.member, f.how) for f in found] == [
        ("007", "id-zeros"), ("007", "id-zeros"), ("007", "id-zeros"), ("012", "id-zeros"),
        ("007", "id-zeros"), ("120", "id"), ("007", "id")]
    assert matcher.zero_padding_notes() == [("0007", "007"), ("12", "012"), ("7", "007")]


def test_a_number_that_fits_two_padded_ids_is_ambiguous(study_of):
    matcher = NameMatcher({"07": "Ana Ruiz", "007": "Kim Tran", "8": "Lee"})
    found = matcher.match("7")
    assert (found.member, found.how, found.candidates) == (None, "ambiguous", ("07", "007"))
    assert matcher.zero_padding_notes() == []
    roster = "member_id,name,sector\n07,Ana Ruiz,Parents\n007,Kim Tran,Funders\n8,Lee,X\n"
    study = study_of(toml_for(NAMES), "who,n1\n8,7\n", roster=roster)
    (problem,) = reported(study)
    assert (problem.code, problem.row, problem.column, problem.value) == \
        ("ambiguous-name", 2, "n1", "7")
    assert ties(study) == []


@pytest.mark.parametrize(("text", "how"), [
    ("m7", "unknown"),          # only plain numbers lose zeros
    ("70", "unknown"),          # zeros are dropped in front only
    ("seven", "unknown"),
])
def test_zero_matching_needs_a_plain_number(text, how):
    matcher = NameMatcher({"m007": "Ana Ruiz", "007": "Kim Tran"})
    assert (matcher.match(text).member, matcher.match(text).how) == (None, how)


def test_an_alias_wins_over_a_padded_id():
    matcher = NameMatcher({"007": "Ana Ruiz", "008": "Kim Tran"}, {"7": "008"})
    assert (matcher.match("7").member, matcher.match("7").how) == ("008", "alias")
    assert matcher.zero_padding_notes() == []


# --- Excel formulas are not names --------------------------------------------------------

def test_excel_formulas_in_name_cells_are_reported_not_matched(study_of):
    survey = ('who,n1\nm01,"=HYPERLINK(""mailto:kim@example.org"",""Kim Tran"")"\n'
              "m02,=A2\n=B3,m01\n")
    study = study_of(toml_for(NAMES), survey)
    assert ties(study) == []
    assert problems(study) == [("error", "unknown-name", 4, "who"),
                               ("error", "unknown-name", 2, "n1"),
                               ("error", "unknown-name", 3, "n1")]
    values = [p.value for p in reported(study)]
    assert values == ["=B3", '=HYPERLINK("mailto:kim@example.org","Kim Tran")', "=A2"]


# --- property: invisible characters change nothing ---------------------------------------

POOL = ["Ana Ruiz", "Robert Lee, Jr.", "José Núñez", "Zoë O'Brien", "Kim Tran", "Lee",
        "Ngọc Ánh", "María-José", "Smith, Jane", "ÅSA  ÖBERG"]


def dirty(text: str, rng: random.Random) -> str:
    """``text`` with invisible characters anywhere, odd spaces for its spaces, and
    sometimes blank padding: the same text once normalised."""
    chars = [rng.choice(ODD_SPACES) if ch == " " and rng.random() < 0.5 else ch
             for ch in text]
    for _ in range(rng.randint(1, 3)):
        chars.insert(rng.randint(0, len(chars)), rng.choice(INVISIBLE))
    pad = rng.choice(["", " ", "\u00a0", "\u3000"])
    return pad + "".join(chars) + rng.choice(["", " ", "\u00a0"])


@st.composite
def tiny_studies(draw):
    """A roster of 2–4 members, and a survey with a matrix and a name generator whose
    respondents and alters are written as ids or names."""
    names = draw(st.lists(st.sampled_from(POOL), min_size=2, max_size=4, unique=True))
    roster = [(f"m{i}", name) for i, name in enumerate(names, start=1)]
    person = st.sampled_from([m for m, _ in roster] + names + ["Nobody"])
    tokens = [draw(st.sampled_from([m, n])) for m, n in roster]
    header = ["who", *(f"mx:{t}" for t in tokens), "ng_1", "ng_2"]
    rows = [[draw(person), *(draw(st.sampled_from(["Never", "Monthly", "Weekly", ""]))
                             for _ in tokens), draw(person), draw(person)]
            for _ in range(draw(st.integers(1, 4)))]
    return roster, [header, *rows]


def write_study(root: Path, roster, survey) -> None:
    toml = HEAD + (
        '\n[waves.w1]\n[[waves.w1.surveys]]\nfile = "s.csv"\nrespondent = "who"\n'
        '[[waves.w1.surveys.questions]]\nshape = "matrix"\nrelation = "collaborate"\n'
        'columns = "mx:{member}"\n[[waves.w1.surveys.questions]]\n'
        'shape = "name_generator"\nrelation = "advice"\ncolumns = ["ng_1", "ng_2"]\n')
    (root / "cpower.toml").write_text(toml, encoding="utf-8")
    for name, rows in (("roster.csv", [["member_id", "name", "sector"],
                                       *([m, n, "S"] for m, n in roster)]),
                       ("s.csv", survey)):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        (root / name).write_text(buffer.getvalue(), encoding="utf-8")


def outcome(roster, survey) -> tuple[list, list]:
    with tempfile.TemporaryDirectory() as folder:
        write_study(Path(folder), roster, survey)
        study = cp.load_study(Path(folder))
    frame = study.wave("w1").ties
    found = sorted(zip(frame["relation"], frame["respondent"], frame["alter"],
                       frame["value"].astype(float), frame["row"],
                       frame["column"].map(lambda c: normalise_name(c, fold=False)),
                       strict=True))
    return found, [(p.code, p.row) for p in study.quality.problems]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(study=tiny_studies(), rng=st.randoms(use_true_random=False))
def test_invisible_characters_change_no_tie(study, rng):
    roster, survey = study
    dirty_roster = [(m, dirty(n, rng)) for m, n in roster]      # ids are stored as given
    header, *rows = survey
    dirty_survey = [[dirty(h, rng) for h in header],
                    *([c if c in ("", "Never", "Monthly", "Weekly") else dirty(c, rng)
                       for c in row] for row in rows)]
    clean = outcome(roster, survey)
    assert outcome(dirty_roster, dirty_survey) == clean
