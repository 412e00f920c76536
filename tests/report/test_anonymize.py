"""An anonymised analysis leaks nothing: no real name, organisation, member id, alias,
typed answer or name-bearing column header reaches its reports (both audiences) or its
JSON, in any spelling a report could use (raw, HTML-escaped, JSON-escaped; compared
case-insensitively). Checked on the bundled example study (Google Forms grid headers
embed members' names; typed advice answers hold misspellings and aliases) and on the
hostile study, through the API and the command line.

Nor can the roster decode it: codes are not given in roster order (nor organisations in
order of first appearance), the anonymised map neither lists nor places members as the
named map does, a silo column of organisation names is coded like organisations, and the
same input and seed still give the same bytes.

The inlined vis-network library is left out of the search after checking that it is
byte-for-byte the library itself (it is the same in every report, so it carries no data,
and its 470 kB of minified code would match short ids by chance).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import escape

import cpower_network as cp
from cpower_network.cli.commands import main
from cpower_network.export.results_json import results_document, write_json
from cpower_network.ingest.anonymize import (
    anonymize_study,
    member_codes,
    shuffle_generator,
    silo_holds_organisations,
)
from cpower_network.ingest.tables import read_table
from cpower_network.report import asset, render_report, safe_json
from cpower_network.report.maps import map_privacy
from cpower_network.report.view import SUPPRESS_GROUP

AUDIENCES = ("evaluator", "retreat")
#: Typed answers and headers shorter than this are not identifying ("test", "n/a").
MIN_FREE_TEXT = 5
VIS = re.compile(r"<script>/\*\*\n \* vis-network.*?</script>", re.S)


def real_strings(study: cp.Study) -> dict[str, set[str]]:
    """Every identifying string of ``study``, by kind."""
    roster = study.roster
    names = {str(n) for n in roster["name"]}
    found: dict[str, set[str]] = {
        "name": names,
        "organisation": {str(o) for o in roster.get("organisation", []) if str(o).strip()},
        "member id": {str(m) for m in roster.index},
        "alias": set(study.config.aliases),
        "typed answer": set(),
        "column header": set(),
    }
    folded = [n.casefold() for n in names | found["alias"]]
    for wave in study.config.waves.values():
        for survey in wave.surveys:
            table = read_table(survey.path, file=survey.file, platform=survey.platform)
            refs = {survey.respondent}
            for q in survey.questions:
                if q.shape == "name_generator":
                    refs |= set(q.columns)
                if q.shape in ("multi_select", "decision") and q.column:
                    refs.add(q.column)
                if q.shape == "long" and q.alter:
                    refs.add(q.alter)
            free = {c.index for c in table.columns if c.id in refs or c.text in refs}
            for column in table.columns:
                for header in (column.id, column.text):
                    if any(n in header.casefold() for n in folded):
                        found["column header"].add(header)
            for row in table.rows:
                for k, cell in enumerate(row):
                    text = cell.strip()
                    if k in free or any(n in text.casefold() for n in folded):
                        found["typed answer"].add(text)
    for kind in ("typed answer", "column header"):
        found[kind] = {t for t in found[kind] if len(t) >= MIN_FREE_TEXT}
    return found


def spellings(text: str) -> set[str]:
    """The ways a report or JSON could spell ``text``, case-folded."""
    forms = {text, str(escape(text)), safe_json(text)[1:-1], json.dumps(text)[1:-1],
             json.dumps(text, ensure_ascii=False)[1:-1], " ".join(text.split())}
    return {f.casefold() for f in forms if f.strip()}


def leaks(document: str, secrets: dict[str, set[str]]) -> list[tuple[str, str]]:
    body = document.casefold()
    return sorted((kind, text) for kind, texts in secrets.items() for text in texts
                  if any(form in body for form in spellings(text)))


def without_vis(html: str) -> str:
    """The report without the inlined vis-network library (checked to be exactly it)."""
    scripts = VIS.findall(html)
    assert scripts == [f"<script>{asset('vis-network.min.js')}</script>"]
    return VIS.sub("", html)


def kept_labels(study: cp.Study) -> set[str]:
    """What an anonymised report keeps: the study's own labels and the silos."""
    config = study.config
    labels = {config.name, *map(str, study.roster["silo"])}
    labels |= {r.label for r in config.relations.values()}
    labels |= {g.label for g in config.focus_groups} | {w.label for w in config.waves.values()}
    labels |= {i.text for i in config.items.values()}
    for wave in config.waves.values():
        for survey in wave.surveys:
            labels |= {q.label for q in survey.questions if q.label}
    return labels


