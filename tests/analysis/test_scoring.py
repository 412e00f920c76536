"""Scoring rules (indicators/scoring.py), bands and indicator settings (config/indicators.py).

Every rule turns one raw value into a 0–100 score, keeps the raw value, says how, and
treats a missing value (None or NaN) as "not measured" (score None), never as zero.
"""

from __future__ import annotations

import numpy as np
import pytest

from cpower_network.config.indicators import IndicatorSettings, read_indicator_settings
from cpower_network.errors import ConfigError
from cpower_network.indicators.items import ITEM_KEYS
from cpower_network.indicators.scoring import (
    Component,
    against_expected,
    against_target,
    gap,
    inverse_share,
    mean_score,
    missing,
    not_measured,
    on_scale,
    parity,
    share,
)

NAN = float("nan")


def scores(rule, *values, **options) -> list[float | None]:
    return [rule("x", v, **options).score for v in values]


# --------------------------------------------------------------------------- missing
@pytest.mark.parametrize("value", [None, NAN, np.float64("nan"), np.float32("nan"),
                                   float("inf"), -float("inf")])
def test_missing_values(value) -> None:
    assert missing(value)


@pytest.mark.parametrize("value", [0.0, 0, -1.0, np.float64(0.0)])
def test_zero_is_a_value_not_missing(value) -> None:
    assert not missing(value)


# --------------------------------------------------------------------------- parity
def test_parity_rule() -> None:
    # ratio × 100, capped at 100: 0.5 -> 50, 1 -> 100, 1.4 -> 100, 0 -> 0
    assert scores(parity, 0.5, 1.0, 1.4, 0.0, 0.999) == [50.0, 100.0, 100.0, 0.0,
                                                         pytest.approx(99.9)]
    over = parity("parity of trust", 1.4)
    assert over == Component("parity of trust", 1.4, 100.0,
                             "parity ratio × 100, capped at 100 (1.0 = share in proportion)")
    assert parity("p", -0.2).score == 0.0           # clipped at 0


@pytest.mark.parametrize("value", [None, NAN])
def test_parity_not_measured(value) -> None:
    assert parity("p", value) == Component("p", None, None, "not measured")


# --------------------------------------------------------------------------- share
def test_share_rule() -> None:
    assert scores(share, 0.25, 0.0, 1.0, 1.3, -0.1) == [25.0, 0.0, 100.0, 100.0, 0.0]
    assert share("s", 0.25).how == "share × 100"
    assert share("s", 0.25).raw == 0.25
    assert share("s", NAN) == Component("s", None, None, "not measured")
    assert share("s", None).score is None


# --------------------------------------------------------------------------- inverse share
def test_inverse_share_rule() -> None:
    # (1 − value) × 100: less is better
    assert scores(inverse_share, 0.3, 0.0, 1.0, 1.5, -0.5) == \
        [70.0, 100.0, 0.0, 0.0, 100.0]
    assert inverse_share("fragmentation", 0.3) == \
        Component("fragmentation", 0.3, 70.0, "(1 − value) × 100")
    assert inverse_share("x", NAN) == Component("x", None, None, "not measured")


# --------------------------------------------------------------------------- on scale
def test_on_scale_rule() -> None:
    # (mean − low) ÷ (high − low) × 100 on a 1–5 scale
    assert [on_scale("x", m, 1, 5).score for m in (4.0, 1.0, 5.0, 2.75, 6.0, 0.0)] == \
        [75.0, 0.0, 100.0, 43.75, 100.0, 0.0]
    c = on_scale("item", 2.5, 1, 4)
    assert (c.raw, c.score, c.how) == (2.5, 50.0, "(mean − 1) ÷ (4 − 1) × 100")
    # a scale starting at 0
    assert on_scale("x", 1.5, 0, 3).score == 50.0


def test_on_scale_not_measured() -> None:
    assert on_scale("x", None, 1, 5) == Component("x", None, None, "not measured")
    assert on_scale("x", NAN, 1, 5).score is None
    # a mean on an unknown or degenerate scale: raw kept, no score
    for low, high in ((NAN, 5), (1, NAN), (3, 3), (5, 1)):
        c = on_scale("x", 3.0, low, high)
        assert (c.raw, c.score, c.how) == (3.0, None, "not measured")


