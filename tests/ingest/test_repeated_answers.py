"""The same answer text in many cells is read the same way in each, and every cell that
cannot be read is reported and set aside where it stands (issue 12: readers remember what
a text read as, per question and scale, instead of reading it again in every row)."""

from __future__ import annotations

import cpower_network as cp

ROSTER = "member_id,name,sector\nm01,Ana Ruiz,A\nm02,Kim Tran,B\nm03,José Núñez,A\n"
SCALES = """
[study]
name = "repeats"
[roster]
file = "roster.csv"
silo = "sector"
[scales]
frequency = { "Never" = 0, "Monthly" = 1, "Weekly" = 2 }
trust = { "Not at all" = 1, "A lot" = 2 }
[relations.collaborate]
scale = "frequency"
[relations.trust]
scale = "trust"
[waves.w1]
[[waves.w1.surveys]]
file = "s.csv"
respondent = "who"
"""
LONG = SCALES + """
[[waves.w1.surveys.questions]]
shape = "long"
alter = "alter"
relation_column = "relation"
value = "answer"
"""
MATRIX = SCALES + """
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "collaborate"
columns = "Work - {member}"
"""


def load(make_study, toml: str, survey: str) -> cp.Study:
    return cp.load_study(make_study(toml, {"roster.csv": ROSTER, "s.csv": survey}))


def located(study: cp.Study, code: str) -> list[tuple[int | None, str | None, str | None]]:
    return [(p.row, p.column, p.value) for p in study.quality.problems if p.code == code]


def set_aside(study: cp.Study) -> list[tuple[int, str, str, str]]:
    frame = study.quality.set_aside
    return list(zip(frame["row"], frame["column"], frame["value"], frame["reason"],
                    strict=True))


def test_a_long_file_reads_each_text_on_its_own_relations_scale(make_study):
    # "Weekly" is a frequency label, not a trust label; "A lot" the other way round
    survey = ("who,alter,relation,answer\n"
              "m01,m02,collaborate,Weekly\n"
              "m01,m02,trust,Weekly\n"
              "m01,m03,collaborate,Weekly\n"
              "m02,m01,trust,A lot\n"
              "m02,m03,collaborate,A lot\n"
              "m03,m01,trust,A lot\n"
              "m03,m02,trust,Weekly\n")
    study = load(make_study, LONG, survey)
    ties = study.wave("w1").ties
    assert list(zip(ties["respondent"], ties["relation"], ties["alter"], ties["value"],
                    ties["row"], strict=True)) == [
        ("m01", "collaborate", "m02", 2.0, 2), ("m01", "collaborate", "m03", 2.0, 4),
        ("m02", "trust", "m01", 2.0, 5), ("m03", "trust", "m01", 2.0, 7)]
    assert located(study, "off-scale") == [(3, "answer", "Weekly"), (6, "answer", "A lot"),
                                           (8, "answer", "Weekly")]
    assert set_aside(study) == [(3, "answer", "Weekly", "off the scale"),
                                (6, "answer", "A lot", "off the scale"),
                                (8, "answer", "Weekly", "off the scale")]


def test_a_long_file_settles_repeated_pairs_after_reading_every_row(make_study):
    survey = ("who,alter,relation,answer\n"
              "m01,m02,collaborate,Weekly\n"
              "m01,m03,collaborate,Monthly\n"
              "m01,m02,collaborate,weekly\n"      # the same answer again: kept once
              "m02,m01,collaborate,Never\n"
              "m01,m03,collaborate,Never\n")      # a different answer: a conflict
    study = load(make_study, LONG, survey)
    ties = study.wave("w1").ties
    assert list(zip(ties["respondent"], ties["alter"], ties["value"], ties["row"],
                    strict=True)) == [("m01", "m02", 2.0, 2), ("m02", "m01", 0.0, 5)]
    assert located(study, "conflicting-answers") == [(3, "answer", "Monthly")]
    assert set_aside(study) == [
        (4, "answer", "weekly", "same answer about this member given twice"),
        (3, "answer", "Monthly", "conflicting answers"),
        (6, "answer", "Never", "conflicting answers")]


def test_a_grid_reports_every_cell_of_a_repeated_unreadable_text(make_study):
    survey = ("who,Work - Ana Ruiz,Work - Kim Tran,Work - José Núñez\n"
              "m01,,Daily,Weekly\n"
              "m02,Daily,,2\n"
              "m03,Weekly,2,\n")
    study = load(make_study, MATRIX, survey)
    ties = study.wave("w1").ties
    assert list(zip(ties["respondent"], ties["alter"], ties["value"], strict=True)) == [
        ("m01", "m03", 2.0), ("m03", "m01", 2.0)]
    assert located(study, "off-scale") == [(2, "Work - Kim Tran", "Daily"),
                                           (3, "Work - Ana Ruiz", "Daily")]
    (codes,) = [p for p in study.quality.problems if p.code == "numeric-codes"]
    assert "2 answers are bare numbers" in codes.message
    assert codes.cells == ("row 3, column 'Work - José Núñez': '2'",
                           "row 4, column 'Work - Kim Tran': '2'")
    reasons = [(row, column, reason) for row, column, _, reason in set_aside(study)
               if reason != "blank"]
    assert reasons == [(2, "Work - Kim Tran", "off the scale"),
                       (3, "Work - Ana Ruiz", "off the scale"),
                       (3, "Work - José Núñez", "numeric code on a labelled scale"),
                       (4, "Work - Kim Tran", "numeric code on a labelled scale")]


def test_a_checkbox_grid_reads_the_option_text_in_every_row(make_study):
    toml = MATRIX.replace('scale = "frequency"\n[relations.trust]',
                          'scale = "tie"\n[relations.trust]')
    # the last row has Kim Tran's name under Ana Ruiz's column too: not a tick
    survey = ("who,Work - Ana Ruiz,Work - Kim Tran,Work - José Núñez\n"
              "m01,,Kim Tran,José Núñez\n"
              "m02,Ana Ruiz,,José Núñez\n"
              "m03,Kim Tran,Kim Tran,\n")
    study = load(make_study, toml, survey)
    ties = study.wave("w1").ties
    assert sorted(zip(ties["respondent"], ties["alter"], ties["row"], strict=True)) == [
        ("m01", "m02", 2), ("m01", "m03", 2), ("m02", "m01", 3), ("m02", "m03", 3),
        ("m03", "m02", 4)]
    assert located(study, "off-scale") == [(4, "Work - Ana Ruiz", "Kim Tran")]
