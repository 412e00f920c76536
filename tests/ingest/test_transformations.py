"""No silent misreads: the same answers, exported differently, give the same ties or a
located problem. Never a third outcome.

Hypothesis writes a small study (a roster with accented names, a Google-Forms-like
export with a frequency grid, a one-cell multi-select and a name generator, timestamps
and sometimes a member who answered twice), reads the clean export, then exports the same
answers under one transformation that real exports undergo:

* ``numeric``: labels replaced by the platform's numeric codes (Never = 1 … Weekly = 4);
* ``numeric_declared``: the same, with the codes declared in ``[scales]``;
* ``renamed``: a grid column headed with the member's alias instead of their name;
* ``duplicated``: a second grid column for one member (under an alias), holding the same
  answer or, for one respondent, a different one;
* ``damaged_byte``: one cell of the export holds one Windows-1252 byte;
* ``day_first``: timestamps written day/month/year;
* ``left_out``: one member's grid column removed;
* ``non_members``: "Someone else (please specify)" and "Don't know" among the answers.

The property: either the ties are exactly the clean ties, or ``load_study`` reports a
problem of the transformation's kind that names the file and the row or column where it
happened (``left_out``: exactly the ties about that member are missing, and a
``not-asked`` problem names them).
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cpower_network as cp

LABELS = ["Never", "A few times a year", "Monthly", "Weekly"]
CODES = {label: str(i + 1) for i, label in enumerate(LABELS)}
NAMES = ["Ana Ruiz", "José Núñez", "Zoë Müller", "Łucja Wróbel", "Kim Tran", "Ngọc Ánh",
         "Robert Lee, Jr.", "Dana Wells"]
TRANSFORMS = ["numeric", "numeric_declared", "renamed", "duplicated", "damaged_byte",
              "day_first", "left_out", "non_members"]
GRID = "How often do you work with each member? [{}]"

TOML = """
[study]
name = "transformed"
[roster]
file = "roster.csv"
silo = "sector"
[aliases]
{aliases}
[scales]
frequency = {scale}
[relations.collaborate]
scale = "frequency"
[relations.influence]
[relations.advice]
[waves.w1]
[[waves.w1.surveys]]
file = "export.csv"
respondent = "Your name"
timestamp = "Timestamp"
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "collaborate"
columns = "How often do you work with each member? [{{member}}]"
[[waves.w1.surveys.questions]]
shape = "multi_select"
relation = "influence"
column = "Whose opinion carries weight?"
separator = ", "
[[waves.w1.surveys.questions]]
shape = "name_generator"
relation = "advice"
columns = ["Advice 1", "Advice 2"]
"""
LABEL_SCALE = "{ " + ", ".join(f'"{label}" = {i}' for i, label in enumerate(LABELS)) + " }"
CODED_SCALE = ("{ labels = " + LABEL_SCALE + ", codes = { " +
               ", ".join(f'{code} = "{label}"' for label, code in CODES.items()) + " } }")


@dataclass(frozen=True)
class Export:
    """A study's files as rows of text (header first)."""

    roster: list[str]
    header: list[str]
    rows: list[list[str]]
    aliases: dict[str, str]
    scale: str = LABEL_SCALE

    def column(self, name: str) -> int:
        return self.header.index(name)


@st.composite
def exports(draw) -> Export:
    size = draw(st.integers(3, 6))
    roster = draw(st.permutations(NAMES))[:size]
    grid = [GRID.format(name) for name in roster]
    header = ["Timestamp", "Your name", *grid, "Whose opinion carries weight?",
              "Advice 1", "Advice 2"]
    respondents = draw(st.lists(st.sampled_from(roster), min_size=1, max_size=size + 1))
    rows = []
    for number, name in enumerate(respondents):
        others = [n for n in roster if n != name]
        answers = [draw(st.sampled_from([*LABELS, ""])) if n != name else "" for n in roster]
        chosen = draw(st.lists(st.sampled_from(others), max_size=2, unique=True))
        advice = draw(st.lists(st.sampled_from(others), max_size=2, unique=True))
        day = 13 + number  # days above 12: the day/month order is provable
        rows.append([f"2024-05-{day:02d} 10:{number:02d}:00", name, *answers,
                     ", ".join(chosen), *[*advice, "", ""][:2]])
    aliases = {f"{name.split()[0]} alias": f"m{i}" for i, name in enumerate(roster, start=1)}
    return Export(roster, header, rows, aliases)


def load(export: Export, *, raw: bytes | None = None) -> cp.Study:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        aliases = "\n".join(f'"{a}" = "{m}"' for a, m in export.aliases.items())
        (root / "cpower.toml").write_text(TOML.format(aliases=aliases, scale=export.scale),
                                          encoding="utf-8")
        roster = [["member_id", "name", "sector"]] + [
            [f"m{i}", name, "S" if i % 2 else "T"] for i, name in enumerate(export.roster, 1)]
        (root / "roster.csv").write_text(_csv(roster), encoding="utf-8")
        data = raw if raw is not None else _csv([export.header, *export.rows]).encode()
        (root / "export.csv").write_bytes(data)
        return cp.load_study(root)


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL).writerows(rows)
    return buffer.getvalue()


def ties(study: cp.Study) -> list[tuple]:
    frame = study.wave("w1").ties
    return sorted(zip(frame["relation"], frame["respondent"], frame["alter"], frame["value"],
                      strict=True))


# --- the transformations: each returns the new export (or bytes) and what it touched ------

def numeric(export: Export, draw) -> tuple[Export, set]:
    rows = [[CODES.get(cell, cell) if export.header[i].startswith("How often") else cell
             for i, cell in enumerate(row)] for row in export.rows]
    return replace(export, rows=rows), {"numeric-codes"}


