"""The API in a notebook: unknown names raise a KeyError naming the valid ones, result
objects have short one-line reprs that name no member, and Results, Comparison and Study
render a compact, escaped HTML summary (issue 13)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

import cpower_network as cp
from cpower_network.errors import UsageError
from cpower_network.results.model import DecisionResult

#: A study name that is markup, with a line break: it must stay text, on one line.
HOSTILE_NAME = "<script>alert(1)</script> Coalition & \"Friends\"\nof <b>Riverbend</b>"
#: Member names that must never appear in a repr (ids are p01…).
NAMES = ["Ada Lovelace", "Grace Hopper", "Katherine Johnson", "Dorothy Vaughan",
         "Mary Jackson", "Hedy Lamarr", "Radia Perlman", "Frances Allen"]
SILOS = ["Parents", "Providers"]


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _study_files(name: str) -> dict[str, str]:
    """A two-wave study of eight members in two silos, one focus group and one relation
    (collaborate, read from a long file)."""
    roster = "member_id,name,silo,lived\n" + "".join(
        f"p{i + 1:02d},{member},{SILOS[i % 2]},{'yes' if i % 2 == 0 else 'no'}\n"
        for i, member in enumerate(NAMES))
    ids = [f"p{i + 1:02d}" for i in range(len(NAMES))]
    files = {"roster.csv": roster}
    waves = ""
    for wave, steps in (("w1", (1, 2)), ("w2", (1, 3))):
        rows = ["who,alter,answer"]
        for k, who in enumerate(ids):
            rows += [f"{who},{ids[(k + s) % len(ids)]},{'Weekly' if s == 1 else 'Monthly'}"
                     for s in steps]
        files[f"{wave}.csv"] = "\n".join(rows) + "\n"
        waves += f"""
[waves.{wave}]
label = "Wave {wave[1]}"

[[waves.{wave}.surveys]]
file = "{wave}.csv"
platform = "plain"
respondent = "who"

[[waves.{wave}.surveys.questions]]
shape = "long"
relation = "collaborate"
alter = "alter"
value = "answer"
"""
    files["cpower.toml"] = f"""\
[study]
name = {_toml_string(name)}
seed = 3

[roster]
file = "roster.csv"

[focus_groups]
lived_experience = {{ column = "lived", label = "Lived experience" }}

[scales]
frequency = {{ "Never" = 0, "Monthly" = 2, "Weekly" = 3 }}

