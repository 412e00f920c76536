"""json_text's C-encoder paths (flat containers, rows, tables) write what its item-by-item
algorithm wrote, byte for byte, and raise the same errors; results_json's column-wise
``plain`` gives what converting cell by cell gave."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cpower_network.common import json_text
from cpower_network.export.results_json import plain

# -- the item-by-item algorithm json_text used before, kept as the reference ------------


def _reference_scalar(value: Any) -> str | None:
    if isinstance(value, str):
        return json.encoder.encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
        return float.__repr__(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, (list, tuple, dict)):
        return None
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _reference_key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, (dict, list, tuple)):
        raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
    return _reference_scalar(key)


def _reference_write(value: Any, level: int, out: list[str]) -> None:
    text = _reference_scalar(value)
    if text is not None:
        out.append(text)
        return
    if not value:
        out.append("{}" if isinstance(value, dict) else "[]")
        return
    inner = "\n" + " " * (level + 1)
    if isinstance(value, dict):
        out.append("{")
        for i, (key, item) in enumerate(sorted(value.items())):
            out.append((inner if i == 0 else "," + inner)
                       + json.encoder.encode_basestring(_reference_key(key)) + ": ")
            _reference_write(item, level + 1, out)
        out.append("\n" + " " * level + "}")
    else:
        out.append("[")
        for i, item in enumerate(value):
            out.append(inner if i == 0 else "," + inner)
            _reference_write(item, level + 1, out)
        out.append("\n" + " " * level + "]")


def reference(document: Any) -> str:
    out: list[str] = []
    _reference_write(document, 0, out)
    return "".join(out)


def outcome(write, document: Any) -> tuple[str, str]:
    """What ``write`` makes of ``document``: its text, or the error it raises."""
    try:
        return "text", write(document)
    except (TypeError, ValueError) as error:
        return type(error).__name__, str(error)


# -- documents shaped like results: flat containers, rows, tables, deeper nesting -------

# text that looks like the separators and seams the fast paths look for
tricky_text = st.text(alphabet=st.sampled_from(list('ab%"\\,:[]{}\n\x00 é\u2212')),
                      max_size=8)
finite = st.floats(allow_nan=False, allow_infinity=False)
scalars = (st.none() | st.booleans() | st.integers(-10**20, 10**20) | finite | tricky_text
           | finite.map(np.float64))
keys = tricky_text | st.sampled_from(["a", "b", "c", "member", "score"])
empties = st.sampled_from([[], (), {}])


def rows_of(values: st.SearchStrategy) -> st.SearchStrategy:
    """Lists of dicts that share their keys (a table), or of same-length lists."""
    def table(names: list[str]) -> st.SearchStrategy:
        return st.lists(st.fixed_dictionaries({name: values for name in names}),
                        min_size=1, max_size=4)
    return (st.lists(keys, min_size=0, max_size=4, unique=True).flatmap(table)
            | st.lists(st.lists(values, min_size=0, max_size=3), min_size=1, max_size=4))


def nested(inner: st.SearchStrategy) -> st.SearchStrategy:
    return (st.lists(inner, max_size=4) | st.tuples(inner, inner)
            | st.dictionaries(keys, inner, max_size=4) | rows_of(inner))


documents = st.recursive(scalars | empties | rows_of(scalars | empties), nested,
                         max_leaves=40)


@settings(max_examples=600, deadline=None)
@given(documents)
def test_same_bytes_as_the_item_by_item_algorithm(document):
    text = json_text.dumps(document)
    assert text == reference(document)
    assert text == json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False,
                              allow_nan=False)


refused = st.sampled_from([math.nan, math.inf, -math.inf, np.float64(math.nan),
                           {1, 2}, np.int64(3), b"x"])


@settings(max_examples=300, deadline=None)
@given(st.recursive(scalars | refused | rows_of(scalars | refused), nested, max_leaves=30))
def test_same_errors_as_the_item_by_item_algorithm(document):
    assert outcome(json_text.dumps, document) == outcome(reference, document)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.dictionaries(st.one_of(st.integers(-3, 3), st.booleans(), st.none(),
                                          st.floats(-2, 2), st.text(max_size=2)),
                                scalars, max_size=3), min_size=1, max_size=3))
def test_rows_with_keys_of_other_types(document):
    assert outcome(json_text.dumps, document) == outcome(reference, document)


def test_without_the_c_encoder(monkeypatch):
    document = {"t": [{"a": 1.5, "b": ["x", "y"]}, {"a": None, "b": []}],
                "r": [[1, 2], [3, 4]], "f": {"x": 1, "y": [], "z": "é"}}
    monkeypatch.setattr(json_text, "c_make_encoder", None)
    json_text._c_encoder.cache_clear()
    try:
        assert json_text.dumps(document) == reference(document)
    finally:
        json_text._c_encoder.cache_clear()


def test_end_is_joined_after_the_document():
    assert json_text.dumps([1, 2], end="\n") == "[\n 1,\n 2\n]\n"


# -- plain, column by column ----------------------------------------------------------


def reference_plain(value: Any) -> Any:
    """``plain`` cell by cell, as results_json wrote it before."""
    if isinstance(value, dict):
        return {str(k): reference_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [reference_plain(v) for v in value]
    if isinstance(value, pd.DataFrame):
        if value.shape[1] == 0:
            return [{} for _ in range(len(value))]
        return [{str(k): reference_plain(v) for k, v in zip(value.columns, row, strict=True)}
                for row in zip(*(value.iloc[:, i].tolist() for i in range(value.shape[1])),
                               strict=True)]
    if isinstance(value, pd.Series):
        return {str(k): reference_plain(v) for k, v in value.items()}
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)) or value is None or isinstance(value, str):
        return int(value) if isinstance(value, np.integer) else value
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return None if math.isnan(value) or math.isinf(value) else value
    if value is pd.NA:
        return None
    return value


def same(a: Any, b: Any) -> bool:
    """Equal, with the same types all the way down (1 and 1.0 and True differ)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


cells = (st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats() | st.text(max_size=3)
         | st.floats().map(np.float64) | st.integers(-5, 5).map(np.int64)
         | st.lists(st.text(max_size=2), max_size=2))
numeric_dtypes = st.sampled_from(["float64", "float32", "int64", "int32", "uint8", "bool"])


@st.composite
def frames(draw) -> pd.DataFrame:
    rows = draw(st.integers(0, 5))
    columns = {}
    for name in draw(st.lists(st.sampled_from("abcde"), unique=True, max_size=4)):
        if draw(st.booleans()):
            dtype = draw(numeric_dtypes)
            columns[name] = draw(hnp.arrays(dtype, rows))
        else:
            columns[name] = pd.Series(draw(st.lists(cells, min_size=rows, max_size=rows)),
                                      dtype=object)
    return pd.DataFrame(columns, index=pd.RangeIndex(rows))


@settings(max_examples=200, deadline=None)
@given(frames())
def test_plain_frames_column_by_column(frame):
    assert same(plain(frame), reference_plain(frame))


@settings(max_examples=200, deadline=None)
@given(st.recursive(cells, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=2), inner, max_size=4), max_leaves=20))
def test_plain_nested_values(value):
    assert same(plain(value), reference_plain(value))


@pytest.mark.parametrize("dtype", ["float64", "int64", "bool", "object"])
def test_plain_series(dtype):
    series = pd.Series([1, 0, 1], index=["x", "y", "z"], dtype=dtype)
    if dtype == "float64":
        series["y"] = math.nan
    assert same(plain(series), reference_plain(series))