@pytest.fixture(scope="module", params=["example", "hostile"])
def study_case(request, hostile_study):
    path = cp.example_study_path() if request.param == "example" else hostile_study
    study = cp.load_study(path)
    return path, study, real_strings(study)


def test_the_secrets_are_real_and_checkable(study_case):
    """The detector can fail: the strings are many, none hides inside a label an
    anonymised report keeps, and the ordinary report contains them."""
    _path, study, secrets = study_case
    assert all(secrets.values()), {k: len(v) for k, v in secrets.items()}
    for labels in kept_labels(study):
        for kind, texts in secrets.items():
            clash = [t for t in texts if any(f in labels.casefold() for f in spellings(t))]
            assert not clash, f"{kind} {clash} is part of the kept label {labels!r}"
    codes = cp.analyze(study, seed=1, anonymize=True, allow_problems=True).roster.index
    assert not set(codes) & secrets["member id"]            # ids are not the codes
    plain = cp.analyze(study, seed=1, allow_problems=True)
    found = leaks(without_vis(render_report(plain, audience="evaluator")), secrets)
    wave_names = {str(study.roster.at[m, "name"]) for m in plain.wave.members}
    assert wave_names <= {text for kind, text in found if kind == "name"}
    assert {kind for kind, _ in found} >= {"name", "member id", "typed answer"}


def test_anonymised_reports_and_json_leak_nothing(study_case, tmp_path):
    _path, study, secrets = study_case
    results = cp.analyze(study, seed=1, anonymize=True, allow_problems=True)
    assert results.anonymized
    for audience in AUDIENCES:
        html = results.to_html(tmp_path / f"{audience}.html", audience=audience) \
            .read_text(encoding="utf-8")
        assert "Anonymised" in html
        assert leaks(without_vis(html), secrets) == [], audience
        # the map still has every member, as codes, but for those a shared map leaves off
        # (too few in their silo did not consent to be named: see map_privacy)
        data = json.loads(re.search(r'id="cpower-map">(.*?)</script>', html, re.S).group(1))
        left_off = map_privacy(results.roster, results.wave.members, audience,
                               SUPPRESS_GROUP).left_off
        assert len(data["nodes"]["label"]) == len(results.wave.members) - len(left_off)
        assert (audience == "retreat") == bool(left_off)
    document = results.to_json(tmp_path / "results.json").read_text(encoding="utf-8")
    assert json.loads(document)["anonymized"] is True
    assert leaks(document, secrets) == []


