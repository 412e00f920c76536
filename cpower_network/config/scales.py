"""Answer scales: the labels a survey shows, the numbers they stand for, and the codes an
export may write instead of the labels.

A cell is read in this order:

1. a **label** of the scale (ignoring case and extra spaces) gives its value;
2. a **declared code** (``codes = { 1 = "Never", … }``) gives the value of its label;
3. a **bare number** is read as a value on a scale whose labels are numbers
   themselves (``{ "1" = 1, … "5" = 5 }``), or whose labels are numbered 1…n in order
   (Strongly disagree = 1 … Strongly agree = 5), where a platform's choice code and the
   scale's number mean the same label. On another labelled scale (Never = 0…) a bare
   number is *not* read: it may be the platform's choice code (Qualtrics' "numeric
   values" download codes Never = 1 … Weekly = 4, one step above Never = 0 … Weekly = 3),
   so the reader reports it as a ``numeric-codes`` problem instead of guessing.

The built-in ``tie`` scale reads a tick (``1``, ``x``, ``yes``, ``TRUE``) as a tie and
``0``/``no``/``FALSE`` as "no tie"; the built-in ``yesno`` scale reads yes/no words and
``1``/``0``. Either may be given codes (``yesno = { codes = { 1 = "yes", 2 = "no" } }``
for a Qualtrics numeric export, where Yes = 1 and No = 2).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from . import reference
from .schema import LARGEST, TableReader, closest, range_text

BUILTIN_SCALES = ("tie", "yesno")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def normalise_label(text: str) -> str:
    """Case- and whitespace-insensitive key for scale labels and codes.

    >>> normalise_label("  A few  TIMES a year ")
    'a few times a year'
    """
    return " ".join(str(text).split()).casefold()


def code_key(text: str) -> str:
    """The key a code is looked up by: ``"1"``, ``"1.0"`` and ``" 01 "`` are all ``"1"``.

    >>> code_key("1.0"), code_key(" 02 "), code_key("Weekly")
    ('1', '2', 'weekly')
    """
    folded = normalise_label(text)
    number = as_number(folded)
    if number is not None and number.is_integer():
        return str(int(number))
    return folded


def as_number(text: str) -> float | None:
    """The number a cell holds (``"3"``, ``"2.5"``), else ``None``.

    A decimal comma (``"2,5"``) is not a number here: it is reported, never guessed.

    >>> as_number(" 3 "), as_number("2.5"), as_number("2,5"), as_number("Weekly")
    (3.0, 2.5, None, None)
    """
    text = str(text).strip()
    if not _NUMBER.match(text) or "," in text:
        return None
    return float(text)


@dataclass(frozen=True)
class Reading:
    """How one cell reads on a scale.

    ``status`` is ``"label"``, ``"code"`` or ``"number"`` when ``value`` was found, else
    ``"numeric-code"`` (a bare number on a labelled scale without declared codes),
    ``"decimal-comma"`` or ``"off-scale"``.
    """

    value: float | None
    status: str


@dataclass(frozen=True)
class Scale:
    """An answer scale: labels mapped to numbers, and optional export codes.

    Parameters
    ----------
    name : str
        The scale's name under ``[scales]``.
    labels : mapping of str to float
        Answer labels as the survey shows them, with their numbers.
    codes : mapping of str to str
        Codes an export may write instead of a label (``"1"`` -> ``"Never"``), keys as
        :func:`code_key` gives them.
    """

    name: str
    labels: Mapping[str, float]
    codes: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def values(self) -> tuple[float, ...]:
        return tuple(sorted(set(self.labels.values())))

    @cached_property
    def labelled(self) -> bool:
        """True when some label is a word (so a bare number is not one of its labels)."""
        return any(as_number(label) is None for label in self.labels)

    @property
    def word_labels(self) -> list[str]:
        """Labels that are words, in the order declared (each value once)."""
        seen: set[float] = set()
        words = []
        for label, value in self.labels.items():
            if as_number(label) is None and value not in seen and len(label) > 1:
                seen.add(value)
                words.append(label)
        return words

    @cached_property
    def codes_are_values(self) -> bool:
        """True when the labels' values are 1…n in label order, as platforms number
        choices: a bare number then means the same label read either way."""
        values = [self.labels[label] for label in self.word_labels]
        return values == list(range(1, len(values) + 1))

    def describe(self) -> str:
        text = ", ".join(f"{label!r}={number_text(value)}" for label, value in self.labels.items())
        if self.codes:
            text += "; codes " + ", ".join(f"{code}={label!r}"
                                           for code, label in self.codes.items())
        return text

    def read(self, cell: str) -> Reading:
        """Read one cell (see the module docstring for the order)."""
        label = self._label_value(cell)
        if label is not None:
            return Reading(label, "label")
        if self.codes:
            target = self.codes.get(code_key(cell))
            if target is not None:
                return Reading(self._label_value(target), "code")
        number = as_number(cell)
        if number is None:
            comma = as_number(cell.replace(",", ".")) is not None
            return Reading(None, "decimal-comma" if comma else "off-scale")
        if self.labelled and not self.codes_are_values:
            return Reading(None, "off-scale" if self.codes else "numeric-code")
        return Reading(number, "number") if number in self.values else \
            Reading(None, "off-scale")

    def value_of(self, cell: str) -> float | None:
        """The number for ``cell``, or ``None`` when the cell does not read on this scale."""
        return self.read(cell).value

    def _label_value(self, cell: str) -> float | None:
        """The value of the label ``cell`` is (a numeric label matches its number: the
        label "1" matches "1.0"); the first such label in declared order."""
        by_text, by_number = self._label_index
        number = as_number(cell)
        hits = [hit for hit in (by_text.get(normalise_label(cell)),
                                None if number is None else by_number.get(number)) if hit]
        return min(hits)[1] if hits else None

    @cached_property
    def _label_index(self) -> tuple[dict[str, tuple[int, float]],
                                    dict[float, tuple[int, float]]]:
        """The labels folded once, for :meth:`_label_value`: folded label -> (position,
        value), and number -> (position, value) for numeric labels (first one wins)."""
        by_text: dict[str, tuple[int, float]] = {}
        by_number: dict[float, tuple[int, float]] = {}
        for position, (label, value) in enumerate(self.labels.items()):
            by_text.setdefault(normalise_label(label), (position, float(value)))
            number = as_number(label)
            if number is not None:
                by_number.setdefault(number, (position, float(value)))
        return by_text, by_number

    def with_codes(self, codes: Mapping[str, str]) -> Scale:
        return Scale(self.name, self.labels, {code_key(k): v for k, v in codes.items()})


def number_text(value: float) -> str:
    """``2`` for 2.0, ``2.5`` for 2.5.

    >>> number_text(2.0), number_text(2.5)
    ('2', '2.5')
    """
    return str(int(value)) if float(value).is_integer() else str(value)


YES_NO = Scale("yesno", {"yes": 1, "no": 0, "y": 1, "n": 0, "true": 1, "false": 0, "x": 1,
                         "✓": 1, "1": 1, "0": 0})
TIE = Scale("tie", {"1": 1, "0": 0, "yes": 1, "no": 0, "true": 1, "false": 0, "x": 1,
                    "✓": 1, "y": 1, "n": 0})


def read_scales(table: Mapping[str, Any], problems: list[str], *,
                broken: set[str] | None = None) -> dict[str, Scale]:
    """Parse ``[scales]``.

    Each scale is either ``name = { "Label" = number, … }`` or
    ``name = { labels = { "Label" = number, … }, codes = { 1 = "Label", … } }``; the
    built-in ``tie`` and ``yesno`` scales may be given ``codes`` only. The names of
    scales with a problem are added to ``broken`` (when given), so that checks of what
    uses them can be skipped rather than repeat the problem in other words.
    """
    scales: dict[str, Scale] = {}
    for name, spec in table.items():
        before = len(problems)
        where = f"[scales] {name}"
        if not isinstance(spec, Mapping) or not spec:
            problems.append(f"{where} must map answer labels to numbers, e.g. "
                            '{ "Never" = 0, "Monthly" = 2 }')
            continue
        structured = isinstance(spec.get("labels"), Mapping) or (
            name in BUILTIN_SCALES and "codes" in spec)
        if name in BUILTIN_SCALES and not (structured and "labels" not in spec):
            problems.append(f"{where}: 'tie' and 'yesno' are built in; give them only codes, "
                            f'e.g. {name} = {{ codes = {{ 1 = "yes", 2 = "no" }} }}, or '
                            "choose another name")
            continue
        base = (TIE if name == "tie" else YES_NO) if name in BUILTIN_SCALES else None
        scale = _structured_scale(name, spec, base, where, problems) if structured else \
            _label_scale(name, spec, where, problems)
        if scale is not None:
            scales[name] = scale
        if broken is not None and len(problems) > before:
            broken.add(name)
    return scales


def _label_scale(name: str, labels: Mapping[str, Any], where: str,
                 problems: list[str]) -> Scale:
    """The scale of ``labels``; a problem for each label whose number is not a finite
    number within ±:data:`~cpower_network.config.schema.LARGEST` (the scale is kept
    with its other labels, so that what names it is not reported missing too)."""
    if not labels:
        problems.append(f"{where} has no labels: map each answer label to its number, "
                        'e.g. { "Never" = 0, "Monthly" = 1, "Weekly" = 2 }')
    bad = [k for k, v in labels.items() if isinstance(v, bool) or
           not isinstance(v, (int, float))]
    if bad:
        hint = " (to declare codes, write labels = { … } and codes = { … })" \
            if "codes" in labels else ""
        problems.append(f"{where}: labels {bad} must map to numbers{hint}")
    wild = {k: v for k, v in labels.items() if k not in bad
            and not (math.isfinite(v) and abs(v) <= LARGEST)}
    if wild:
        shown = ", ".join(f"{_quote(k)} = {_toml_number(v)}" for k, v in wild.items())
        problems.append(f"{where}: {shown}: each label's number must be "
                        f"{range_text(-LARGEST, None, LARGEST)} (an answer's value on "
                        "the scale; nan, inf or a number this large would break every "
                        "sum and mean of the answers). Fix: number the labels in order, "
                        'e.g. { "Never" = 0, "Sometimes" = 1, "Often" = 2 }')
    return Scale(name, {k: v for k, v in labels.items() if k not in bad and k not in wild})


def _toml_number(value: float) -> str:
    """A number as TOML writes it: ``nan``, ``inf``, ``-inf``, ``1e+308``, ``3``."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(value)