def numeric_declared(export: Export, draw) -> tuple[Export, set]:
    coded, _ = numeric(export, draw)
    return replace(coded, scale=CODED_SCALE), set()


def renamed(export: Export, draw) -> tuple[Export, set]:
    index = draw(st.integers(0, len(export.roster) - 1))
    alias = next(a for a, m in export.aliases.items() if m == f"m{index + 1}")
    header = list(export.header)
    header[export.column(GRID.format(export.roster[index]))] = GRID.format(alias)
    return replace(export, header=header), set()


def duplicated(export: Export, draw) -> tuple[Export, set]:
    index = draw(st.integers(0, len(export.roster) - 1))
    alias = next(a for a, m in export.aliases.items() if m == f"m{index + 1}")
    source = export.column(GRID.format(export.roster[index]))
    differ = draw(st.booleans())
    rows = []
    for number, row in enumerate(export.rows):
        copy = row[source]
        if differ and number == 0 and row[1] != export.roster[index]:
            copy = next(label for label in LABELS if label != row[source])
        rows.append([*row, copy])
    return (replace(export, header=[*export.header, GRID.format(alias)], rows=rows),
            {"conflicting-answers", "duplicate-member-column"})


def day_first(export: Export, draw) -> tuple[Export, set]:
    rows = []
    for row in export.rows:
        date, time = row[0].split(" ")
        year, month, day = date.split("-")
        rows.append([f"{day}/{month}/{year} {time}", *row[1:]])
    return replace(export, rows=rows), {"ambiguous-date"}


def non_members(export: Export, draw) -> tuple[Export, set]:
    multi, advice = export.column("Whose opinion carries weight?"), export.column("Advice 2")
    rows = []
    for row in export.rows:
        row = list(row)
        row[multi] = ", ".join(p for p in (row[multi], "Someone else (please specify)") if p)
        if not row[advice]:
            row[advice] = "Don't know"
        rows.append(row)
    return replace(export, rows=rows), set()


def left_out(export: Export, draw) -> tuple[Export, str]:
    index = draw(st.integers(0, len(export.roster) - 1))
    drop = export.column(GRID.format(export.roster[index]))
    return (replace(export, header=[c for i, c in enumerate(export.header) if i != drop],
                    rows=[[c for i, c in enumerate(r) if i != drop] for r in export.rows]),
            f"m{index + 1}")


def damaged_byte(export: Export, draw) -> tuple[bytes, tuple[int, str]]:
    """One accented letter of one cell written as its Windows-1252 byte."""
    cells = [(r, c) for r, row in enumerate(export.rows) for c, cell in enumerate(row)
             if any(ord(ch) > 127 and ch.encode("cp1252", "ignore") for ch in cell)]
    if not cells:
        return _csv([export.header, *export.rows]).encode(), (0, "")
    r, c = draw(st.sampled_from(cells))
    cell = export.rows[r][c]
    at = next(i for i, ch in enumerate(cell) if ord(ch) > 127 and ch.encode("cp1252", "ignore"))
    marker = "\x00MARK\x00"
    rows = [list(row) for row in export.rows]
    rows[r][c] = cell[:at] + marker + cell[at + 1:]
    data = _csv([export.header, *rows]).encode()
    data = data.replace(marker.encode(), cell[at].encode("cp1252"))
    return data, (r + 2, export.header[c])


# --- the property ------------------------------------------------------------------------

def located(problem, codes: set, file: str = "export.csv") -> bool:
    return problem.code in codes and problem.file == file and (
        problem.row is not None or bool(problem.column))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(export=exports(), transform=st.sampled_from(TRANSFORMS), data=st.data())
def test_same_ties_or_a_located_problem(export, transform, data):
    clean = load(export)
    assert clean.quality.ok, [str(p) for p in clean.quality.problems]
    expected = ties(clean)
    draw = data.draw
    if transform == "left_out":
        changed, member = left_out(export, draw)
        study = load(changed)
        assert ties(study) == [t for t in expected if not (t[0] == "collaborate"
                                                          and t[2] == member)]
        assert any(p.code == "not-asked" and p.file == "export.csv" and member in p.value
                   for p in study.quality.problems)
        assert study.wave("w1").not_asked == {"collaborate": [member]}
        return
    if transform == "damaged_byte":
        raw, (row, column) = damaged_byte(export, draw)
        if not row:  # no accented letter to damage
            return
        study = load(export, raw=raw)
        same = ties(study) == expected
        reported = any(p.file == "export.csv" and p.row == row and p.column == column
                       for p in study.quality.problems)
        assert same or reported, [str(p) for p in study.quality.problems]
        # the rest of the file keeps its accents: no other respondent is lost to mojibake
        damaged_respondent = f"m{export.roster.index(export.rows[row - 2][1]) + 1}"
        kept = set(study.wave("w1").responses["respondent"]) | {damaged_respondent}
        assert kept >= set(clean.wave("w1").responses["respondent"])
        return
    changed, codes = globals()[transform](export, draw)
    study = load(changed)
    if ties(study) != expected:
        assert any(located(p, codes) for p in study.quality.problems), (
            transform, [str(p) for p in study.quality.problems])
    if transform in ("numeric", "numeric_declared", "renamed", "non_members"):
        # these never lose an answer without a located error
        errors = [p for p in study.quality.problems if p.severity == "error"]
        assert ties(study) == expected or any(located(p, codes) for p in errors)
    if transform == "non_members":
        reasons = set(study.quality.set_aside["reason"])
        assert "non-member choice" in reasons
        assert study.quality.ok
