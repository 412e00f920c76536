"""Nothing read is lost: a property test over generated studies.

Hypothesis writes a roster (2–6 members; names with accents, ", ", quotes, markup, and
sometimes two members with the same name) and a survey file with a random mix of every
shape: roster matrix, name generator, multi-select as one joined cell or one column per
choice, perception items, decisions (joined and per choice), and sometimes a long edge
list. Answers include blanks, separators only, unknown names, off-scale values,
self-nominations, repeated names and duplicate responses.

The property: every answer cell of every non-blank data row either becomes a row of
``ties``, ``perceptions``, ``decisions`` or ``participation`` (found by its ``file``,
``row`` and ``column`` provenance; participation by ``involved_column`` /
``voice_column``), or is listed in ``study.quality.set_aside`` with a reason, where a row
with an empty ``column`` stands for the whole response. And every produced row points
back at an answer cell that was written, between two members of the roster who are not
the same person.
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cpower_network as cp

POOL = ["Ana Ruiz", "Robert Lee, Jr.", "José Núñez", "Zoë O'Brien", "Kim Tran", "Lee",
        "Ngọc Ánh", "María-José", "Smith, Jane", "Jane", "Smith", 'Ana "Nana" Ruiz',
        "<script>alert(1)</script>", "ÅSA  ÖBERG", "Lee, Jr."]
LETTERS = "abcdeéíñøzABCÉÑZ ,.'-"
NAMES = st.one_of(
    st.sampled_from(POOL),
    st.text(LETTERS, min_size=1, max_size=12).map(str.strip).filter(bool),
)
FREQUENCY = ["Never", "Monthly", "Weekly", "weekly ", " NEVER", "0", "2", "3", "Daily", "1",
             "", "", "x"]
AGREE = ["Disagree", "Neutral", "Agree", "agree", "3", "1", "Maybe", "7", "", ""]
TICKS = ["1", "0", "", "", "x", "yes", "no", "maybe", "✓"]
INVOLVED = ["yes", "no", "Yes", "", "1", "0", "maybe"]
UNKNOWN = ["Nobody Known", "Ana Ruis", "", " ", "m99"]
SEPARATORS = [";", ", ", ",", " ", "|"]
KINDS = ["matrix", "name_generator", "multi_joined", "multi_choice", "perceptions",
         "decision_joined", "decision_choice"]

HEAD = """
[study]
name = "generated"
[roster]
file = "roster.csv"
silo = "sector"
[scales]
frequency = { "Never" = 0, "Monthly" = 2, "Weekly" = 3 }
agree = { "Disagree" = 1, "Neutral" = 2, "Agree" = 3 }
[relations.collaborate]
scale = "frequency"
[relations.advice]
[relations.influence]
[waves.w1]
"""


@dataclass
class Generated:
    roster: list[tuple[str, str]]
    files: dict[str, list[list[str]]] = field(default_factory=dict)
    answer_columns: dict[str, list[str]] = field(default_factory=dict)
    toml: str = HEAD


def person_cells(roster):
    ids = [m for m, _ in roster]
    names = [n for _, n in roster]
    return st.sampled_from(ids + names + [n.upper() for n in names] + UNKNOWN)


@st.composite
def joined(draw, roster, separator):
    if draw(st.integers(0, 9)) == 0:
        return separator * draw(st.integers(1, 2))
    people = draw(st.lists(person_cells(roster), max_size=4))
    return separator.join(people)


@st.composite
def studies(draw):
    size = draw(st.integers(2, 6))
    roster = [(f"m{i}", draw(NAMES)) for i in range(1, size + 1)]
    gen = Generated(roster=roster)
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=4, unique=True))
    separator = draw(st.sampled_from(SEPARATORS))

    def tokens():
        chosen = [draw(st.sampled_from([m, n])) for m, n in roster]
        return chosen + (["Ghost Member"] if draw(st.booleans()) else [])

    header: list[str] = ["who"]
    makers = []                     # per column: a strategy for its cells
    questions = []
    if "matrix" in kinds:
        cols = [f"mx:{t}" for t in tokens()]
        header += cols
        makers += [st.sampled_from(FREQUENCY)] * len(cols)
        questions.append('shape = "matrix"\nrelation = "collaborate"\ncolumns = "mx:{member}"')
    if "name_generator" in kinds:
        header += ["ng_1", "ng_2", "ng_3"]
        makers += [person_cells(roster)] * 3
        questions.append('shape = "name_generator"\nrelation = "advice"\n'
                         'columns = ["ng_1", "ng_2", "ng_3"]')
    if "multi_joined" in kinds:
        header.append("mj")
        makers.append(joined(roster, separator))
        questions.append(f'shape = "multi_select"\nrelation = "influence"\ncolumn = "mj"\n'
                         f'separator = "{separator}"')
    if "multi_choice" in kinds:
        cols = [f"mc:{t}" for t in tokens()]
        header += cols
        makers += [st.sampled_from(TICKS + [n for _, n in roster])] * len(cols)
        questions.append('shape = "multi_select"\nrelation = "advice"\ncolumns = "mc:{member}"')
    if "perceptions" in kinds:
        header += ["pc_fun", "pc_part"]
        makers += [st.sampled_from(AGREE)] * 2
        questions.append('shape = "perceptions"\nscale = "agree"\n'
                         'items = { fun = "pc_fun", take_part = "pc_part" }')
    if "decision_joined" in kinds:
        header += ["dj_inv", "dj_shaped", "dj_voice"]
        makers += [st.sampled_from(INVOLVED), joined(roster, separator), st.sampled_from(AGREE)]
        questions.append(f'shape = "decision"\ndecision = "budget"\ninvolved = "dj_inv"\n'
                         f'column = "dj_shaped"\nseparator = "{separator}"\n'
                         f'voice = "dj_voice"\nscale = "agree"')
    if "decision_choice" in kinds:
        cols = [f"dc:{t}" for t in tokens()]
        header += cols
        makers += [st.sampled_from(TICKS)] * len(cols)
        questions.append('shape = "decision"\ndecision = "hire"\ncolumns = "dc:{member}"')

    respondents = st.sampled_from([m for m, _ in roster] + [n for _, n in roster]
                                  + ["Stranger", ""])
    rows = [[draw(respondents)] + [draw(make) for make in makers]
            for _ in range(draw(st.integers(1, 6)))]
    gen.files["wide.csv"] = [header, *rows]
    gen.answer_columns["wide.csv"] = header[1:]
    gen.toml += '[[waves.w1.surveys]]\nfile = "wide.csv"\nrespondent = "who"\n' + "".join(
        f"[[waves.w1.surveys.questions]]\n{q}\n" for q in questions)

    if draw(st.booleans()):
        relation = st.sampled_from(["collaborate", "advice", "Collaborate", "friendship", ""])
        values = st.sampled_from(["Weekly", "Never", "1", "", "Daily", "2"])
        rows = [[draw(respondents), draw(person_cells(roster)), draw(relation), draw(values)]
                for _ in range(draw(st.integers(1, 5)))]
        gen.files["long.csv"] = [["who", "alter", "rel", "val"], *rows]
        gen.answer_columns["long.csv"] = ["val"]
        gen.toml += ('[[waves.w1.surveys]]\nfile = "long.csv"\nrespondent = "who"\n'
                     '[[waves.w1.surveys.questions]]\nshape = "long"\nrelation_column = "rel"\n'
                     'alter = "alter"\nvalue = "val"\n')
    gen.toml += f'[analysis]\nduplicates = "{draw(st.sampled_from(["keep_last", "keep_first"]))}"\n'
    return gen


def write_csv(path: Path, rows: list[list[str]], newline: str, bom: bool) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))


def produced_cells(wave: cp.WaveData) -> set[tuple[str, int, str]]:
    cells = set()
    for frame in (wave.ties, wave.perceptions, wave.decisions):
        cells |= set(zip(frame["file"], frame["row"], frame["column"], strict=True))
    part = wave.participation
    for column in ("involved_column", "voice_column"):
        cells |= {(f, r, c) for f, r, c in zip(part["file"], part["row"], part[column],
                                                strict=True) if c}
    return cells


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gen=studies(), newline=st.sampled_from(["\n", "\r\n", "\r"]), bom=st.booleans())
def test_every_answer_cell_is_used_or_set_aside(gen, newline, bom):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "cpower.toml").write_text(gen.toml, encoding="utf-8")
        write_csv(root / "roster.csv",
                  [["member_id", "name", "sector"]] + [[m, n, "S"] for m, n in gen.roster],
                  newline, bom)
        for name, rows in gen.files.items():
            write_csv(root / name, rows, newline, bom)
        study = cp.load_study(root)

    # untrusted text is stored exactly as given
    assert study.roster["name"].tolist() == [n for _, n in gen.roster]

    wave = study.wave("w1")
    used = produced_cells(wave)
    aside = study.quality.set_aside
    assert aside["reason"].map(lambda r: isinstance(r, str) and r != "").all()
    aside_cells = set(zip(aside["file"], aside["row"], aside["column"], strict=True))
    whole = {(f, r) for f, r, c in aside_cells if c == ""}

    written: set[tuple[str, int, str]] = set()
    for name, (header, *rows) in gen.files.items():
        answers = set(gen.answer_columns[name])
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue        # an empty line holds no answers (and is skipped)
            for column in header[: len(row)]:
                if column in answers:
                    written.add((name, number, column.strip()))
    lost = sorted(c for c in written if c not in used and c not in aside_cells
                  and c[:2] not in whole)
    assert not lost, f"answer cells neither used nor set aside: {lost}"

    # and the converse: every row produced comes from an answer cell that was written
    assert used <= written, sorted(used - written)
    assert {c for c in aside_cells if c[2]} <= written
    members = set(study.roster.index)
    ties = wave.ties
    assert set(ties["respondent"]) | set(ties["alter"]) <= members
    assert not (ties["respondent"] == ties["alter"]).any()
    assert not (wave.decisions["respondent"] == wave.decisions["named"]).any()
    # each respondent answers a (wide) survey once: duplicates were set aside
    wide = wave.responses[wave.responses["file"] == "wide.csv"]
    assert wide["respondent"].is_unique
