"""The built-in ``tie`` scale reads what exports contain for a tick: ``1``/``0``,
``TRUE``/``FALSE``, ``Yes``/``No``, ``x``, or the chosen option's text; ``0`` is "no tie",
not an error (issue: from a platform export to a report)."""

from __future__ import annotations

import pytest

import cpower_network as cp
from cpower_network.config.scales import TIE

ROSTER = "member_id,name,sector\nm01,Ana Ruiz,A\nm02,Kim Tran,B\nm03,José Núñez,A\n"
TOML = """
[study]
name = "ticks"
[roster]
file = "roster.csv"
silo = "sector"
[relations.know]
[waves.w1]
[[waves.w1.surveys]]
file = "s.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "know"
columns = "Know - {member}"
"""


@pytest.mark.parametrize(("cell", "value"), [
    ("1", 1.0), ("0", 0.0), ("TRUE", 1.0), ("false", 0.0), ("Yes", 1.0), ("no", 0.0),
    ("x", 1.0), ("✓", 1.0), (" 1.0 ", 1.0)])
def test_tie_scale_reads_ticks(cell, value):
    assert TIE.value_of(cell) == value


@pytest.mark.parametrize("cell", ["2", "maybe", "Weekly"])
def test_tie_scale_rejects_other_answers(cell):
    assert TIE.value_of(cell) is None


def test_a_checkbox_grid_with_option_text_and_zeros(make_study):
    survey = ("who,Know - Ana Ruiz,Know - Kim Tran,Know - José Núñez\n"
              "m01,,Kim Tran,0\n"          # the chosen option's text; 0 is no tie
              "m02,TRUE,,FALSE\n"
              "m03,1,no,\n")
    study = cp.load_study(make_study(TOML, {"roster.csv": ROSTER, "s.csv": survey}))
    assert study.quality.ok, [str(p) for p in study.quality.problems]
    ties = study.wave("w1").ties
    got = sorted(zip(ties["respondent"], ties["alter"], ties["value"], strict=True))
    assert got == [("m01", "m02", 1.0), ("m01", "m03", 0.0), ("m02", "m01", 1.0),
                   ("m02", "m03", 0.0), ("m03", "m01", 1.0), ("m03", "m02", 0.0)]
    # a 0 is an answer ("no tie"), so it makes no arc in the graph
    from cpower_network.graphs import build_graph

    G = build_graph(study, "know", "w1")
    assert sorted(G.edges()) == [("m01", "m02"), ("m02", "m01"), ("m03", "m01")]