def test_cli_anonymize_leaks_nothing(study_case, tmp_path):
    path, _study, secrets = study_case
    report, document = tmp_path / "out" / "report.html", tmp_path / "out" / "results.json"
    args = ["analyze", str(path), "--anonymize", "--out", str(report), "--json", str(document),
            "--seed", "1", "--audience", "retreat", "--allow-problems"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert leaks(without_vis(report.read_text(encoding="utf-8")), secrets) == []
    assert leaks(document.read_text(encoding="utf-8"), secrets) == []
    # what the command printed is anonymised too
    assert leaks(result.stdout, secrets) == []
    printed = [line.removeprefix("Report: ") for line in result.stdout.splitlines()
               if line.startswith("Report: ")]
    assert [Path(p).resolve() for p in printed] == [report.resolve()]


# --- codes, order and layout that the roster cannot decode -----------------------------

@pytest.fixture(scope="module")
def example_pair():
    """The example study analysed with its names and anonymised (same seed)."""
    study = cp.load_study(cp.example_study_path())
    return study, cp.analyze(study, seed=1), cp.analyze(study, seed=1, anonymize=True)


def test_codes_are_not_given_in_roster_order(example_pair):
    study, _named, _hidden = example_pair
    codes = anonymize_study(study).roster.index.tolist()
    assert codes == sorted(codes)                       # the copy is in code order
    given = member_codes(list(study.roster.index), shuffle_generator(study, study.config.seed))
    assert list(given.values()) != sorted(given.values())
    assert member_codes(list(study.roster.index)) != given     # roster order is not used
    # the same study and seed give the same codes; another seed others
    assert given == member_codes(list(study.roster.index),
                                 shuffle_generator(study, study.config.seed))
    assert given != member_codes(list(study.roster.index),
                                 shuffle_generator(study, study.config.seed + 1))


def test_organisation_codes_are_not_in_order_of_appearance(example_pair):
    study, _named, _hidden = example_pair
    hidden = anonymize_study(study)
    first_seen = list(dict.fromkeys(study.roster["organisation"]))
    coded = dict(zip(study.roster["organisation"], [
        hidden.roster.at[c, "organisation"] for c in member_codes(
            list(study.roster.index), shuffle_generator(study, study.config.seed)).values()],
        strict=True))
    assert [coded[o] for o in first_seen] != sorted(coded[o] for o in first_seen)


def test_the_anonymised_map_neither_lists_nor_places_members_as_the_named_map(example_pair):
    study, named, hidden = example_pair
    codes = member_codes(list(study.roster.index), shuffle_generator(study, study.config.seed))
    maps = {}
    for kind, results in (("named", named), ("hidden", hidden)):
        html = render_report(results, audience="evaluator")
        maps[kind] = json.loads(re.search(r'id="cpower-map">(.*?)</script>', html,
                                          re.S).group(1))["nodes"]
    order = [codes[m] for m in maps["named"]["id"]]
    assert order != maps["hidden"]["id"]
    assert sorted(order) == sorted(maps["hidden"]["id"])
    named_at = {codes[m]: (x, y) for m, x, y in zip(maps["named"]["id"], maps["named"]["x"],
                                                   maps["named"]["y"], strict=True)}
    hidden_at = dict(zip(maps["hidden"]["id"], zip(maps["hidden"]["x"], maps["hidden"]["y"],
                                                   strict=True), strict=True))
    same = [c for c in hidden_at if hidden_at[c] == named_at[c]]
    moved = [c for c in hidden_at if hidden_at[c] != named_at[c]]
    assert len(moved) > len(same)                     # isolates' row may coincide


ORG_NAMES = ("Sunrise Daycare", "Hope Foundation", "Riverside Council")
ORG_TOML = """\
[study]
name = "Agencies"
seed = 4

[roster]
file = "roster.csv"
silo = "{silo}"
{organisation}
[relations.collaborate]
scale = "yes_tie"

[scales]
yes_tie = {{ "No" = 0, "Yes" = 1 }}

[waves.w1]
[[waves.w1.surveys]]
file = "matrix.csv"
platform = "plain"
respondent = "member"

[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "collaborate"
columns = "Work with [{{member}}]"
"""


def org_study(folder: Path, *, silo: str, organisation: str = "") -> Path:
    """Nine members whose silo column holds organisation names (three each)."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = [f"a{k}" for k in range(9)]
    names = [f"Person Number{k}" for k in range(9)]
    columns = ["member_id", "name", silo] + (["organisation"] if organisation else [])
    rows = [",".join(columns)]
    for k, (member, name) in enumerate(zip(ids, names, strict=True)):
        org = ORG_NAMES[k % 3]
        rows.append(",".join([member, name, org] + ([org] if organisation else [])))
    matrix = ["member," + ",".join(f"Work with [{n}]" for n in names)]
    for k, member in enumerate(ids):
        matrix.append(member + "," + ",".join("Yes" if j in ((k + 1) % 9, (k + 4) % 9)
                                              else "No" for j in range(9)))
    config = ORG_TOML.format(silo=silo, organisation=(f'organisation = "{organisation}"\n'
                                                      if organisation else ""))
    (folder / "cpower.toml").write_text(config, encoding="utf-8")
    (folder / "roster.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "matrix.csv").write_text("\n".join(matrix) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(("silo", "organisation"), [
    ("agency", ""),                          # named for organisations
    ("hub", "organisation"),                 # holds the organisation column's values
])
def test_a_silo_column_of_organisations_is_coded(tmp_path, silo, organisation):
    study = cp.load_study(org_study(tmp_path / silo, silo=silo, organisation=organisation))
    assert silo_holds_organisations(study)
    results = cp.analyze(study, seed=1, anonymize=True)
    assert set(results.roster["silo"]) <= {f"Org {k:02d}" for k in range(1, 4)}
    texts = [render_report(results, audience=a) for a in AUDIENCES]
    texts += [json.dumps(results_document(results, audience=a), ensure_ascii=False)
              for a in AUDIENCES]
    for text in texts:
        assert not [o for o in ORG_NAMES if o in text]
        assert "Person Number" not in text
    # without anonymising, the silos are the organisations
    assert set(cp.analyze(study, seed=1).roster["silo"]) == set(ORG_NAMES)


def test_anonymised_outputs_are_byte_identical_run_to_run(tmp_path):
    path = org_study(tmp_path / "study", silo="agency")
    runs = []
    for run in ("a", "b"):
        results = cp.analyze(cp.load_study(path), seed=3, anonymize=True)
        files = [results.to_html(tmp_path / run / f"{a}.html", audience=a)
                 for a in AUDIENCES]
        files += [write_json(results, tmp_path / run / f"{a}.json", audience=a)
                  for a in AUDIENCES]
        runs.append([f.read_bytes() for f in files])
    assert runs[0] == runs[1]
