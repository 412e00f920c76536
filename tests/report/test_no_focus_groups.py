"""A study that defines no focus groups yet (issue 14): every command runs, and every
focus-group figure is "not measured: no focus groups are defined in cpower.toml".

The study: seven members in three silos, two waves of the same surveys (relationships
with rated trust facets, two decisions with "my input shaped the outcome", a pulse
survey), leadership roles, and no ``[focus_groups]``. Its roster still holds a yes/no
column named ``lived_experience``: without a focus group it is an ordinary text column,
never read as the group's membership.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from evidence_items import evidence_of

import cpower_network as cp
from cpower_network.cli.commands import main
from cpower_network.indicators.reasons import NO_FOCUS_GROUPS

NOT_MEASURED = f"not measured: {NO_FOCUS_GROUPS}"

TOML = """
[study]
name = "Coalition without focus groups"
seed = 3
[roster]
file = "roster.csv"
id = "member_id"
name = "name"
silo = "sector"
role = "role"
leadership_roles = ["Chair", "Steering"]
[scales]
frequency = { "Never" = 0, "Yearly" = 1, "Monthly" = 2, "Weekly" = 3 }
trust = { "Not at all" = 1, "A little" = 2, "Somewhat" = 3, "A lot" = 4 }
[scales.agree]
"Strongly disagree" = 1
"Disagree" = 2
"Neutral" = 3
"Agree" = 4
"Strongly agree" = 5
[relations.collaborate]
label = "Work together"
scale = "frequency"
role = "collaboration"
strong = 2
[relations.trust]
label = "Trust"
scale = "trust"
role = "trust"
combine = "mean"
[analysis]
permutations = 1000
WAVES
"""
WAVE = """
[waves.WAVE]
[[waves.WAVE.surveys]]
file = "WAVE/relationships.csv"
respondent = "who"
[[waves.WAVE.surveys.questions]]
shape = "matrix"
relation = "collaborate"
columns = "work_{member}"
[[waves.WAVE.surveys.questions]]
shape = "matrix"
relation = "trust"
facet = "reliability"
columns = "follow_{member}"
[[waves.WAVE.surveys.questions]]
shape = "matrix"
relation = "trust"
facet = "openness"
columns = "open_{member}"
[[waves.WAVE.surveys]]
file = "WAVE/decisions.csv"
respondent = "who"
[[waves.WAVE.surveys.questions]]
shape = "decision"
decision = "d1"
involved = "inv1"
column = "shaped1"
separator = ";"
voice = "voice1"
scale = "agree"
[[waves.WAVE.surveys.questions]]
shape = "decision"
decision = "d2"
involved = "inv2"
column = "shaped2"
separator = ";"
voice = "voice2"
scale = "agree"
[[waves.WAVE.surveys]]
file = "WAVE/pulse.csv"
respondent = "who"
[[waves.WAVE.surveys.questions]]
shape = "perceptions"
scale = "agree"
[waves.WAVE.surveys.questions.items]
take_part = "take_part"
prepared_to_lead = "prepared"
supported_to_lead = "supported"
funds_agreement = "funds"
"""
ROSTER = """member_id,name,sector,role,lived_experience
a,Ann Able,Parents,Chair,no
b,Bo Baker,Parents,Steering,yes
c,Cy Cole,Providers,Steering,no
d,Di Dunn,Providers,Member,no
e,Ed Eck,Funders,Member,yes
f,Fay Fox,Providers,Member,yes
g,Gus Gray,Funders,Member,no
"""
MEMBERS = "abcdefg"
WORK = {"a": {"b": "Weekly", "c": "Monthly", "e": "Weekly"},
        "b": {"a": "Weekly", "c": "Monthly", "d": "Never"},
        "c": {"a": "Monthly", "d": "Weekly", "g": "Yearly"},
        "d": {"c": "Weekly", "f": "Monthly"},
        "e": {"a": "Monthly", "g": "Weekly"}}
FOLLOW = {"a": {"b": "A lot", "c": "Somewhat", "e": "A lot"},
          "b": {"a": "A lot", "c": "A little"},
          "c": {"a": "Somewhat", "d": "A lot"},
          "d": {"c": "A little", "f": "Somewhat"},
          "e": {"a": "A little", "g": "A lot"}}
OPEN = {"a": {"b": "A little", "c": "A lot"}, "b": {"a": "A lot", "c": "Not at all"},
        "c": {"a": "Somewhat", "d": "Somewhat"}, "d": {"c": "A lot"},
        "e": {"a": "Somewhat", "g": "A little"}}
DECISIONS = """who,inv1,shaped1,voice1,inv2,shaped2,voice2
a,Yes,b;c,Agree,Yes,c,Strongly agree
b,Yes,a,Disagree,No,,
c,No,a,,Yes,a;e,Neutral
d,Yes,a;c,Strongly agree,Yes,a,Agree
e,Yes,c,Neutral,Yes,c,Strongly disagree
"""
PULSE = """who,take_part,prepared,supported,funds
a,Agree,Agree,Strongly agree,Agree
b,Disagree,Disagree,Neutral,Neutral
c,Agree,Neutral,Agree,Disagree
e,Strongly disagree,Neutral,Agree,Agree
"""


def relationships(drop: str = "") -> str:
    """The relationship survey; members in ``drop`` did not answer it."""
    tables = {"work": WORK, "follow": FOLLOW, "open": OPEN}
    header = ["who"] + [f"{p}_{m}" for p in tables for m in MEMBERS]
    rows = [[r] + [t[r].get(m, "") for t in tables.values() for m in MEMBERS]
            for r in "abcde" if r not in drop]
    return "\n".join(",".join(row) for row in [header, *rows]) + "\n"


def write_study(root: Path) -> Path:
    """The study of this module in ``root`` (two waves, w1 and w2)."""
    waves = "".join(WAVE.replace("WAVE", w) for w in ("w1", "w2"))
    files = {"cpower.toml": TOML.replace("WAVES", waves), "roster.csv": ROSTER}
    for wave, drop in (("w1", "e"), ("w2", "")):
        files |= {f"{wave}/relationships.csv": relationships(drop),
                  f"{wave}/decisions.csv": DECISIONS, f"{wave}/pulse.csv": PULSE}
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> Path:
    return write_study(tmp_path_factory.mktemp("no-focus") / "study")


def invoke(*args: object):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert "Traceback" not in result.output
    return result


class _Text(HTMLParser):
    """The text a reader sees: no script, style or template content."""

    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.skip += tag in ("script", "style", "template")
        self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        self.skip -= tag in ("script", "style", "template")

    def handle_data(self, data) -> None:
        if not self.skip:
            self.parts.append(data)


def visible_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return re.sub(r"\s*\n\s*", "\n", "".join(parser.parts))


def assert_no_missing_values(text: str) -> None:
    """No "nan", "None", "null" or "undefined" standing where a value or a reason should
    be: alone in a cell, or after a label's colon (prose such as "None of the tests" is
    fine)."""
    found = re.findall(r"(?:^|[:=]) *(?:nan|NaN|None|null|undefined) *(?:$|[,;)%.])", text,
                       flags=re.MULTILINE)
    assert found == []


# ---------------------------------------------------------------------------------------
# The indicators
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def results(study):
    loaded = cp.load_study(study)
    assert loaded.quality.problems == []
    return cp.analyze(loaded)


FOCUS_ITEMS = ("le_leadership", "trust_reaches_le", "le_central", "voices_heard",
               "prepared_to_lead")


def test_every_focus_group_item_says_why_it_is_not_measured(results):
    for key in FOCUS_ITEMS:
        evidence = evidence_of(results.indicators, key)
        assert not evidence.measured, key
        assert evidence.not_measured == NO_FOCUS_GROUPS, (key, evidence.not_measured)
    # no relation plays "resources" and value was not rated: those reasons come first
    assert evidence_of(results.indicators, "resources_reach").not_measured.startswith(
        "no relation plays the role 'resources'")
    assert evidence_of(results.indicators, "valued_partners").not_measured == \
        "not asked in this wave's surveys"
    decision = evidence_of(results.indicators, "decision_influence")
    parity, gini = decision.components
    assert parity.how == NOT_MEASURED
    assert gini.score is not None  # the Gini needs no group


def test_a_roster_column_named_like_the_group_is_not_its_membership(results):
    # the roster keeps "lived_experience" as text: leadership is not measured on it
    assert results.roster["lived_experience"].tolist() == [
        "no", "yes", "no", "no", "yes", "yes", "no"]
    evidence = evidence_of(results.indicators, "le_leadership")
    assert [c.how for c in evidence.components] == [NOT_MEASURED]


def test_milestones_without_focus_groups_still_score_the_rest(results):
    lived = results.indicators["lived_experience"]
    assert lived.score is not None  # the Gini of influence
    assert "Not measured: central in the everyday network" in lived.reading


# ---------------------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("audience", ["evaluator", "retreat"])
def test_analyze_writes_a_full_report(study, tmp_path, audience):
    out, data = tmp_path / "report.html", tmp_path / "results.json"
    result = invoke("analyze", study, "--audience", audience, "--out", out, "--json", data)
    assert "Collective Power indicators:" in result.stdout
    text = visible_text(out)
    assert_no_missing_values(text)
    assert "No focus groups. Every figure about focus groups" in text
    assert "(cpower config focus_groups lists its keys)" in text
    # the evidence, the power, decisions and trust-and-value sections say why
    assert text.count(NOT_MEASURED) >= 8
    for table in ("Parity ratios of focus groups", "Focus groups against everyone else",
                  "Decision influence of focus groups", "Voice of focus groups",
                  "Scores received by focus groups"):
        assert f"{table}: {NOT_MEASURED}." in text, table
    assert "No focus group to show" not in text
    assert [line for line in text.splitlines()
            if "nothing to show" in line and "group" in line.lower()] == []
    document = json.loads(data.read_text(encoding="utf-8"))
    hows = {i["key"]: [c["how"] for c in i["components"]]
            for m in document["indicators"] for i in m["items"]}
    assert hows["le_central"] == [NOT_MEASURED]
    assert hows["voices_heard"] == [NOT_MEASURED] * 2


def test_analyze_anonymised_retreat_and_first_wave(study, tmp_path):
    out = tmp_path / "w1.html"
    invoke("analyze", study, "--wave", "w1", "--audience", "retreat", "--anonymize",
           "--out", out)
    text = visible_text(out)
    assert_no_missing_values(text)
    assert NOT_MEASURED in text


def test_compare_says_focus_groups_are_not_measured(study, tmp_path):
    out, data = tmp_path / "compare.html", tmp_path / "compare.json"
    result = invoke("compare", study, "--out", out, "--json", data)
    assert "Power redistribution:" in result.stdout
    text = visible_text(out)
    assert_no_missing_values(text)
    assert (f"Decision parity, voice gaps and every other figure of focus groups: "
            f"{NOT_MEASURED}.") in text
    json.loads(data.read_text(encoding="utf-8"))
    retreat = tmp_path / "compare-retreat.html"
    invoke("compare", study, "--audience", "retreat", "--out", retreat)
    assert NOT_MEASURED in visible_text(retreat)


def test_weave_runs(study, tmp_path):
    result = invoke("weave", study, "--csv", tmp_path / "introductions.csv")
    assert (tmp_path / "introductions.csv").is_file()
    assert result.stdout.startswith("Weaver's worklist: ")


@pytest.mark.parametrize("form", ["csv", "gexf", "graphml", "kumu", "json"])
def test_every_export(study, tmp_path, form):
    out = tmp_path / ("tables" if form == "csv" else f"network.{form}")
    if form == "kumu":
        out = tmp_path / "network.xlsx"
    invoke("export", study, "--format", form, "--out", out)
    assert out.exists()
    if form == "csv":
        indicators = (out / "indicators.csv").read_text(encoding="utf-8")
        assert NOT_MEASURED in indicators
        assert not re.search(r",(nan|None),", indicators)