# --------------------------------------------------------------------------- target
def test_against_target_rule() -> None:
    # value ÷ target × 100, capped
    assert [against_target("x", v, 0.2).score for v in (0.1, 0.2, 0.3, 0.0)] == \
        [50.0, 100.0, 100.0, 0.0]
    assert against_target("x", 0.3, 0.4).score == pytest.approx(75.0)
    c = against_target("density", 0.1, 0.2)
    assert c.how == "value ÷ 0.2 × 100, capped at 100 (target 0.2)"
    assert against_target("x", -1.0, 1.0).score == 0.0
    assert against_target("x", NAN, 0.2) == Component("x", None, None, "not measured")
    assert against_target("x", None, 0.2).score is None


# --------------------------------------------------------------------------- expected
def test_against_expected_rule() -> None:
    # (value − floor) ÷ (expected − floor) × 100, capped
    # E-I −0.5 against 0 expected, floor −1: 0.5 / 1 = 50
    assert against_expected("E-I", -0.5, 0.0).score == 50.0
    # at or above the expectation: 100
    assert against_expected("E-I", 0.0, 0.0).score == 100.0
    assert against_expected("E-I", 0.6, 0.2).score == 100.0
    # the floor itself: 0; a share against its expectation with floor 0: 0.3 / 0.6 = 50
    assert against_expected("E-I", -1.0, 0.5).score == 0.0
    assert against_expected("share", 0.3, 0.6, 0.0).score == pytest.approx(50.0)
    assert against_expected("share", -0.1, 0.6, 0.0).score == 0.0   # clipped
    c = against_expected("E-I", -0.5, 0.25)
    assert c.score == pytest.approx(40.0)                # 0.5 / 1.25
    assert c.how == ("(value − -1) ÷ (expected at random − -1) × 100, capped at 100 "
                     "(expected 0.25)")


def test_against_expected_not_measured() -> None:
    assert against_expected("E-I", None, 0.2) == Component("E-I", None, None, "not measured")
    # an unknown or degenerate expectation keeps the raw value but gives no score
    for expected in (None, NAN, -1.0, -2.0):
        c = against_expected("E-I", 0.1, expected)
        assert (c.raw, c.score) == (0.1, None)
    assert against_expected("share", 0.1, 0.0, 0.0).score is None


# --------------------------------------------------------------------------- gap
def test_gap_rule() -> None:
    # 100 × (1 + min(gap, 0) ÷ span): only a negative gap lowers the score
    assert [gap("g", v, 4).score for v in (-1.0, 0.0, 2.0, -4.0, -6.0, -2.75)] == \
        [75.0, 100.0, 100.0, 0.0, 0.0, 31.25]
    c = gap("voice gap", -1.0, 4)
    assert (c.raw, c.how) == (-1.0, "100 × (1 + min(gap, 0) ÷ 4): a negative gap lowers "
                                    "the score")


def test_gap_not_measured() -> None:
    assert gap("g", None, 4) == Component("g", None, None, "not measured")
    assert gap("g", NAN, 4).score is None
    for span in (0, -1, NAN):
        c = gap("g", -1.0, span)
        assert (c.raw, c.score) == (-1.0, None)


# --------------------------------------------------------------------------- mean
def test_not_measured_carries_its_reason_and_no_raw_value() -> None:
    component = not_measured("parity of trust received", "no ties in trust")
    assert component == Component("parity of trust received", None, None,
                                  "not measured: no ties in trust")
    assert component.reason == "no ties in trust"
    assert Component("x", None, None, "not asked").reason == \
        "not asked in this wave's surveys"
    assert parity("p", NAN).reason == "undefined on these data"
    assert share("s", 0.0).reason is None                  # a measured zero has no reason
    assert mean_score([component]) is None


def test_an_infinite_value_is_not_a_score() -> None:
    assert share("s", float("inf")).score is None
    assert against_target("t", float("inf"), 0.2).score is None


def test_mean_score_skips_not_measured_and_keeps_zero() -> None:
    assert mean_score([share("a", 0.2), share("b", None), share("c", 0.6)]) == 40.0
    # a measured zero is a zero, not "not measured"
    assert mean_score([share("a", 0.0), share("b", 1.0)]) == 50.0
    assert mean_score([share("a", None), parity("b", NAN)]) is None
    assert mean_score([]) is None


# --------------------------------------------------------------------------- bands
@pytest.mark.parametrize("score, band", [
    (0.0, "Emerging"), (39.999, "Emerging"), (40.0, "Developing"), (69.999, "Developing"),
    (70.0, "Strong"), (100.0, "Strong"), (None, "Not measured"), (NAN, "Not measured")])
def test_default_bands(score, band) -> None:
    assert IndicatorSettings().band(score) == band


def test_custom_bands() -> None:
    s = IndicatorSettings(emerging_below=30, strong_from=60)
    assert [s.band(x) for x in (29.9, 30, 59.9, 60)] == \
        ["Emerging", "Developing", "Developing", "Strong"]