def _structured_scale(name: str, spec: Mapping[str, Any], base: Scale | None, where: str,
                      problems: list[str]) -> Scale | None:
    TableReader(spec, where, problems).check_keys(reference.keys("scales"))
    scale = base or _label_scale(name, spec["labels"], f"{where} labels", problems)
    codes = spec.get("codes", {})
    if scale is None:
        return None
    if not isinstance(codes, Mapping):
        problems.append(f'{where} codes must map codes to labels, e.g. {{ 1 = "Never" }}')
        return scale
    known = {normalise_label(label): label for label in scale.labels}
    for code, label in codes.items():
        if not isinstance(label, str) or normalise_label(label) not in known:
            hint = closest(str(label), scale.labels)
            problems.append(f"{where} code {code} = {label!r} is not one of the scale's "
                            f"labels ({', '.join(map(repr, scale.labels))})"
                            + (f"; did you mean {hint!r}?" if hint else ""))
    return scale.with_codes({str(k): v for k, v in codes.items() if isinstance(v, str)})


def codes_suggestion(scale: Scale, seen: list[float]) -> dict[int, str] | None:
    """The codes a numeric export most likely used, or ``None`` when none fits.

    Codes counted from 1 in the labels' declared order (Qualtrics' numeric values: Yes = 1,
    No = 2) when every code seen lies in 1…n; counted from 0 when they lie in 0…n-1.

    >>> s = Scale("f", {"Never": 0, "Monthly": 1, "Weekly": 2})
    >>> codes_suggestion(s, [1.0, 3.0])
    {1: 'Never', 2: 'Monthly', 3: 'Weekly'}
    >>> codes_suggestion(s, [0.0, 2.0])
    {0: 'Never', 1: 'Monthly', 2: 'Weekly'}
    """
    words = scale.word_labels  # in the order declared: the order the survey shows them
    if not words or not seen or any(not float(v).is_integer() for v in seen):
        return None
    low, high = min(seen), max(seen)
    if low >= 1 and high <= len(words):
        return {i + 1: label for i, label in enumerate(words)}
    if low >= 0 and high <= len(words) - 1:
        return {i: label for i, label in enumerate(words)}
    return None


