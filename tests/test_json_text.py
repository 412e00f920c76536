"""The fast JSON writer writes exactly what json.dumps(sort_keys, indent=1) writes."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpower_network.common.json_text import dumps

scalars = (st.none() | st.booleans() | st.integers(-10**20, 10**20)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12))
keys = st.text(max_size=8)
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5)
                         | st.tuples(inner, inner)
                         | st.dictionaries(keys, inner, max_size=5), max_leaves=40)


def reference(document):
    return json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False)


@settings(max_examples=400, deadline=None)
@given(documents)
def test_same_text_as_json_dumps(document):
    assert dumps(document) == reference(document)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.one_of(st.integers(-5, 5), st.booleans(), st.none()), scalars,
                       max_size=4))
def test_non_string_keys_converted_like_json(document):
    # json.dumps sorts the original keys, then writes them as text
    try:
        expected = reference(document)
    except TypeError:  # e.g. None and int keys cannot be sorted together
        with pytest.raises(TypeError):
            dumps(document)
        return
    assert dumps(document) == expected


def test_control_characters_quotes_and_numpy_floats():
    document = {"a\x00\x1b\"\\": ["\u2028", "é", np.float64(0.1), np.int64(3).item(), 1e300]}
    assert dumps(document) == reference(document)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_floats_refused(bad):
    with pytest.raises(ValueError, match="not JSON compliant"):
        dumps({"x": [bad]})


def test_other_types_refused():
    with pytest.raises(TypeError, match="set is not JSON serializable"):
        dumps({"x": {1, 2}})
