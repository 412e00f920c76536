"""Notebook conveniences: lookups by name that fail clearly, short reprs, HTML summaries.

Result objects (:class:`~cpower_network.results.model.Results`, the wave comparison, the
indicators, a :class:`~cpower_network.ingest.Study`) are looked up by name in notebooks:
``results.indicators["cohesion"]``, ``results.wave.relations["trust"]``,
``comparison.measure("collaborate/ei")``. An unknown name raises
:class:`UnknownKeyError`, a :class:`KeyError` naming the key, the valid keys and the
closest one, never a bare ``StopIteration`` (which a ``map()`` or a generator would
swallow, silently ending early).

Reprs are one short line of counts and configuration keys (never a member's id or name:
the repr of anonymised results must not leak anything the results do not show), and the
HTML summaries escape every string (survey strings are untrusted).

This module uses the standard library only, so ingest can use it.

>>> relations = Keyed({"trust": 1, "advice": 2}, what="a relation", plural="relations",
...                   where="this wave")
>>> try:
...     relations["trsut"]
... except KeyError as error:
...     print(error)
'trsut' is not a relation of this wave; relations: trust, advice; did you mean 'trust'?
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from ..errors import UsageError, clip

T = TypeVar("T")

#: The longest repr of a result object, in characters.
REPR_LIMIT = 200
#: How many valid keys an error message lists before "and N more".
LISTED_KEYS = 20
_SPACE = re.compile(r"\s+")


class UnknownKeyError(UsageError, KeyError):
    """A name looked up on a result object that it does not have.

    Both a :class:`KeyError` (what ``mapping[key]`` raises, so ``except KeyError`` and
    ``dict.get``-style code work) and a :class:`~cpower_network.errors.UsageError` (the
    command line prints it as ``Error: …`` with exit code 2, never a traceback).

    Attributes
    ----------
    key : object
        The name looked up.
    valid : list of str
        The names that exist.
    """

    def __init__(self, message: str, *, key: Any, valid: Sequence[str]) -> None:
        super().__init__(message)
        self.key = key
        self.valid = list(valid)


def unknown_key(key: Any, valid: Iterable[Any], *, what: str, plural: str,
                where: str, how: str | None = None) -> UnknownKeyError:
    """The error for ``key`` missing among ``valid``.

    Parameters
    ----------
    key : object
        The name looked up.
    valid : iterable
        The names that exist (in their natural order).
    what, plural : str
        What a name is, with its article, and the plural: ``"an indicator"``,
        ``"indicators"``.
    where : str
        Of what: ``"these results"``.
    how : str, optional
        Python that lists every valid name, named when the list is cut short.

    Returns
    -------
    UnknownKeyError

    Examples
    --------
    >>> error = unknown_key("cohesoin", ["cohesion", "financing"], what="an indicator",
    ...                     plural="indicators", where="these results")
    >>> str(error)[:75]
    "'cohesoin' is not an indicator of these results; indicators: cohesion, fina"
    >>> str(error)[75:], isinstance(error, KeyError)
    ("ncing; did you mean 'cohesion'?", True)
    """
    names = [str(v) for v in valid]
    shown = names[:LISTED_KEYS]
    listed = ", ".join(shown) if shown else "none"
    if len(names) > len(shown):
        listed += f" and {len(names) - len(shown)} more"
        if how:
            listed += f" (all of them: {how})"
    typed = clip(key, 80) if isinstance(key, str) else key
    text = f"{typed!r} is not {what} of {where}; {plural}: {listed}"
    hint = closest(str(key), names)
    if hint:
        text += f"; did you mean {hint!r}?"
    return UnknownKeyError(text, key=key, valid=names)


def closest(key: str, names: Sequence[str]) -> str | None:
    """The name ``key`` was most likely meant to be: the closest by
    :func:`difflib.get_close_matches`, else the only name that holds ``key`` (ignoring
    case), else None.

    >>> closest("cohesoin", ["cohesion", "financing"]), closest("lived", ["all",
    ...         "lived_experience"]), closest("W1", ["w1", "w2"]), closest("w3", ["w1", "w2"])
    ('cohesion', 'lived_experience', 'w1', None)
    """
    found = difflib.get_close_matches(key, names, n=1)
    if found:
        return found[0]
    typed = key.strip().lower()
    holding = [n for n in names if typed and typed in n.lower()]
    return holding[0] if len(holding) == 1 else None


def find(items: Iterable[T], key: Any, *, name: Callable[[T], Any], what: str,
         plural: str, where: str, how: str | None = None) -> T:
    """The first of ``items`` whose ``name(item)`` is ``key``.

    Raises
    ------
    UnknownKeyError
        No item has that name (see :func:`unknown_key`).

    Examples
    --------
    >>> find(["a", "bb"], "bb", name=str, what="a word", plural="words", where="this list")
    'bb'
    """
    items = list(items)
    for item in items:
        if name(item) == key:
            return item
    raise unknown_key(key, [name(i) for i in items], what=what, plural=plural,
                      where=where, how=how)


class Keyed(dict):
    """A dict whose missing keys raise :class:`UnknownKeyError` naming the valid keys.

    Everything else is a plain dict (``get``, ``in``, iteration, equality, JSON).

    Parameters
    ----------
    *args, **kwargs
        As for :class:`dict`.
    what, plural, where : str, keyword-only
        How the error names a key (see :func:`unknown_key`).
    """

    def __init__(self, *args: Any, what: str = "a key", plural: str = "keys",
                 where: str = "this mapping", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.what, self.plural, self.where = what, plural, where

    def __missing__(self, key: Any) -> Any:
        raise unknown_key(key, self, what=self.what, plural=self.plural, where=self.where)

    def __reduce__(self) -> tuple:
        return (_rebuild, (dict(self), self.what, self.plural, self.where))


def _rebuild(items: dict, what: str, plural: str, where: str) -> Keyed:
    return Keyed(items, what=what, plural=plural, where=where)


# -- reprs ------------------------------------------------------------------------------

def one_line(text: Any, limit: int = 60) -> str:
    """``text`` on one line (every run of white space, line separators included, one
    space), cut to ``limit`` characters with an ellipsis.

    >>> one_line("Riverbend\\u2028Coalition  \\n 2025", 15)
    'Riverbend Coal…'
    """
    return clip(_SPACE.sub(" ", str(text)).strip(), limit)


def listing(keys: Iterable[Any], shown: int = 6) -> str:
    """The first ``shown`` keys, comma-separated, "…" when there are more.

    >>> listing(["a", "b", "c"], 2)
    'a, b, …'
    """
    keys = [one_line(k, 30) for k in keys]
    text = ", ".join(keys[:shown])
    return text + (", …" if len(keys) > shown else "")


def bracket(kind: str, body: str) -> str:
    """``<kind: body>`` on one line, at most :data:`REPR_LIMIT` characters.

    >>> bracket("Results", "x" * 300)[-4:], len(bracket("Results", "x" * 300))
    ('xx…>', 200)
    """
    body = _SPACE.sub(" ", body)
    text = f"<{kind}: {body}>"
    if len(text) <= REPR_LIMIT:
        return text
    return text[: REPR_LIMIT - 2] + "…>"


def number(value: float | None, digits: int = 2) -> str:
    """A float for a repr: ``0.44``; "–" for None or NaN.

    >>> number(0.4385), number(None), number(float("nan"))
    ('0.44', '–', '–')
    """
    if value is None or value != value:
        return "–"
    return f"{value:.{digits}f}"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``1 member``, ``71 members``, ``1,000 permutations``.

    >>> counted(1, "wave"), counted(1000, "member")
    ('1 wave', '1,000 members')
    """
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


