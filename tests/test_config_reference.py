"""The configuration reference (config_reference.py) is the one schema of cpower.toml:
every key the readers accept is documented, every documented key is accepted at its
example value, and docs/configuration.md is what ``cpower config --markdown`` prints."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path

import pytest

from cpower_network.config import reference
from cpower_network.config.indicators import IndicatorSettings, read_indicator_settings
from cpower_network.config.perception_items import DEFAULT_ITEMS, MILESTONES
from cpower_network.config.relations import COMBINE_RULES, Relation
from cpower_network.config.roster import RosterConfig
from cpower_network.config.settings import (
    CONFLICT_RULES,
    DUPLICATE_RULES,
    NONRESPONDENT_RULES,
    AnalysisSettings,
)
from cpower_network.config.study import parse_config, read_config
from cpower_network.config.surveys import HEADER_ROWS, PLATFORMS, SHAPES, SurveyFile
from cpower_network.errors import ConfigError
from cpower_network.indicators.items import ITEM_KEYS

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cpower_network"
#: The files the reference's example cpower.toml names.
FILES = {"roster.csv": "member_id,name,sector,role\nm001,Ana,Health,Co-chair\n",
         "aliases.csv": "alias,member_id\nAna R.,m001\n",
         "wave1/survey.csv": "member_id\nm001\n"}
#: Keys documented with an example value (not written as tables of their own).
VALUED = [(s.name, k.name) for s in reference.SECTIONS for k in s.keys if not k.tables]
CHECKED = [s.name for s in reference.SECTIONS if s.keys]


def problems_of(raw: dict, root: Path) -> list[str]:
    """Every problem parse_config and the [indicators] reader find in ``raw``."""
    found: list[str] = []
    for read in (lambda: parse_config(raw, root=root, source=root / "cpower.toml"),
                 lambda: read_indicator_settings(raw.get("indicators", {}),
                                                 item_keys=ITEM_KEYS)):
        try:
            read()
        except ConfigError as error:
            found += [p.message for p in error.problems]
    return found


def locate(raw: dict, name: str) -> dict:
    """The table of ``raw`` that section ``name`` documents (its first entry for
    ``[relations.<key>]`` and the like; the question of that shape)."""
    surveys = raw["waves"]["wave1"]["surveys"]
    if name.startswith("questions."):
        shape = name.split(".", 1)[1]
        return next(q for q in surveys[0]["questions"] if q["shape"] == shape)
    if name == "surveys":
        return surveys[0]
    section = reference.section(name)
    table = raw[section.top]
    if "<key>" in section.table or section.entries:
        return next(iter(table.values()))
    return table


@pytest.fixture
def example_study(make_study) -> Path:
    return make_study(reference.example(), FILES)


def test_the_example_is_a_valid_study(example_study):
    config = read_config(example_study)
    assert problems_of(tomllib.loads(reference.example()), example_study) == []
    assert [q.shape for q in config.waves["wave1"].surveys[0].questions] == list(SHAPES)
    assert set(config.relations) >= {"collaborate", "advice", "influence"}


@pytest.mark.parametrize(("section", "key"), VALUED)
def test_every_documented_key_is_accepted_at_its_example_value(example_study, section,
                                                                  key):
    documented = next(k for k in reference.section(section).keys if k.name == key)
    value = tomllib.loads(f"value = {documented.example}")["value"]
    raw = tomllib.loads(reference.example())
    locate(raw, section)[key] = value
    problems = problems_of(raw, example_study)
    # column and columns both given is the only mistake an example may make together
    # with the section's example, which gives the other one
    assert [p for p in problems if "not both" not in p] == []


@pytest.mark.parametrize("section", CHECKED)
def test_a_misspelt_key_is_rejected_with_the_right_one(example_study, section):
    key = reference.section(section).keys[-1].name
    typo = key[:-1] + key[-1] * 2
    raw = tomllib.loads(reference.example())
    locate(raw, section)[typo] = "x"
    problems = problems_of(raw, example_study)
    assert any(p.startswith(f"unknown key {typo!r} in ") and
               p.endswith(f"did you mean {key!r}?") for p in problems), problems


def test_a_misspelt_table_or_weight_is_rejected_with_a_hint(example_study):
    raw = tomllib.loads(reference.example())
    raw["rosterr"] = {}
    raw["indicators"]["weights"]["mutual_trus"] = 1
    problems = problems_of(raw, example_study)
    assert "unknown key 'rosterr' in cpower.toml; did you mean 'roster'?" in problems
    assert ("[indicators.weights] 'mutual_trus' is not an evidence item; did you mean "
            "'mutual_trust'?") in problems


_READ = re.compile(r"\.(?:text|number|integer|boolean|choice|text_list|table_of|_typed)"
                   r"\(\s*\"(\w+)\"")


#: The modules that read the study's tables (all but [analysis] and [indicators]).
STUDY_READERS = ("config/study.py", "config/roster.py", "config/relations.py",
                 "config/surveys.py")


def read_keys(*paths: str) -> set[str]:
    """Keys the source reads with a literal name (``reader.text("file")`` …)."""
    return {key for path in paths for key in _READ.findall((PACKAGE / path).read_text())}


def documented(*sections: str) -> set[str]:
    chosen = sections or [s.name for s in reference.SECTIONS]
    return {k.name for name in chosen for k in reference.section(name).keys}


def test_every_key_the_code_reads_is_documented():
    config_sections = [s.name for s in reference.SECTIONS
                       if s.top not in ("analysis", "indicators")]
    tables = set(reference.top_keys())
    assert read_keys(*STUDY_READERS) - documented(*config_sections) - tables == set()
    assert read_keys("config/settings.py") - documented("analysis") == set()
    assert read_keys("config/indicators.py") - documented("indicators") == set()
    assert read_keys(*STUDY_READERS) >= {"file", "respondent", "write_in", "non_members"}


def test_every_documented_key_is_read_by_the_code():
    source = "".join((PACKAGE / p).read_text() for p in (*STUDY_READERS, "config/scales.py"))
    for section in reference.SECTIONS:
        if section.top in ("analysis", "indicators"):
            continue  # read field by field: see the next test
        for key in section.keys:
            assert f'"{key.name}"' in source, f"{section.table} {key.name} is never read"


def fixed_defaults(section: str) -> dict[str, object]:
    return {k.name: k.default for k in reference.section(section).keys
            if not (k.required or k.note or k.tables)}


def test_analysis_and_indicators_are_the_settings_fields():
    assert reference.keys("analysis") == tuple(f.name for f in
                                               dataclasses.fields(AnalysisSettings))
    assert reference.keys("indicators") == tuple(f.name for f in
                                                 dataclasses.fields(IndicatorSettings))
    assert fixed_defaults("analysis") == dataclasses.asdict(AnalysisSettings())
    indicators = dataclasses.asdict(IndicatorSettings())
    del indicators["weights"]
    assert fixed_defaults("indicators") == indicators


@pytest.mark.parametrize(("section", "cls"), [
    ("roster", RosterConfig), ("relations", Relation), ("surveys", SurveyFile)])
def test_documented_defaults_are_the_code_defaults(section, cls):
    field_defaults = {f.name: f.default for f in dataclasses.fields(cls)
                      if f.default is not dataclasses.MISSING}
    for key, default in fixed_defaults(section).items():
        assert field_defaults[key] == default, f"{section} {key}"


def test_documented_choices_are_the_code_choices():
    def choices(section: str, key: str) -> tuple[str, ...]:
        return next(k.choices for k in reference.section(section).keys if k.name == key)

    assert choices("surveys", "platform") == PLATFORMS
    assert choices("relations", "combine") == COMBINE_RULES
    assert choices("questions.matrix", "header") == HEADER_ROWS
    assert choices("items", "milestone") == MILESTONES
    assert choices("analysis", "nonrespondents") == NONRESPONDENT_RULES
    assert choices("analysis", "duplicates") == DUPLICATE_RULES
    assert choices("analysis", "conflicts") == CONFLICT_RULES
    shapes = [s.name.split(".", 1)[1] for s in reference.SECTIONS
              if s.name.startswith("questions.")]
    assert tuple(shapes) == SHAPES
    assert reference.known_entries("items") == list(DEFAULT_ITEMS)
    assert reference.known_entries("indicators.weights") == ITEM_KEYS


def test_every_example_value_is_toml_of_its_type():
    kinds = {"text": str, "a number": (int, float), "a whole number": int,
             "true or false": bool, "a list of texts": list}
    for section in reference.SECTIONS:
        for key in section.keys:
            if key.tables:
                continue
            value = tomllib.loads(f"v = {key.example}")["v"]
            expected = dict if key.type.startswith("a table") else kinds.get(key.type, str)
            assert isinstance(value, expected), f"{section.table} {key.name}"
            assert not key.choices or value in key.choices, f"{section.table} {key.name}"


def test_the_markdown_file_is_current():
    shipped = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert shipped == reference.markdown(), (
        "docs/configuration.md is stale: cpower config --markdown > docs/configuration.md")


def test_the_markdown_documents_every_key_of_every_shape():
    text = reference.markdown()
    for section in reference.SECTIONS:
        assert f"## `{section.table}`" in text
        for key in section.keys:
            assert f"| `{key.name}` |" in text
    assert reference.markdown("long").count("## ") == 1


def test_cpower_config_shows_a_section(run_cli):
    result = run_cli("config", "roster")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("[roster]\n")
    for key in reference.keys("roster"):
        assert f"\n  {key}  (" in result.stdout
    assert "[study]" not in result.stdout


def test_cpower_config_finds_shapes_and_groups(run_cli):
    assert run_cli("config", "long").stdout.startswith(
        '[[waves.<key>.surveys.questions]] shape = "long"')
    questions = run_cli("config", "questions").stdout
    assert all(f'shape = "{shape}"' in questions for shape in SHAPES)
    assert run_cli("config", "[analysis]").stdout == reference.text("analysis")
    assert run_cli("config").stdout == reference.text()
    assert run_cli("config", "--markdown").stdout == reference.markdown()
    write_in = run_cli("config", "write_in")
    assert write_in.exit_code == 0
    assert write_in.stdout == reference.text("questions.name_generator") + "\n" + \
        reference.text("questions.multi_select")


def test_cpower_config_rejects_an_unknown_section(run_cli):
    result = run_cli("config", "nosuch")
    assert result.exit_code == 2
    assert "Error: no section or key 'nosuch' in cpower.toml" in result.stderr
    assert "roster" in result.stderr
    typo = run_cli("config", "rostr")
    assert typo.exit_code == 2
    assert "did you mean 'roster'?" in typo.stderr
    assert "did you mean 'platform'?" in run_cli("config", "plaform").stderr


def test_cpower_help_lists_config(run_cli):
    assert "config" in run_cli("--help").stdout
    assert "cpower config --markdown > docs/configuration.md" in \
        run_cli("config", "--help").stdout



def test_init_help_points_to_the_reference(run_cli):
    result = run_cli("init", "--help")
    assert result.exit_code == 0
    assert "Every cpower.toml key, with its type, default and an example:" in result.stdout
    assert "cpower config" in result.stdout
