"""A shared (retreat) view holds only what the room may see, and a small group is read
with care everywhere.

A tiny study built here has a one-member focus group (who is also a one-member silo),
a two-member silo whose members did not consent to be named, a silo with a single member
who did not consent, and a focus group and a silo of four. The tests read the bytes
written: both reports, their embedded map data and the JSON of each audience.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import cpower_network as cp
from cpower_network.cli.commands import main
from cpower_network.export.results_json import results_document, write_json
from cpower_network.report import render_report
from cpower_network.report.shared import withheld_reason
from cpower_network.report.view import SMALL_GROUP, SUPPRESS_GROUP

SEED = 1
#: id, name, silo, consent, lived experience, grassroots
MEMBERS = [
    ("zz01", "Ana Ruiz", "Parents", "yes", "no", "yes"),
    ("zz02", "José Núñez", "Parents", "yes", "no", "yes"),
    ("zz03", "Lena Park", "Parents", "yes", "no", "no"),
    ("zz04", "Quinn Hidalgo", "Parents", "no", "no", "no"),   # Parents' one unnamed
    ("zz05", "Rosa Blanco", "Parents", "yes", "no", "no"),
    ("zz06", "Kim Tran", "Providers", "yes", "no", "yes"),
    ("zz07", "Omar Haddad", "Providers", "yes", "no", "yes"),
    ("zz08", "Sam Ortiz", "Providers", "yes", "no", "no"),
    ("zz09", "Tia Brooks", "Providers", "yes", "no", "no"),
    ("zz10", "Dana Wells", "Funders", "yes", "yes", "no"),    # a group of one
    ("zz11", "Uma Varga", "Board", "no", "no", "no"),         # a silo of two who
    ("zz12", "Victor Lund", "Board", "no", "no", "no"),       # did not consent
]
NOT_CONSENTING = [name for _id, name, _s, consent, *_ in MEMBERS if consent == "no"]

TOML = """\
[study]
name = "Tiny coalition"
seed = 5

[roster]
file = "roster.csv"
id = "member_id"
name = "name"
silo = "silo"
consent = "consent"

[focus_groups]
lived_experience = { column = "lived", label = "Lived experience" }
grassroots = { column = "grassroots", label = "Grassroots" }

[scales]
yes_tie = { "No" = 0, "Yes" = 1 }

[relations.collaborate]
scale = "yes_tie"

[waves.w1]
[[waves.w1.surveys]]
file = "matrix.csv"
platform = "plain"
respondent = "member"