# -- HTML summaries ---------------------------------------------------------------------

#: The inline styles of the HTML summaries: small, neutral, readable in a light or a
#: dark notebook theme (colours are inherited; rules are translucent).
_TABLE = ("border-collapse:collapse;margin:0 0 .6em 0;font-size:13px;"
          "line-height:1.35;text-align:left")
# Every cell sets its own alignment: notebook style sheets right-align table cells.
_CELL = ("padding:3px 12px 3px 0;border-bottom:1px solid rgba(128,128,128,.25);"
         "text-align:left;vertical-align:top;")
_HEAD = _CELL + "font-weight:600;white-space:nowrap"
_CAPTION = "text-align:left;font-weight:600;font-size:14px;padding:0 0 4px 0"
_NUMBER = _CELL + "text-align:right;font-variant-numeric:tabular-nums"
_BAND_COLOURS = {"strong": "#1a7f37", "developing": "#9a6700", "emerging": "#cf222e"}


def escape(value: Any) -> str:
    """``value`` as HTML text (quotes escaped too)."""
    return html.escape(str(value), quote=True)


def facts_table(title: str, rows: Sequence[tuple[str, str]]) -> str:
    """A two-column table: each row's label and its value (both escaped here).

    >>> table = facts_table("Study <1>", [("Members", "71")])
    >>> "Study &lt;1&gt;</caption>" in table, "<script" in facts_table("<script>", [])
    (True, False)
    """
    body = "".join(f'<tr><th scope="row" style="{_HEAD}">{escape(label)}</th>'
                   f'<td style="{_CELL}">{escape(value)}</td></tr>'
                   for label, value in rows)
    return (f'<table class="cpower-facts" style="{_TABLE}">'
            f'<caption style="{_CAPTION}">{escape(title)}</caption>'
            f"<tbody>{body}</tbody></table>")


