"""Inline SVG charts: offline, printable, and every label escaped.

Each function returns SVG markup as :class:`markupsafe.Markup`; every piece of text in
it (silo names, group labels) passes through :func:`markupsafe.escape` first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

SERIES_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
FONT = 'font-family="system-ui, sans-serif"'
#: Width of a character as a share of the font size (a sans-serif average).
CHAR_WIDTH = 0.5


def text_width(label: str, size: float) -> float:
    """About how wide ``label`` is in pixels at font ``size`` (for room, not layout).

    >>> text_width("abcde", 12)
    30.0
    """
    return round(len(label) * size * CHAR_WIDTH, 1)


def _n(value: float) -> str:
    """Coordinates with one decimal, for stable bytes."""
    return f"{value:.1f}"


def _finite(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def grouped_bars(categories: Sequence[str], series: dict[str, Sequence[float | None]], *,
                 reference: float | None = None, reference_label: str = "",
                 title: str, value_format: str = "{:.2f}", maximum: float | None = None,
                 width: int = 640) -> Markup:
    """Horizontal grouped bars: one row per category, one bar per series.

    Missing values (None/NaN) draw no bar and are labelled "n/a". A dashed line marks
    ``reference`` (e.g. parity 1.0).

    >>> svg = grouped_bars(["Ties <received>"], {"LE": [0.5]}, reference=1.0, title="t")
    >>> "&lt;received&gt;" in svg and "<received>" not in svg
    True
    """
    names = list(series)
    bar, gap, right = 14, 10, 70
    # room for the longest category (a flagged group label is long), within reason
    label_width = int(min(320, max([190.0, *(text_width(c, 12) + 16 for c in categories)])))
    width = max(width, label_width + 380)
    row = bar * len(names) + gap
    legend = 22 if len(names) > 1 else 0
    height = legend + row * len(categories) + 30
    values = [v for vs in series.values() for v in vs if _finite(v)]
    top = maximum or max([*values, reference or 0, 1e-9]) * 1.1
    plot = width - label_width - right
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {width} {height}" width="100%" {FONT} font-size="12">',
             f"<title>{escape(title)}</title>"]
    x = label_width
    for i, name in enumerate(names):
        if i:  # the next legend entry after the previous one's text
            x += max(150, int(text_width(names[i - 1], 12)) + 30)
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" '
                     f'fill="{SERIES_COLOURS[i % len(SERIES_COLOURS)]}"/>'
                     f'<text x="{x + 16}" y="14">{escape(name)}</text>')
    for c, category in enumerate(categories):
        y0 = legend + c * row
        parts.append(f'<text x="{label_width - 8}" y="{_n(y0 + row / 2)}" text-anchor="end" '
                     f'dominant-baseline="middle">{escape(category)}</text>')
        for s, name in enumerate(names):
            value = series[name][c]
            y = y0 + s * bar
            colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
            if not _finite(value):
                parts.append(f'<text x="{label_width + 4}" y="{_n(y + bar - 3)}" '
                             f'fill="#666">n/a</text>')
                continue
            length = max(0.0, min(value, top)) / top * plot
            text = value_format.format(value)
            parts.append(f'<rect x="{label_width}" y="{_n(y + 1)}" width="{_n(length)}" '
                         f'height="{bar - 2}" fill="{colour}"><title>{escape(name)}, '
                         f'{escape(category)}: {escape(text)}</title></rect>'
                         f'<text x="{_n(label_width + length + 4)}" y="{_n(y + bar - 3)}">'
                         f'{escape(text)}</text>')
    if reference is not None and reference <= top:
        x = label_width + reference / top * plot
        bottom = legend + row * len(categories)
        parts.append(f'<line x1="{_n(x)}" x2="{_n(x)}" y1="{legend}" y2="{_n(bottom)}" '
                     f'stroke="#222" stroke-dasharray="4 3"/>'
                     f'<text x="{_n(x)}" y="{_n(bottom + 14)}" text-anchor="middle">'
                     f'{escape(reference_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def heatmap(rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float]],
            *, title: str, value_format: str = "{:.0%}", width: int = 640,
            directed: bool = True) -> Markup:
    """A heat map (darker = higher), rows as senders and columns as receivers.

    With ``directed=False`` (an undirected relation, whose matrix is symmetric) a cell's
    tooltip reads "row – column" instead of "row → column".

    >>> svg = heatmap(["a"], ["b"], [[0.5]], title="mixing")
    >>> "50%" in svg
    True
    >>> "a – b" in heatmap(["a"], ["b"], [[0.5]], title="mixing", directed=False)
    True
    """
    arrow = "→" if directed else "–"
    longest = max([0.0, *(text_width(str(c), 11) for c in (*rows, *columns))])
    label_width = int(min(320, max(170.0, longest + 8)))
    header = int(min(220, max(110.0, longest * 0.6 + 8)))  # rotated −40°: sin 40° ≈ 0.64
    cell = max(28.0, min(70.0, (width - label_width) / max(len(columns), 1)))
    height = header + cell * len(rows) + 10
    finite = [v for r in values for v in r if _finite(v)]
    top = max(finite) if finite and max(finite) > 0 else 1.0
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {_n(label_width + cell * len(columns) + 10)} {_n(height)}" '
             f'width="100%" {FONT} font-size="11">', f"<title>{escape(title)}</title>"]
    for j, column in enumerate(columns):
        x = label_width + j * cell + cell / 2
        parts.append(f'<text transform="translate({_n(x)},{header - 6}) rotate(-40)">'
                     f"{escape(column)}</text>")
    for i, row in enumerate(rows):
        y = header + i * cell
        parts.append(f'<text x="{label_width - 6}" y="{_n(y + cell / 2)}" text-anchor="end" '
                     f'dominant-baseline="middle">{escape(row)}</text>')
        for j, column in enumerate(columns):
            value = values[i][j]
            x = label_width + j * cell
            shade = value / top if _finite(value) else 0.0
            fill = _blend(shade) if _finite(value) else "#eeeeee"
            text = value_format.format(value) if _finite(value) else "–"
            ink = "#fff" if shade > 0.55 else "#222"
            parts.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(cell - 2)}" '
                         f'height="{_n(cell - 2)}" fill="{fill}"><title>{escape(row)} {arrow} '
                         f'{escape(column)}: {escape(text)}</title></rect>'
                         f'<text x="{_n(x + cell / 2 - 1)}" y="{_n(y + cell / 2)}" '
                         f'text-anchor="middle" dominant-baseline="middle" fill="{ink}">'
                         f"{escape(text)}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _blend(share: float) -> str:
    """White → deep blue."""
    low, high = (247, 251, 255), (8, 48, 107)
    rgb = [round(a + (b - a) * max(0.0, min(1.0, share))) for a, b in zip(low, high,
                                                                          strict=True)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


def lines(x_labels: Sequence[str], series: dict[str, Sequence[float | None]], *, title: str,
          reference: float | None = None, value_format: str = "{:.2f}",
          width: int = 640, height: int = 260) -> Markup:
    """A line chart across waves: one line per series, a point per wave.

    >>> "polyline" in lines(["2024", "2025", "2026"], {"LE": [0.4, 0.7, 0.9]}, title="t")
    True
    """
    left, right, top_pad, bottom = 50, 140, 16, 36
    values = [v for vs in series.values() for v in vs if _finite(v)]
    high = max([*values, reference or 0, 1e-9]) * 1.15
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    step = plot_w / max(len(x_labels) - 1, 1)

    def point(i: int, v: float) -> tuple[float, float]:
        return left + i * step, top_pad + plot_h * (1 - v / high)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {width} {height}" width="100%" {FONT} font-size="12">',
             f"<title>{escape(title)}</title>",
             f'<line x1="{left}" x2="{left}" y1="{top_pad}" y2="{top_pad + plot_h}" '
             f'stroke="#999"/><line x1="{left}" x2="{left + plot_w}" y1="{top_pad + plot_h}" '
             f'y2="{top_pad + plot_h}" stroke="#999"/>']
    for i, label in enumerate(x_labels):
        parts.append(f'<text x="{_n(left + i * step)}" y="{height - 12}" '
                     f'text-anchor="middle">{escape(label)}</text>')
    if reference is not None:
        y = point(0, reference)[1]
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{_n(y)}" y2="{_n(y)}" '
                     f'stroke="#222" stroke-dasharray="4 3"/><text x="{left - 4}" '
                     f'y="{_n(y)}" text-anchor="end" dominant-baseline="middle">'
                     f"{escape(value_format.format(reference))}</text>")
    for s, (name, vs) in enumerate(series.items()):
        colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
        points = [point(i, v) for i, v in enumerate(vs) if _finite(v)]
        if len(points) > 1:
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" '
                         f'points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in points)}"/>')
        for i, v in enumerate(vs):
            if _finite(v):
                x, y = point(i, v)
                parts.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{colour}">'
                             f"<title>{escape(name)}, {escape(x_labels[i])}: "
                             f"{escape(value_format.format(v))}</title></circle>")
        if points:
            x, y = points[-1]
            parts.append(f'<text x="{_n(x + 8)}" y="{_n(y)}" dominant-baseline="middle" '
                         f'fill="{colour}">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