[relations.collaborate]
label = "Work together"
scale = "frequency"
{waves}"""
    return files


def _write(folder, files):
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    folder = _write(tmp_path_factory.mktemp("notebook-study"), _study_files(HOSTILE_NAME))
    return cp.load_study(folder)


@pytest.fixture(scope="module")
def results(study):
    return cp.analyze(study, seed=1)


@pytest.fixture(scope="module")
def anonymised(study):
    return cp.analyze(study, seed=1, anonymize=True)


@pytest.fixture(scope="module")
def comparison(study):
    return cp.compare(study, permutations=0, seed=1)


# -- unknown names -----------------------------------------------------------------------

def _message(excinfo) -> str:
    return str(excinfo.value)


def test_an_unknown_indicator_names_the_key_the_indicators_and_the_closest(results):
    with pytest.raises(KeyError) as found:
        results.indicators["cohesoin"]
    assert _message(found) == (
        "'cohesoin' is not an indicator of these results; indicators: setting_the_table, "
        "safety_trust, cohesion, financing, lived_experience; did you mean 'cohesion'?")
    assert found.value.key == "cohesoin"
    assert found.value.valid == list(results.indicators)


def test_an_unknown_indicator_inside_map_raises_instead_of_ending_early(results):
    with pytest.raises(KeyError, match="'typo' is not an indicator"):
        list(map(lambda k: results.indicators[k], ["typo"]))
    with pytest.raises(KeyError, match="'typo' is not an evidence item"):
        list(map(results.indicators["cohesion"].item, ["typo"]))


def test_a_name_with_no_close_match_gets_no_suggestion(results):
    with pytest.raises(KeyError) as found:
        results.indicators["zzz"]
    assert _message(found).endswith("financing, lived_experience")
    assert "did you mean" not in _message(found)


def test_an_unknown_relation_names_the_relations(results):
    with pytest.raises(KeyError) as found:
        results.wave.relations["colaborate"]
    assert _message(found) == ("'colaborate' is not a relation of this wave; relations: "
                               "collaborate; did you mean 'collaborate'?")
    # the relations stay a dict for everything else
    assert results.wave.relations.get("colaborate") is None
    assert "colaborate" not in results.wave.relations
    assert dict(results.wave.relations) == results.wave.relations


def test_an_unknown_group_names_the_groups(results):
    assert results.wave.group("lived_experience").size == 4
    with pytest.raises(KeyError) as found:
        results.wave.group("lived")
    assert _message(found) == ("'lived' is not a group of this wave; groups: all, "
                               "lived_experience; did you mean 'lived_experience'?")


def test_an_unknown_evidence_item_names_the_items(results):
    cohesion = results.indicators["cohesion"]
    assert cohesion.item("connectedness").key == "connectedness"
    with pytest.raises(KeyError) as found:
        cohesion.item("conectedness")
    message = _message(found)
    assert message.startswith("'conectedness' is not an evidence item of the cohesion "
                              "indicator; items: connectedness, ")
    assert message.endswith("did you mean 'connectedness'?")
    assert all(item.key in message for item in cohesion.items)


def test_an_unknown_measure_of_a_comparison_names_the_measures(comparison):
    assert comparison.measure("collaborate/ei").key == "collaborate/ei"
    with pytest.raises(KeyError) as found:
        comparison.measure("colaborate/ei")
    message = _message(found)
    assert message.startswith("'colaborate/ei' is not a measure of this comparison; "
                              "measures: ")
    assert message.endswith("did you mean 'collaborate/ei'?")
    assert all(m.key in message for m in comparison.measures)      # 15: all listed
    with pytest.raises(KeyError, match="'typo' is not a measure"):
        list(map(comparison.measure, ["typo"]))
    with pytest.raises(KeyError) as found:
        comparison.graphs["trust"]
    assert _message(found) == ("'trust' is not a relation of this comparison; relations: "
                               + ", ".join(comparison.graphs))


def test_a_long_list_of_measures_is_cut_and_says_how_to_see_them():
    from cpower_network.common.notebook import LISTED_KEYS, unknown_key

    keys = [f"m{i}" for i in range(LISTED_KEYS + 5)]
    message = str(unknown_key("x", keys, what="a measure", plural="measures",
                              where="this comparison",
                              how="[m.key for m in comparison.measures]"))
    assert f"m{LISTED_KEYS - 1} and 5 more (all of them: [m.key for m in " \
           "comparison.measures])" in message


def test_an_unknown_wave_of_a_study_names_the_waves(study):
    with pytest.raises(KeyError) as found:
        study.waves["W2"]
    assert _message(found) == ("'W2' is not a wave of this study; waves: w1, w2; "
                               "did you mean 'w2'?")
    with pytest.raises(KeyError) as found:
        study.waves["w3"]                     # as close to w1 as to w2: no suggestion
    assert _message(found) == "'w3' is not a wave of this study; waves: w1, w2"
    # study.wave() keeps the command line's message, and is both kinds of error
    with pytest.raises(KeyError) as found:
        study.wave("w3")
    assert isinstance(found.value, UsageError)
    assert _message(found).startswith("no wave 'w3' in this study; waves: w1, w2")


def test_unknown_key_errors_print_as_the_message_not_its_repr(results):
    with pytest.raises(KeyError) as found:
        results.indicators["typo"]
    assert str(found.value).startswith("'typo' is not")      # not "\"'typo' is not…\""
    assert isinstance(found.value, UsageError) and found.value.exit_code == 2


def test_indicators_work_as_a_read_only_mapping(results):
    indicators = results.indicators
    assert list(indicators) == indicators.keys() == [m.key for m in indicators.milestones]
    assert len(indicators) == 5 and "cohesion" in indicators and "typo" not in indicators


# -- reprs -------------------------------------------------------------------------------

def _reprs(results, comparison, study):
    relation = results.wave.relations["collaborate"]
    objects = {"study": study, "wave data": study.waves["w1"], "results": results,
               "wave": results.wave, "study info": results.study,
               "indicators": results.indicators,
               "indicator": results.indicators["cohesion"], "relation": relation,
               "comparison": comparison, "measure": comparison.measure("collaborate/ei"),
               "flow": comparison.flows[0]}
    objects.update({f"group {g.key}": g for g in results.wave.groups})
    if results.wave.decisions is not None:
        objects["decisions"] = results.wave.decisions
    return {name: repr(value) for name, value in objects.items()}


def test_every_repr_is_one_short_line(results, comparison, study):
    for name, text in _reprs(results, comparison, study).items():
        assert len(text) <= 200, (name, len(text), text)
        assert "\n" not in text and "\u2028" not in text, (name, text)
        assert text.startswith("<") and text.endswith(">"), (name, text)


def test_results_repr_says_what_the_results_hold(results):
    text = repr(results)
    assert text.startswith('<Results: <script>alert(1)</script> Coalition & "Friends" of ')
    assert text.endswith(", wave 'w2', 8 members, 1 relation (collaborate), 5 indicators>")


def test_the_other_reprs_say_what_they_hold(results, comparison, study):
    reprs = _reprs(results, comparison, study)
    assert reprs["indicators"].startswith("<Indicators: setting_the_table ")
    assert "safety_trust Not measured" in reprs["indicators"]
    cohesion = results.indicators["cohesion"]
    assert reprs["indicator"] == (
        f"<Indicator: 'cohesion', {cohesion.band} {round(cohesion.score)}/100, "
        f"{len(cohesion.measured_items)} of {len(cohesion.items)} items measured>")
    relation = results.wave.relations["collaborate"]
    assert reprs["relation"] == (
        "<RelationResult: 'collaborate' (Work together), directed, 8 members, "
        f"{relation.structure.n_ties} ties, density {relation.structure.density:.2f}, "
        "8 respondents>")
    assert reprs["comparison"].endswith(", waves w1 → w2, 8 stayers, "
                                        f"{len(comparison.measures)} measures, no tests>")
    assert reprs["group lived_experience"] == \
        "<Group: 'lived_experience' (Lived experience), 4 members>"
    assert reprs["flow"] == "<MemberFlow: w1 → w2, 0 joined, 0 left, 8 stayed>"
    assert reprs["study"].endswith(", 8 members, 2 waves (w1, w2), 1 relation "
                                   "(collaborate), 1 focus group, no errors>")
    assert re.fullmatch(r"<MeasureChange: 'collaborate/ei', \S+ → \S+, not tested>",
                        reprs["measure"])


def test_a_comparison_repr_is_about_200_characters_not_hundreds_of_thousands(comparison):
    assert len(repr(comparison)) <= 200
    assert len(repr(comparison.results)) <= 2 * 200 + 2


def test_no_repr_names_a_member(results, comparison, study, anonymised):
    texts = list(_reprs(results, comparison, study).values())
    texts += [repr(anonymised), repr(anonymised.wave), repr(anonymised.indicators),
              *map(repr, anonymised.wave.relations.values()),
              *map(repr, anonymised.wave.groups)]
    for text in texts:
        for name in NAMES:
            assert name not in text and name.split()[0] not in text, (name, text)
        assert not re.search(r"\bp0\d\b", text), text             # nor a member id
    assert repr(anonymised).endswith(", anonymised>")
    assert set(anonymised.roster["name"]).isdisjoint(NAMES)   # the codes really replace


# -- HTML --------------------------------------------------------------------------------

class Page(HTMLParser):
    """Tags, attributes and the text of each table cell and list item."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.rows: list[list[str]] = []
        self.items: list[str] = []
        self.captions: list[str] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th", "li", "caption"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
        elif tag == "li" and self._cell is not None:
            self.items.append("".join(self._cell))
        elif tag == "caption" and self._cell is not None:
            self.captions.append("".join(self._cell))
        if tag in ("td", "th", "li", "caption"):
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _safe(page: Page, html: str) -> None:
    assert "<script" not in html.lower() and "<b>" not in html
    assert "script" not in page.tags and "b" not in page.tags
    assert not [a for a in page.attributes if a.startswith("on")]
    assert "http" not in html                                # nothing fetched


