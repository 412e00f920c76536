"""Adjusted mutual information and Benjamini–Hochberg q-values, checked against the
libraries they replace at run time (scikit-learn and scipy.stats: importing them costs
about three seconds per command, more than a whole 300-member analysis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import false_discovery_control
from sklearn.metrics import adjusted_mutual_info_score

from cpower_network.measures.inference import bh_q_values
from cpower_network.measures.mutual_information import adjusted_mutual_information

labellings = st.integers(2, 120).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 6), min_size=n, max_size=n),
    st.lists(st.integers(0, 25), min_size=n, max_size=n)))


@settings(max_examples=200, deadline=None)
@given(labellings)
def test_ami_equals_scikit_learn(pair):
    a, b = pair
    expected = adjusted_mutual_info_score(a, b, average_method="arithmetic")
    assert adjusted_mutual_information(a, b) == pytest.approx(expected, abs=1e-9)


def test_ami_hand_computed_cases():
    # identical partitions (any label names): 1; two partitions that share no information
    # (each of three groups holds one of each of two labels, MI = 0): -EMI / (H̄ - EMI) < 0
    assert adjusted_mutual_information([0, 0, 1, 1], ["x", "x", "y", "y"]) == 1.0
    assert adjusted_mutual_information(["a"] * 5, ["b"] * 5) == 1.0
    crossed = adjusted_mutual_information([0, 0, 1, 1, 2, 2], [0, 1, 0, 1, 0, 1])
    assert crossed == pytest.approx(-0.4481886872563349, abs=1e-12)  # scikit-learn 1.x
    # mixed label types are told apart (1 and "1" are two labels)
    assert adjusted_mutual_information([1, "1", 1, "1"], [0, 1, 0, 1]) == 1.0
    with pytest.raises(ValueError, match="differ in length: 3 and 2"):
        adjusted_mutual_information([0, 1, 2], [0, 1])


def test_ami_large_partition_is_exact_and_quick():
    rng = np.random.default_rng(3)
    silos = rng.integers(0, 8, 15_000)
    found = (silos * 7 + rng.integers(0, 3, 15_000)) % 200
    expected = adjusted_mutual_info_score(silos, found, average_method="arithmetic")
    assert adjusted_mutual_information(silos.tolist(), found.tolist()) == pytest.approx(
        expected, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 1), st.sampled_from([0.01, 0.05, 1.0])),
                max_size=60))
def test_bh_q_values_equal_scipy_bit_for_bit(p_values):
    tested = [p for p in p_values if p is not None]
    found = bh_q_values(p_values)
    assert [q is None for q in found] == [p is None for p in p_values]
    if tested:
        expected = false_discovery_control(tested, method="bh")
        assert [q for q in found if q is not None] == [round(float(q), 12) for q in expected]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=1, max_size=80), st.permutations(range(6)))
def test_ami_of_the_same_partition_is_exactly_one(labels, renaming):
    renamed = [f"c{renaming[x]}" for x in labels]
    assert adjusted_mutual_information(labels, renamed) == 1.0


@settings(max_examples=100, deadline=None)
@given(labellings)
def test_ami_never_exceeds_one(pair):
    assert adjusted_mutual_information(*pair) <= 1.0