def band_table(title: str, header: Sequence[str],
               rows: Sequence[tuple[str, str | Sequence[str], str]]) -> str:
    """A table of indicator bands: ``(indicator, band, score)`` per row (escaped here).

    A band is coloured by its name (Strong, Developing, Emerging); a list of bands (one
    per wave) is shown joined by arrows, each coloured.

    >>> band_table("Bands", ("Indicator", "Band", "Score"),
    ...            [("Cohesion", ["Developing", "Strong"], "60 → 84")]).count("<tr>")
    2
    """
    head = "".join(f'<th scope="col" style="{_HEAD}{"" if i < 2 else ";text-align:right"}">'
                   f"{escape(h)}</th>" for i, h in enumerate(header))
    body = ""
    for label, bands, score in rows:
        shown = " → ".join(_band(b) for b in ([bands] if isinstance(bands, str) else bands))
        body += (f'<tr><td style="{_CELL}">{escape(label)}</td>'
                 f'<td style="{_CELL}">{shown}</td>'
                 f'<td style="{_NUMBER}">{escape(score)}</td></tr>')
    return (f'<table class="cpower-indicators" style="{_TABLE}">'
            f'<caption style="{_CAPTION}">{escape(title)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _band(band: str) -> str:
    """One band as HTML: coloured and bold when it is a known band, escaped."""
    colour = _BAND_COLOURS.get(str(band).lower())
    if not colour:
        return escape(band)
    return f'<span style="color:{colour};font-weight:600">{escape(band)}</span>'


def sentence_list(title: str, sentences: Sequence[str]) -> str:
    """A titled numbered list of sentences (escaped here); empty when there are none."""
    if not sentences:
        return ""
    items = "".join(f'<li style="margin:0 0 .3em 0">{escape(s)}</li>' for s in sentences)
    return (f'<div style="{_CAPTION}">{escape(title)}</div>'
            f'<ol class="cpower-findings" style="margin:0 0 .4em 1.4em;padding:0;'
            f'font-size:13px;max-width:52em">{items}</ol>')


def summary_block(*parts: str) -> str:
    """The parts in one ``<div>``: no script, no external resource, inline style only."""
    return ('<div class="cpower-summary" style="font-family:system-ui,-apple-system,'
            f'\'Segoe UI\',sans-serif;max-width:56em">{"".join(parts)}</div>')


def wave_heading(key: str, label: str) -> str:
    """A wave as a summary table heads it: its label when that holds the key, else both
    (not :func:`~cpower_network.common.wording.wave_name`, which words a wave in a
    sentence).

    >>> wave_heading("2025", "2025 (Google Forms)"), wave_heading("w1", "Spring")
    ('2025 (Google Forms)', 'w1 (Spring)')
    >>> wave_heading("w1", "w1")
    'w1'
    """
    return label if key in label else f"{key} ({label})"


def score_text(score: float | None) -> str:
    """An indicator's score as a table shows it: ``69``, "–" when not scored."""
    return "–" if score is None or score != score else f"{score:.0f}"