def toml_line(scale: Scale, codes: Mapping[int, str]) -> str:
    """The ``[scales]`` line declaring ``codes``: valid TOML, ready to paste.

    >>> toml_line(Scale("f", {"Never": 0, "Weekly": 1}), {1: "Never", 2: "Weekly"})
    'f = { labels = { "Never" = 0, "Weekly" = 1 }, codes = { 1 = "Never", 2 = "Weekly" } }'
    """
    code_text = ", ".join(f"{_key(str(code))} = {_quote(label)}"
                          for code, label in codes.items())
    if scale.name in BUILTIN_SCALES:
        return f"{scale.name} = {{ codes = {{ {code_text} }} }}"
    labels = ", ".join(f"{_quote(label)} = {number_text(value)}"
                       for label, value in scale.labels.items())
    return f"{scale.name} = {{ labels = {{ {labels} }}, codes = {{ {code_text} }} }}"


def _key(text: str) -> str:
    """A TOML key: bare when it can be (``1``, ``a_few``), quoted otherwise."""
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else _quote(text)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def choice_name_of(scale: Scale, cell: str) -> str | None:
    """The label ``cell`` looks like the platform's *choice name* of (KoboToolbox writes
    ``a_few_times_a_year`` for "A few times a year"), or ``None``. Only a hint for the
    message: such a cell is never read as that label without declared codes.

    >>> choice_name_of(Scale("f", {"A few times a year": 1}), "a_few_times_a_year")
    'A few times a year'
    """
    def squash(text: str) -> str:
        return re.sub(r"[\W_]+", "", normalise_label(text))

    wanted = squash(cell)
    if not wanted:
        return None
    return next((label for label in scale.labels if squash(label) == wanted), None)