[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "collaborate"
columns = "Work with [{member}]"
"""


def works_with(k: int, n: int) -> set[int]:
    """Whom member ``k`` of ``n`` works with: the next one and the one three on, and
    the first two members (hubs) for every second or third member, so centralities
    vary."""
    found = {(k + 1) % n, (k + 3) % n}
    found |= {0} if k % 2 == 0 else set()
    found |= {5} if k % 3 == 0 else set()
    return found - {k}


def study_files(members=MEMBERS, toml: str = TOML) -> dict[str, str]:
    """cpower.toml, the roster and a matrix survey (ties: :func:`works_with`)."""
    header = "member_id,name,silo,consent,lived,grassroots\n"
    roster = header + "".join(",".join(m) + "\n" for m in members)
    names = [m[1] for m in members]
    rows = ["member," + ",".join(f"Work with [{n}]" for n in names)]
    for k, member in enumerate(members):
        ties = works_with(k, len(members))
        rows.append(member[0] + "," + ",".join("Yes" if j in ties else "No"
                                               for j in range(len(members))))
    return {"cpower.toml": toml, "roster.csv": roster, "matrix.csv": "\n".join(rows) + "\n"}


def write_study(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return write_study(tmp_path_factory.mktemp("tiny"), study_files())


@pytest.fixture(scope="module")
def results(tiny):
    return cp.analyze(cp.load_study(tiny), seed=SEED)


@pytest.fixture(scope="module")
def pages(results) -> dict[str, str]:
    return {a: render_report(results, audience=a) for a in ("evaluator", "retreat")}


@pytest.fixture(scope="module")
def documents(results, tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("json")
    return {a: write_json(results, folder / f"{a}.json", audience=a).read_text("utf-8")
            for a in ("evaluator", "retreat")}


def map_data(html: str) -> dict:
    return json.loads(re.search(r'id="cpower-map">(.*?)</script>', html, re.S).group(1))


def rows_of(html: str, label: str) -> list[str]:
    """The table rows whose first cell is ``label``."""
    return re.findall(rf'<tr><td data-sort="{re.escape(label.casefold())}">.*?</tr>', html)


def test_the_fixture_has_what_the_tests_need(results):
    groups = {g.key: g.size for g in results.wave.groups}
    assert groups["lived_experience"] == 1 < SUPPRESS_GROUP
    assert SUPPRESS_GROUP <= groups["grassroots"] == 4 < SMALL_GROUP
    relation = results.wave.relations["collaborate"]
    parity = relation.parity
    # the analysis leaves the one-member group's parity unmeasured in every view
    assert parity[parity["group"] == "lived_experience"]["parity"].isna().all()
    assert relation.centralities["pagerank"].nunique() > 1


# --- 1. small groups ---------------------------------------------------------------------

def test_a_one_member_group_leaves_no_trace_in_the_retreat_view(pages, results):
    html = pages["retreat"]
    # no table row, chart series, map highlight or embedded data for the group
    assert rows_of(html, "Lived experience") == []
    assert "Lived experience (n = 1" not in html
    data = map_data(html)
    assert [g["key"] for g in data["focus_groups"]] == ["grassroots"]
    assert set(data["nodes"]["groups"]) == {"grassroots"}
    # no evidence value rests on her
    assert parity_values(html) <= {"–"}
    # ... while the evaluator sees her figures, flagged, with no p-value
    assert rows_of(pages["evaluator"], "Lived experience (n = 1, read with care)")


def parity_values(html: str) -> set[str]:
    """The values the evidence tables give for parity components."""
    return set(re.findall(r"<td>[^<]*parity[^<:]*: ([^<]+)</td>", html))


def card(html: str, key: str) -> tuple[str, str, str]:
    """A milestone card's band class, score and reading."""
    found = re.search(rf'<article class="milestone band-([a-z-]+)" id="card-{key}">.*?'
                      r'<span class="score">([^<]*)</span>.*?<p class="reading">(.*?)</p>',
                      html, re.S)
    return found.group(1), found.group(2), found.group(3)


def test_the_headline_card_does_not_score_a_group_of_one(pages):
    band, score, _reading = card(pages["retreat"], "lived_experience")
    assert band in ("not-measured", "not-shown") and score == "–"


@pytest.fixture(scope="module")
def lax(tmp_path_factory):
    """The tiny study with ``suppress_group = 1``: the analysis and the indicators then
    measure the group of one, which a shared view still may not show (its floor is
    :data:`SUPPRESS_GROUP`)."""
    toml = TOML + "\n[analysis]\nsuppress_group = 1\n"
    folder = write_study(tmp_path_factory.mktemp("lax"), study_files(toml=toml))
    found = cp.analyze(cp.load_study(folder), seed=SEED)
    return found, {a: render_report(found, audience=a) for a in ("evaluator", "retreat")}


def test_evidence_measured_on_a_group_of_one_is_withheld_from_the_retreat_view(lax):
    found, pages = lax
    assert found.indicators["lived_experience"].score is not None
    assert {v for v in parity_values(pages["evaluator"]) if v != "–"}
    assert parity_values(pages["retreat"]) == {"–"}
    assert f"<td>{withheld_reason(SUPPRESS_GROUP)}</td>" in pages["retreat"]
    assert card(pages["evaluator"], "lived_experience")[1] != "–"
    band, score, reading = card(pages["retreat"], "lived_experience")
    assert (band, score) == ("not-shown", "–")
    assert "not shown in this view" in reading
    shared = results_document(found, audience="retreat")
    assert "Central in the everyday network" in shared["left_out"]["items"]
    indicator = next(i for i in shared["indicators"] if i["key"] == "lived_experience")
    assert (indicator["score"], indicator["band"]) == (None, "Not shown")


def test_the_retreat_page_says_what_it_left_out(pages):
    html = pages["retreat"]
    assert ("Left out of this view because they have fewer than 3 members, so that their "
            "figures would be one or two members&#39; own: the focus group Lived "
            "experience; the silos Board and Funders (from the silo tables and heat maps)."
            ) in html


def test_small_groups_are_flagged_in_tables_and_charts(pages):
    for audience, html in pages.items():
        assert rows_of(html, "Grassroots (n = 4, read with care)"), audience
        assert ">Grassroots (n = 4, read with care)</text>" in html, audience  # chart
        assert "<td data-sort=\"providers (n = 4, read with care)\">" in html, audience
        assert ">Providers (n = 4, read with care)</text>" in html, audience  # heat map
        assert rows_of(html, "Parents") or "Parents</text>" in html        # not flagged
        assert "Parents (n = 5" not in html


def test_p_values_of_a_group_of_one_are_withheld_in_the_evaluator_view(pages):
    rows = [r for r in rows_of(pages["evaluator"], "Lived experience (n = 1, read with care)")
            if "withheld" in r]
    assert len(rows) == 5                       # one per power measure
    assert all('data-sort="">withheld (n = 1)</td><td class="num" data-sort="">–</td>' in r
               for r in rows)


def test_small_silos_leave_the_retreat_silo_tables(pages, documents):
    html = pages["retreat"]
    for silo in ("Board", "Funders"):
        assert f'<td data-sort="{silo.casefold()}' not in html
        assert f">{silo}</text>" not in html and f">{silo} (n = " not in html
    evaluator = pages["evaluator"]
    assert '<td data-sort="funders (n = 1, read with care)">' in evaluator
    shared = json.loads(documents["retreat"])
    relation = shared["wave"]["relations"]["collaborate"]
    assert relation["mixing"]["silos"] == ["Parents", "Providers"]
    assert set(relation["ei"]["by_group"]) == {"Parents", "Providers"}
    assert {r["silo"] for r in relation["brokerage_by_silo"]} <= {"Parents", "Providers"}
    left_out = shared["left_out"]
    assert (left_out["threshold"], left_out["focus_groups"], left_out["silos"]) == (
        3, ["Lived experience"], ["Board", "Funders"])


# --- 2. maps that cannot single anyone out -----------------------------------------------

def test_the_retreat_map_leaves_off_who_could_be_singled_out(pages, results):
    data = map_data(pages["retreat"])
    roster = results.roster
    # Board's two and Parents' one member who did not consent are not drawn
    assert len(data["nodes"]["label"]) == len(MEMBERS) - 3
    assert data["nodes"]["label"].count(None) == 0
    names = {s["name"]: s for s in data["silos"]}
    assert list(names) == ["Parents", "Providers", "Other silos"]
    assert names["Other silos"]["size"] == 1 and names["Parents"]["size"] == 4
    assert "Dana Wells" in data["nodes"]["label"]       # she agreed to be named
    other = list(names).index("Other silos")
    assert [label for label, s in zip(data["nodes"]["label"], data["nodes"]["silo"],
                                      strict=True) if s == other] == ["Dana Wells"]
    drawn = len(data["nodes"]["label"])
    for relation in data["relations"]:
        assert all(0 <= u < drawn and 0 <= v < drawn for u, v, _w in relation["edges"])
    assert int(roster["consent"].sum()) == drawn


def test_the_retreat_map_does_not_list_members_in_roster_order(pages, results):
    data = map_data(pages["retreat"])
    spots = list(zip(data["nodes"]["x"], data["nodes"]["y"], strict=True))
    assert spots == sorted(spots)                       # by position, nothing else
    named = [n for n in data["nodes"]["label"] if n]
    roster_order = [str(results.roster.at[m, "name"]) for m in results.wave.members
                    if str(results.roster.at[m, "name"]) in named]
    assert named != roster_order


def test_the_retreat_page_tells_the_facilitator_what_the_map_did(pages):
    html = pages["retreat"]
    assert ("<strong>Who is on these maps.</strong> Silos with fewer than 3 members are "
            "drawn together in grey as “Other silos”. 3 members who did not agree to be "
            "named are left off the maps") in html
    assert "Who is on these maps" not in pages["evaluator"]


# --- 3. what is written for a shared view ------------------------------------------------

@pytest.mark.parametrize("name", NOT_CONSENTING)
def test_no_non_consenting_name_in_the_retreat_bytes(pages, documents, name):
    assert name not in pages["retreat"] and name not in documents["retreat"]
    # the evaluator's page names them; its JSON holds them by id (names appear there only
    # in the worklist's reasons, when they happen to introduce someone)
    member_id = next(m[0] for m in MEMBERS if m[1] == name)
    assert name in pages["evaluator"] and f'"{member_id}"' in documents["evaluator"]
    assert f'"{member_id}"' not in documents["retreat"]


def test_the_retreat_json_holds_group_level_figures_only(documents, results):
    text = documents["retreat"]
    for member_id, name, *_ in MEMBERS:
        assert f'"{member_id}"' not in text and name not in text
    shared = json.loads(text)
    assert shared["audience"] == "retreat"
    wave = shared["wave"]
    assert "members" not in wave and wave["member_count"] == len(MEMBERS)
    assert set(wave["groups"]) == {"all", "grassroots"}
    relation = wave["relations"]["collaborate"]
    assert not {"ties", "centralities", "brokerage", "bridging"} & set(relation)
    assert "by_member" not in relation["ei"] and "partition" not in relation["communities"]
    assert {r["group"] for r in relation["parity"]} == {"grassroots"}
    indicator = next(i for i in shared["indicators"] if i["key"] == "lived_experience")
    assert indicator["score"] is None
    assert json.loads(documents["evaluator"])["audience"] == "evaluator"


def test_cli_writes_the_json_of_the_reports_audience(tiny, tmp_path):
    report, document = tmp_path / "retreat.html", tmp_path / "retreat.json"
    result = CliRunner().invoke(main, ["analyze", str(tiny), "--audience", "retreat",
                                       "--out", str(report), "--json", str(document),
                                       "--seed", str(SEED)])
    assert result.exit_code == 0, result.output
    text = document.read_text(encoding="utf-8")
    assert json.loads(text)["audience"] == "retreat"
    for name in NOT_CONSENTING:
        assert name not in text and name not in report.read_text(encoding="utf-8")


def test_an_unknown_audience_is_refused(results):
    with pytest.raises(cp.CpowerError, match="audience must be one of"):
        results_document(results, audience="press")


# --- 5. q-values and test counts ---------------------------------------------------------

@pytest.fixture(scope="module")
def tested(results):
    """The results with q-values, response rates and a test count, as the analysis
    fills them."""
    relation = results.wave.relations["collaborate"]
    differences = relation.differences.assign(q_value=relation.differences["p_value"]
                                              .clip(upper=0.5) + 0.0123)
    ei = replace(relation.ei, p_value=0.0312, q_value=0.0468,
                 response_rates={"Parents": 0.8, "Providers": 0.75, "Funders": 1.0,
                                 "Board": 0.5})
    relations = {"collaborate": replace(relation, ei=ei, differences=differences)}
    wave = replace(results.wave, relations=relations, tests_run=17)
    return replace(results, wave=wave)


def test_q_values_are_printed_beside_p_values(tested):
    html = render_report(tested, audience="evaluator")
    assert ("<div><dt>p (permutation)</dt><dd>0.031</dd></div>\n"
            "      <div><dt>q (false discovery rate)</dt><dd>0.047</dd></div>") in html
    assert '<p class="tests">p and q: 17 tests, false discovery rate 5 %.</p>' in html
    assert ("<caption>Permutation p-values and Benjamini–Hochberg q-values (17 tests, "
            "false discovery rate 5 %)</caption>") in html
    differences = tested.wave.relations["collaborate"].differences
    row = differences[(differences["group"] == "grassroots")
                      & differences["p_value"].notna()].iloc[0]
    p, q = f"{row['p_value']:.3f}", f"{row['q_value']:.3f}"
    assert re.search(rf">{re.escape(p)}</td><td class=\"num\" data-sort=\"[0-9.]+\">"
                     rf"{re.escape(q)}</td></tr>", html)


def test_response_rates_sit_beside_the_e_i(tested):
    evaluator = render_report(tested, audience="evaluator")
    assert "<th scope=\"col\" class=\"num\" tabindex=\"0\" aria-sort=\"none\">Members who " \
           "answered</th>" in evaluator
    assert re.search(r'<td data-sort="parents">Parents</td><td class="num" [^>]*>[^<]*</td>'
                     r'<td class="num" data-sort="0.8">80 %</td>', evaluator)
    retreat = render_report(tested, audience="retreat")
    assert '<td class="num" data-sort="0.5">50 %</td>' not in retreat   # Board's rate


def test_an_untestable_e_i_says_so(tested):
    relation = tested.wave.relations["collaborate"]
    untestable = replace(relation, ei=replace(relation.ei, testable=False))
    wave = replace(tested.wave, relations={"collaborate": untestable})
    html = render_report(replace(tested, wave=wave), audience="evaluator")
    assert "<dt>p (permutation)</dt><dd>not testable with these data</dd>" in html
    assert "<dt>q (false discovery rate)</dt>" not in html


def test_the_json_carries_q_values_rates_and_the_test_count(tested):
    document = results_document(tested)
    ei = document["wave"]["relations"]["collaborate"]["ei"]
    assert (ei["q_value"], ei["testable"]) == (0.0468, True)
    assert ei["response_rates"] == {"Board": 0.5, "Funders": 1.0, "Parents": 0.8,
                                    "Providers": 0.75}
    assert document["wave"]["tests_run"] == 17
    rows = document["wave"]["relations"]["collaborate"]["differences"]
    assert all("q_value" in r for r in rows)
    shared = results_document(tested, audience="retreat")
    shared_ei = shared["wave"]["relations"]["collaborate"]["ei"]
    assert shared_ei["response_rates"] == {"Parents": 0.8, "Providers": 0.75}
    assert shared["wave"]["tests_run"] == 17


# --- determinism -------------------------------------------------------------------------

def test_two_runs_write_the_same_bytes(tiny, tmp_path):
    written = []
    for run in ("a", "b"):
        found = cp.analyze(cp.load_study(tiny), seed=SEED)
        files = [found.to_html(tmp_path / run / f"{a}.html", audience=a)
                 for a in ("evaluator", "retreat")]
        files += [write_json(found, tmp_path / run / f"{a}.json", audience=a)
                  for a in ("evaluator", "retreat")]
        written.append([f.read_bytes() for f in files])
    assert written[0] == written[1]


def test_the_evaluator_tables_say_why_a_parity_is_not_measured(pages):
    # the one-member group's parity rows (one per power measure) give the analysis's
    # reason instead of a bare dash
    reason = "not measured: group of 1 member: too small to measure (fewer than 3)"
    assert pages["evaluator"].count(reason) == 5
    assert reason not in pages["retreat"]
