"""Property: whatever bytes a roster or survey file holds, loading the study either works
or raises a :class:`~cpower_network.errors.CpowerError` whose message names the file;
never another exception (issue 14).

Hypothesis writes the damaged file as one of: random bytes; a valid CSV in a random
encoding (UTF-8 with or without BOM, UTF-16 LE/BE with or without BOM, Windows-1252,
Latin-1), with random control characters, stray quotes and sometimes a cell over the csv
module's 128 KB field limit, then cut at a random byte; a valid XLSX workbook cut at a
random byte or with random bytes overwritten. It replaces either the roster or the survey
of a small study.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

import cpower_network as cp
from cpower_network.errors import CpowerError

TOML = """
[study]
name = "property"
[roster]
file = "{roster}"
silo = "sector"
[relations.advice]
[waves.w1]
[[waves.w1.surveys]]
file = "{survey}"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "name_generator"
relation = "advice"
columns = ["adv1", "adv2"]
[[waves.w1.surveys.questions]]
shape = "multi_select"
relation = "advice"
column = "w"
separator = ";"
"""
ROSTER = [["member_id", "name", "sector"], ["m1", "Ana Ruiz", "A"], ["m2", "Kim Tran", "B"],
          ["m3", "José Núñez", "B"]]
SURVEY = [["who", "adv1", "adv2", "w"], ["m1", "Kim Tran", "", "m2;m3"],
          ["m2", "Ana Ruiz", "José Núñez", "Ana Ruiz"]]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1"]
CONTROL = st.sampled_from(["\x00", "\x01", "\x1b", "\x7f", "\r", "\n", '"', "\ufeff",
                           "\u200b", "\ud800", "\udfff", ",", ";", "\t"])
CELL = st.text(st.characters(codec="utf-8") | CONTROL, max_size=12)


def csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    text = "".join(",".join(row) + "\r\n" for row in rows)
    return text.encode(encoding, errors="surrogatepass" if "utf" in encoding else "replace")


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = {"roster": xlsx_bytes(ROSTER), "survey": xlsx_bytes(SURVEY)}


@st.composite
def damaged_csv(draw, role: str) -> tuple[str, bytes]:
    rows = [list(row) for row in (ROSTER if role == "roster" else SURVEY)]
    for _ in range(draw(st.integers(0, 4))):
        row = draw(st.integers(0, len(rows) - 1))
        column = draw(st.integers(0, len(rows[row]) - 1))
        rows[row][column] = draw(CELL)
    if draw(st.integers(0, 9)) == 0:       # now and then, a cell over 128 KB
        rows[-1][-1] = draw(st.sampled_from(["x", '"a,b', "Ana Ruiz;"])) * 50_000
    data = csv_bytes(rows, draw(st.sampled_from(ENCODINGS)))
    cut = draw(st.integers(0, len(data)))
    return "csv", data[:cut] if draw(st.booleans()) else data


@st.composite
def damaged_xlsx(draw, role: str) -> tuple[str, bytes]:
    data = bytearray(XLSX[role])
    if draw(st.booleans()):
        return "xlsx", bytes(data[:draw(st.integers(0, len(data)))])
    for _ in range(draw(st.integers(1, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return "xlsx", bytes(data)


@st.composite
def cases(draw) -> tuple[str, str, bytes]:
    role = draw(st.sampled_from(["roster", "survey"]))
    kind, data = draw(st.one_of(
        st.tuples(st.sampled_from(["csv", "xlsx"]), st.binary(max_size=3000)),
        damaged_csv(role), damaged_xlsx(role)))
    return role, kind, data


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.data_too_large])
@given(cases())
def test_damaged_files_load_or_raise_a_located_error(case):
    role, kind, data = case
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        names = {"roster": "roster.csv", "survey": "survey.csv", role: f"damaged.{kind}"}
        (root / "cpower.toml").write_text(TOML.format(**names), encoding="utf-8")
        (root / "roster.csv").write_text("\n".join(",".join(r) for r in ROSTER),
                                         encoding="utf-8")
        (root / "survey.csv").write_text("\n".join(",".join(r) for r in SURVEY),
                                         encoding="utf-8")
        (root / names[role]).write_bytes(data)
        try:
            study = cp.load_study(root)
        except CpowerError as error:
            assert f"damaged.{kind}" in error.message
        else:
            assert list(study.waves) == ["w1"]
            if role == "survey":     # every problem of the damaged file names it
                assert all(p.file in ("damaged." + kind, "cpower.toml")
                           for p in study.quality.problems)