def test_results_html_is_a_summary_table_with_the_bands_and_findings(results):
    html = results._repr_html_()
    page = Page(html)
    _safe(page, html)
    assert page.tags.count("table") == 2
    rows = {row[0]: row[1:] for row in page.rows if row}
    assert rows["Study"] == [HOSTILE_NAME]                     # escaped, read back intact
    assert rows["Wave"] == ["w2 (Wave 2)"]
    assert rows["Members"] == ["8 (8 answered)"]
    assert rows["Waves in the study"] == ["w1, w2"]
    assert rows["Indicator"] == ["Band", "Score"]
    for indicator in results.indicators.milestones:
        score = "–" if indicator.score is None else f"{indicator.score:.0f}"
        assert rows[indicator.label] == [indicator.band, score]
    assert page.items == [f.text for f in results.indicators.findings[:3]]
    assert page.captions[0].startswith("cpower results: <script>alert(1)</script>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_comparison_html_shows_each_wave_and_escapes(comparison):
    html = comparison._repr_html_()
    page = Page(html)
    _safe(page, html)
    rows = {row[0]: row[1:] for row in page.rows if row}
    assert rows["Study"] == [HOSTILE_NAME]
    assert rows["Waves"] == ["w1 (Wave 1) → w2 (Wave 2)"]
    assert rows["Members"] == ["8 → 8 (8 in every wave)"]
    assert rows["w1 → w2"] == ["0 joined, 0 left, 8 stayed"]
    first, last = (r.indicators["cohesion"] for r in comparison.results)
    assert rows["Cohesion"] == [f"{first.band} → {last.band}",
                                f"{first.score:.0f} → {last.score:.0f}"]
    assert page.items == comparison.headline[:3]


def test_study_html_lists_waves_and_data_quality(study):
    html = study._repr_html_()
    page = Page(html)
    _safe(page, html)
    rows = {row[0]: row[1:] for row in page.rows if row}
    assert rows["Study"] == [HOSTILE_NAME]
    assert rows["Wave w1"] == ["Wave 1: 8 members, 8 answered"]
    assert rows["Relations"] == ["Work together"]
    assert rows["Data quality"] == ["0 errors, 0 warnings"]


def test_decision_results_repr_counts_decisions():
    import pandas as pd

    frame = pd.DataFrame()
    found = DecisionResult([("budget", "The <b>budget</b>")], pd.DataFrame(index=["p01"]),
                           frame, 0.25, frame, frame, frame, frame)
    assert repr(found) == ("<DecisionResult: 1 decision (budget), 1 member scored, "
                           "influence Gini 0.25>")


def test_wave_keys_given_as_numbers_or_as_the_cli_text_work(tmp_path):
    """`cp.analyze(study, wave=2025)` raised a TypeError from inside rapidfuzz; the
    command line's "2024,2025" given to `cp.compare` was read letter by letter."""
    import cpower_network as cp
    from cpower_network.errors import UsageError

    study = cp.load_study(cp.example_study_path())
    assert study.wave(2025) is study.wave("2025")
    with pytest.raises(UsageError, match="a wave key is text, like '2025'"):
        study.wave(2025.0)
    with pytest.raises(KeyError, match="no wave '2023' in this study; waves: 2024, 2025"):
        study.wave(2023)
    from cpower_network.waves.comparison import _wave_keys

    assert _wave_keys(study, "2024, 2025") == ["2024", "2025"]
    assert _wave_keys(study, [2024, 2025]) == ["2024", "2025"]


def test_indicators_read_like_a_mapping():
    import cpower_network as cp

    results = cp.analyze(cp.load_study(cp.example_study_path()), seed=1)
    indicators = results.indicators
    assert [key for key, _ in indicators.items()] == indicators.keys() == list(indicators)
    assert [i.key for i in indicators.values()] == indicators.keys()
    assert indicators.get("cohesion") is indicators["cohesion"]
    assert indicators.get("cohesoin") is None and indicators.get("x", "none") == "none"
    assert dict(indicators.items())["financing"].key == "financing"
