"""The Python API refuses what the command line refuses, before any work starts."""

from __future__ import annotations

import pytest

import cpower_network as cp
from cpower_network.measures.inference import MAX_DRAWS, draws_for_family


@pytest.fixture(scope="module")
def example():
    return cp.load_study(cp.example_study_path())


@pytest.mark.parametrize("seed", [-1, 1.5, "7", True])
def test_analyze_and_compare_refuse_bad_seeds(example, seed):
    for run in (lambda: cp.analyze(example, seed=seed), lambda: cp.compare(example, seed=seed)):
        with pytest.raises(cp.UsageError, match="seed must be a whole number, 0 or more"):
            run()


def test_compare_refuses_draws_that_would_run_for_hours(example):
    with pytest.raises(cp.UsageError, match=r"at most 1,000,000 .* got 1,000,000,000,000"):
        cp.compare(example, permutations=10**12)


def test_refined_draws_never_exceed_the_cap():
    assert draws_for_family(100_000, 10) == MAX_DRAWS
