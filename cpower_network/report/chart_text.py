"""Chart text laid out on the server, so that no label is clipped or drawn over another.

Widths are estimated with the advance widths of DejaVu Sans (:func:`text_width`; the
``system-ui`` font of Linux, and wider than the ``system-ui`` fonts of macOS and Windows,
so elsewhere labels only get more room), long labels are wrapped (:func:`wrap`), direct
labels are moved apart (:func:`spread`), and a value axis gets round ticks
(:func:`nice_ticks`) and their labels (:func:`tick_text`). The charts that use them are
in :mod:`.charts`.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

#: DejaVu Sans: how far a glyph box reaches above and below the baseline (share of size).
ASCENT, DESCENT = 0.93, 0.24

#: Advance widths of DejaVu Sans for the characters " " (32) to "~" (126), 1/1000 em.
_ASCII_WIDTHS = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,
    1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
)
_OTHER_WIDTHS = {"–": 500, "—": 1000, "…": 1000, "·": 318, "→": 838, "←": 838, "’": 318,
                 "‘": 318, "“": 518, "”": 518, "−": 838, "×": 838, "≈": 838, "≥": 838,
                 "≤": 838, "\u00a0": 318}


def _char_width(char: str) -> int:
    """A character's advance width in 1/1000 em (DejaVu Sans, or a generous guess)."""
    code = ord(char)
    if 32 <= code < 127:
        return _ASCII_WIDTHS[code - 32]
    if char in _OTHER_WIDTHS:
        return _OTHER_WIDTHS[char]
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf") or 0xFE00 <= code <= 0xFE0F \
            or 0x1F3FB <= code <= 0x1F3FF:
        return 0                              # accents, joiners, selectors, skin tones
    base = unicodedata.normalize("NFD", char)[0]
    if base != char:
        return _char_width(base)              # é as e
    if unicodedata.east_asian_width(char) in ("W", "F") or category == "So":
        return 1250                           # ideographs, emoji
    return 700


def text_width(label: str, size: float) -> float:
    """How wide ``label`` is at font ``size``, in the same units (DejaVu Sans metrics).

    >>> text_width("abcde", 12)
    36.6
    >>> text_width("José", 10) == text_width("Jose", 10)
    True
    """
    return round(sum(_char_width(c) for c in str(label)) * size / 1000, 1)


def wrap(label: str, size: float, room: float) -> list[str]:
    """``label`` broken at spaces into lines no wider than ``room`` (a word wider than
    ``room`` keeps a line of its own).

    >>> wrap("Parents with lived experience", 12, 80)
    ['Parents with', 'lived', 'experience']
    >>> wrap("Funders", 12, 10)
    ['Funders']
    """
    lines: list[str] = []
    for word in str(label).split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def spread(wanted: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Positions as near ``wanted`` as can be, at least ``gap`` apart and within
    ``low`` … ``high`` (when they fit): where to put direct labels so that none
    overlaps another. Labels that would collide move apart around their mean.

    >>> spread([50, 52, 10], 10, 0, 100)
    [46.0, 56.0, 10.0]
    >>> spread([98, 99], 10, 0, 100)
    [90.0, 100.0]
    """
    order = sorted(range(len(wanted)), key=lambda k: (wanted[k], k))
    clusters: list[tuple[float, list[int]]] = []           # (first position, members)
    for k in order:
        clusters.append((float(wanted[k]), [k]))
        while True:
            start, members = clusters[-1]
            room = gap * (len(members) - 1)
            start = max(low, min(start, high - room)) if high - low >= room else low
            clusters[-1] = (start, members)
            if len(clusters) < 2:
                break
            before, previous = clusters[-2]
            if before + gap * len(previous) <= start:
                break
            merged = previous + members
            mean = sum(wanted[m] for m in merged) / len(merged)
            clusters[-2:] = [(mean - gap * (len(merged) - 1) / 2, merged)]
    placed = [0.0] * len(wanted)
    for start, members in clusters:
        for i, k in enumerate(members):
            placed[k] = round(float(start + i * gap), 1)
    return placed


def nice_ticks(high: float, *, intervals: int = 5) -> list[float]:
    """Ticks of a value axis from 0 to at least ``high``: about ``intervals`` steps of
    1, 2, 2.5 or 5 times a power of ten.

    >>> nice_ticks(1.0)
    [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    >>> nice_ticks(0.99)
    [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    >>> nice_ticks(0.65, intervals=4)
    [0.0, 0.2, 0.4, 0.6, 0.8]
    """
    high = high if high > 0 else 1.0
    raw = high / intervals
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))
    count = math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def tick_text(value: float, step: float, value_format: str) -> str:
    """A tick's label: a percentage when ``value_format`` is one, else as many
    decimals as the step needs.

    >>> [tick_text(v, 0.25, "{:.2f}") for v in (0, 0.5, 1.25)]
    ['0', '0.50', '1.25']
    >>> tick_text(0.4, 0.2, "{:.0%}")
    '40%'
    """
    percent = "%" in value_format
    shown = step * 100 if percent else step
    digits = next((d for d in range(4) if abs(round(shown, d) - shown) < 1e-9), 4)
    if value == 0:
        return "0%" if percent else "0"
    return f"{value * 100:.{digits}f}%" if percent else f"{value:.{digits}f}"
