"""Indented, key-sorted JSON text, byte for byte as :func:`json.dumps` writes it, faster.

``json.dumps(..., indent=1)`` falls back to the standard library's pure-Python encoder
(its C encoder only writes compact JSON), which spent 1.5 s of a 1,300-member analysis on
3.6 million small calls. :func:`dumps` writes the same bytes (the tests compare the two on
generated documents) with one join per container of plain values, the standard
library's C string escaper, and ``float.__repr__``.
"""

from __future__ import annotations

import math
from json.encoder import encode_basestring
from typing import Any

__all__ = ["dumps"]


def _scalar(value: Any) -> str | None:
    """JSON text of a non-container value, or None for a container."""
    kind = type(value)
    if kind is str or isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is float or isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
        return float.__repr__(value)
    if kind is int or isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, (list, tuple, dict)):
        return None
    raise TypeError(f"Object of type {kind.__name__} is not JSON serializable")


def _key(key: Any) -> str:
    """A dictionary key as :func:`json.dumps` converts it."""
    if isinstance(key, str):
        return key
    if isinstance(key, (dict, list, tuple)):
        raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
    return _scalar(key)


def _write(value: Any, level: int, out: list[str]) -> None:
    """Append the text of ``value`` at nesting ``level`` (indent 1) to ``out``."""
    text = _scalar(value)
    if text is not None:
        out.append(text)
        return
    inner = "\n" + " " * (level + 1)
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        out.append("{")
        first = True
        for key, item in sorted(value.items()):
            out.append(inner if first else "," + inner)
            first = False
            out.append(encode_basestring(_key(key)) + ": ")
            _write(item, level + 1, out)
    else:
        if not value:
            out.append("[]")
            return
        texts = [_scalar(item) for item in value]
        if None not in texts:  # a list of plain values: one join
            out.append("[" + inner + ("," + inner).join(texts))
        else:
            out.append("[")
            for i, item in enumerate(value):
                out.append(inner if i == 0 else "," + inner)
                _write(item, level + 1, out)
    out.append("\n" + " " * level + ("}" if isinstance(value, dict) else "]"))


def dumps(document: Any) -> str:
    """``json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False,
    allow_nan=False)``, the same text.

    Parameters
    ----------
    document : dict, list or plain value
        Made of dict (keys str, int, float, bool or None), list, tuple, str, int, float,
        bool and None.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        For NaN or infinite floats.
    TypeError
        For any other type, or keys that cannot be sorted together.

    >>> dumps({"b": [1, 2.5, None], "a": {"x": "é"}, "c": []})
    '{\\n "a": {\\n  "x": "é"\\n },\\n "b": [\\n  1,\\n  2.5,\\n  null\\n ],\\n "c": []\\n}'
    """
    out: list[str] = []
    _write(document, 0, out)
    return "".join(out)