def test_default_settings() -> None:
    s = IndicatorSettings()
    assert (s.emerging_below, s.strong_from) == (40.0, 70.0)
    assert (s.lived_experience, s.grassroots) == ("lived_experience", "grassroots")
    assert (s.trust_relation, s.collaboration_relation, s.advice_relation,
            s.resources_relation) == ("trust", "collaborate", "advice", "resources")
    assert (s.density_target, s.clustering_target) == (0.20, 0.40)
    assert s.weight("anything") == 1.0


# --------------------------------------------------------------------------- reading TOML
def read(table) -> IndicatorSettings:
    return read_indicator_settings(table, item_keys=ITEM_KEYS)


def problems_of(table, source: str = "cpower.toml") -> list[str]:
    with pytest.raises(ConfigError) as caught:
        read_indicator_settings(table, item_keys=ITEM_KEYS, source=source)
    assert all(p.file == source for p in caught.value.problems)
    return [p.message for p in caught.value.problems]


def test_empty_table_gives_the_defaults() -> None:
    assert read({}) == IndicatorSettings()


def test_overrides_from_toml() -> None:
    s = read({"emerging_below": 30, "strong_from": 60.5, "trust_relation": "trust_all",
              "collaboration_relation": "work", "advice_relation": "ask",
              "resources_relation": "money", "lived_experience": "parents",
              "grassroots": "community", "density_target": 0.1, "clustering_target": 0.5,
              "weights": {"mutual_trust": 2, "collaboration": 0, "diversity": 0.5}})
    assert (s.emerging_below, s.strong_from) == (30.0, 60.5)
    assert isinstance(s.emerging_below, float)
    assert (s.trust_relation, s.collaboration_relation, s.advice_relation,
            s.resources_relation) == ("trust_all", "work", "ask", "money")
    assert (s.lived_experience, s.grassroots) == ("parents", "community")
    assert (s.density_target, s.clustering_target) == (0.1, 0.5)
    assert (s.weight("mutual_trust"), s.weight("collaboration"), s.weight("diversity"),
            s.weight("newcomers")) == (2.0, 0.0, 0.5, 1.0)
    assert s.band(30) == "Developing" and s.band(60.5) == "Strong"
    # keys not given keep their defaults
    assert read({"strong_from": 80}).emerging_below == 40.0


def test_every_problem_is_listed_at_once_with_suggestions() -> None:
    messages = problems_of({
        "strong_fro": 60,
        "weights": {"mutual_trus": 2, "collaboration": -1, "diversity": "x",
                    "newcomers": True, "le_central": NAN},
    }, source="study/cpower.toml")
    assert messages == [
        "unknown key 'strong_fro' in [indicators]; did you mean 'strong_from'?",
        "[indicators.weights] 'mutual_trus' is not an evidence item; did you mean "
        "'mutual_trust'?",
        "[indicators.weights] collaboration must be a number ≥ 0",
        "[indicators.weights] diversity must be a number ≥ 0",
        "[indicators.weights] newcomers must be a number ≥ 0",
        "[indicators.weights] le_central must be a number ≥ 0",
    ]


def test_config_error_names_the_count_and_the_source() -> None:
    with pytest.raises(ConfigError, match=r"^cpower.toml: 2 configuration problems"):
        read({"colour": "red", "weights": {"diversity": -2}})


def test_wrongly_typed_settings_are_config_errors_not_crashes() -> None:
    # a text where a number belongs (and a number where a text belongs) is reported with
    # the other problems, never a TypeError
    messages = problems_of({"emerging_below": "forty", "trust_relation": 3,
                            "strong_from": True})
    assert messages == [
        "[indicators] emerging_below must be a number, got 'forty'",
        "[indicators] strong_from must be a number, got True",
        "[indicators] trust_relation must be text in quotes, got 3",
    ]


def test_bands_out_of_order_and_bad_targets() -> None:
    assert problems_of({"emerging_below": 80}) == [
        "[indicators] needs 0 ≤ emerging_below ≤ strong_from ≤ 100"]
    assert problems_of({"strong_from": 120}) == [
        "[indicators] needs 0 ≤ emerging_below ≤ strong_from ≤ 100"]
    # a target of 0 would divide by zero when scoring collaboration
    assert problems_of({"density_target": 0, "clustering_target": -0.4}) == [
        "[indicators] density_target must be a number > 0 (the value that scores 100)",
        "[indicators] clustering_target must be a number > 0 (the value that scores 100)"]
    assert read({"density_target": 0.05}).density_target == 0.05
