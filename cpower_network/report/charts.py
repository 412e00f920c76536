"""Inline SVG charts: offline, printable, readable from the back of a room, and every
label escaped.

Each function returns SVG markup as :class:`markupsafe.Markup`; every piece of text in
it (silo names, group labels) passes through :func:`markupsafe.escape` first.

Text is laid out here, on the server, so that no label is clipped or drawn over another:
widths are estimated with the advance widths of DejaVu Sans
(:func:`~.chart_text.text_width`; the ``system-ui`` font of Linux, and wider than the
``system-ui`` fonts of macOS and Windows, so elsewhere labels only get more room), long
labels are wrapped (:func:`~.chart_text.wrap`), margins are as wide as the labels they
hold, and the direct labels of a line chart are moved apart (:func:`~.chart_text.spread`)
with leader lines to their points.

Every chart has a value axis with ticks (bars, lines) or a colour key (heat map), and a
legend wherever colours carry meaning. Its ``viewBox`` is in user units of about a
pixel; ``style="--chart-width: W"`` lets the report's stylesheet draw it ``W / 14`` rem
wide, so that its 12–13 unit text reads at the page's own type size (larger in the
retreat view's large type) and never wider than the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

from .chart_text import ASCENT, DESCENT, nice_ticks, spread, text_width, tick_text, wrap

#: Okabe–Ito colours (told apart with colour blindness), then two of Paul Tol's.
SERIES_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                  "#882255", "#999933"]
FONT_FAMILY = "system-ui, sans-serif"
#: Font size of chart text (user units); heat-map cells use :data:`SMALL`.
SIZE = 13
SMALL = 12
#: Height of a line of text, as a multiple of the font size.
LEADING = 1.25
GRID, AXIS, INK, MUTED = "#e4e7eb", "#7b8794", "#1f2933", "#52606d"


def _n(value: float) -> str:
    """Coordinates with one decimal, for stable bytes."""
    return f"{value:.1f}"


def _finite(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _baseline(centre: float, size: float) -> float:
    """The baseline that centres a line of text of ``size`` on ``centre``."""
    return centre + (ASCENT - DESCENT) / 2 * size


def _open(width: float, height: float, title: str, size: float) -> str:
    w, h = math.ceil(width), math.ceil(height)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            f'viewBox="0 0 {w} {h}" width="{w}" height="{h}" style="--chart-width: {w}" '
            f'font-family="{FONT_FAMILY}" font-size="{size}">'
            f"<title>{escape(title)}</title>")


def _text(x: float, y: float, label: str, *, anchor: str = "start", fill: str = "",
          extra: str = "") -> str:
    """A one-line ``<text>`` with its baseline at ``y``."""
    attributes = f'x="{_n(x)}" y="{_n(y)}"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if fill:
        attributes += f' fill="{fill}"'
    return f"<text {attributes}{extra}>{escape(label)}</text>"


def _lines_text(x: float, first: float, lines: Sequence[str], size: float, *,
                anchor: str = "start") -> str:
    """A ``<text>`` of several lines (tspans) from the baseline ``first`` down; one line
    is plain text, so the label reads as one string in the markup."""
    if len(lines) == 1:
        return _text(x, first, lines[0], anchor=anchor)
    spans = "".join(f'<tspan x="{_n(x)}" dy="{"0" if i == 0 else _n(size * LEADING)}">'
                    f"{escape(line)}</tspan>" for i, line in enumerate(lines))
    anchor_attr = f' text-anchor="{anchor}"' if anchor != "start" else ""
    return f'<text x="{_n(x)}" y="{_n(first)}"{anchor_attr}>{spans}</text>'


def _legend(entries: Sequence[tuple[str, str]], x0: float, y0: float, right: float,
            size: float) -> tuple[list[str], float]:
    """Legend entries ``(swatch markup key, label)`` laid out in rows from ``(x0, y0)``,
    wrapping before ``right``: the markup and the height used. A key is a colour, or
    ``"dashed"`` for the reference line."""
    parts: list[str] = []
    row = size * LEADING + 6
    x, y = x0, y0
    for key, label in entries:
        room = 22 + text_width(label, size)
        if x > x0 and x + room > right:
            x, y = x0, y + row
        centre = y + row / 2
        if key == "dashed":
            parts.append(f'<line x1="{_n(x)}" x2="{_n(x + 16)}" y1="{_n(centre)}" '
                         f'y2="{_n(centre)}" stroke="{INK}" stroke-width="1.5" '
                         f'stroke-dasharray="4 3"/>')
        else:
            parts.append(f'<rect x="{_n(x)}" y="{_n(centre - 6)}" width="14" height="12" '
                         f'fill="{key}"/>')
        parts.append(_text(x + 21, _baseline(centre, size), label))
        x += room + 18
    return parts, (y - y0 + row) if entries else 0.0


def grouped_bars(categories: Sequence[str], series: dict[str, Sequence[float | None]], *,
                 reference: float | None = None, reference_label: str = "",
                 title: str, value_format: str = "{:.2f}", maximum: float | None = None,
                 axis_label: str = "", width: int = 640) -> Markup:
    """Horizontal grouped bars: one row per category, one bar per series, a value axis
    with ticks below, a legend of the series (and of the reference line) above.

    Missing values (None/NaN) draw no bar and are labelled "n/a". A dashed line marks
    ``reference`` (e.g. parity 1.0); a bar's value label never sits on it (a label that
    would is moved past the line).

    >>> svg = grouped_bars(["Ties <received>"], {"LE": [0.5]}, reference=1.0, title="t")
    >>> "&lt;received&gt;" in svg and "<received>" not in svg
    True
    """
    size = SIZE
    names = list(series)
    bar, pitch, gap = 16, 19, 14                # bar thickness, bar to bar, group to group
    line = size * LEADING
    heads = [wrap(c, size, 240) for c in categories]
    label_width = max([110.0, *(text_width(t, size) for h in heads for t in h)]) + 14
    texts = {(name, c): value_format.format(v) if _finite(v) else "n/a"
             for name in names for c, v in enumerate(series[name])}
    values = [v for vs in series.values() for v in vs if _finite(v)]
    ticks = nice_ticks(maximum or max([*values, reference or 0.0, 1e-9]))
    top = ticks[-1]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else top
    labels = [tick_text(t, step, value_format) for t in ticks]
    value_room = max([text_width(t, size) for t in texts.values()] or [0.0]) + 10
    plot = max(float(width) - label_width - value_room, 260.0)
    right = max(value_room, text_width(labels[-1], size) / 2 + 4)
    if reference is not None and reference <= top:
        # a label moved past the reference line needs room after it
        right = max(right, value_room - plot * (1 - reference / top))
    full = label_width + plot + right

    def x_of(value: float) -> float:
        return label_width + max(0.0, min(value, top)) / top * plot

    entries = [(SERIES_COLOURS[i % len(SERIES_COLOURS)], name)
               for i, name in enumerate(names)]   # one series too: it names the group
    if reference is not None and reference_label:
        entries.append(("dashed", reference_label))
    legend, legend_height = _legend(entries, label_width, 2, full, size)
    parts = [_open(full, 0, title, size), *legend]   # height patched in below
    first = legend_height + 8
    blocks = []
    y = first
    for head in heads:
        height = max(pitch * len(names) - (pitch - bar), line * len(head))
        blocks.append((y, height))
        y += height + gap
    axis = y - gap + 8
    for t in ticks:                                            # grid and ticks
        x = x_of(t)
        parts.append(f'<line x1="{_n(x)}" x2="{_n(x)}" y1="{_n(first - 4)}" '
                     f'y2="{_n(axis + 5)}" stroke="{GRID if t else AXIS}"/>')
    for c, ((y0, height), head) in enumerate(zip(blocks, heads, strict=True)):
        centre = y0 + height / 2
        parts.append(_lines_text(label_width - 10,
                                 _baseline(centre - line * (len(head) - 1) / 2, size),
                                 head, size, anchor="end"))
        bars_top = centre - (pitch * len(names) - (pitch - bar)) / 2
        for s, name in enumerate(names):
            value = series[name][c]
            y = bars_top + s * pitch
            middle = _baseline(y + bar / 2, size)
            label = texts[(name, c)]
            if not _finite(value):
                parts.append(_text(label_width + 5, middle, label, fill=MUTED))
                continue
            colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
            end = x_of(value)
            parts.append(f'<rect x="{_n(label_width)}" y="{_n(y)}" width="{_n(end - label_width)}" '
                         f'height="{bar}" fill="{colour}"><title>{escape(name)}, '
                         f'{escape(categories[c])}: {escape(label)}</title></rect>')
            parts.append(_bar_label(end, middle, label, colour, label_width,
                                    x_of(reference) if reference is not None
                                    and reference <= top else None, size))
    if reference is not None and reference <= top:
        x = x_of(reference)
        parts.append(f'<line x1="{_n(x)}" x2="{_n(x)}" y1="{_n(first - 4)}" '
                     f'y2="{_n(axis)}" stroke="{INK}" stroke-width="1.5" '
                     f'stroke-dasharray="4 3"/>')
    parts.append(f'<line x1="{_n(label_width)}" x2="{_n(label_width + plot)}" '
                 f'y1="{_n(axis)}" y2="{_n(axis)}" stroke="{AXIS}"/>')
    baseline = axis + 8 + ASCENT * size
    for t, label in zip(ticks, labels, strict=True):
        parts.append(_text(x_of(t), baseline, label, anchor="middle", fill=MUTED))
    bottom = baseline + DESCENT * size
    if axis_label:
        bottom += line
        parts.append(_text(label_width + plot / 2, bottom - DESCENT * size, axis_label,
                           anchor="middle", fill=MUTED))
    height = bottom + 6
    parts[0] = _open(full, height, title, size)
    parts.append("</svg>")
    return Markup("".join(parts))


def _bar_label(end: float, baseline: float, label: str, colour: str, start: float,
               line_x: float | None, size: float) -> str:
    """A bar's value label: just past the bar's end, unless it would touch the dashed
    reference line at ``line_x``; then inside the bar's end (in white or ink, whichever
    stands out more on ``colour``) or, on a bar too short to hold it, past the line."""
    width = text_width(label, size)
    x = end + 5
    if line_x is None or x > line_x + 4 or x + width < line_x - 4:
        return _text(x, baseline, label)
    if end - start >= width + 10:
        return _text(end - 5, baseline, label, anchor="end", fill=_ink_on(colour),
                     extra=' font-weight="600"')
    return _text(line_x + 6, baseline, label)


def _ink_on(colour: str) -> str:
    """White or ink, whichever contrasts more with the ``#rrggbb`` ``colour``.

    >>> _ink_on("#0072B2"), _ink_on("#E69F00")
    ('#fff', '#1f2933')
    """
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[k:k + 2], 16) / 255 for k in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
                  for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    back, ink = luminance(colour), luminance(INK)
    return "#fff" if 1.05 / (back + 0.05) >= (back + 0.05) / (ink + 0.05) else INK


def heatmap(rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float]],
            *, title: str, value_format: str = "{:.0%}", width: int = 640,
            directed: bool = True, scale_label: str = "Share of possible ties") -> Markup:
    """A heat map (darker = higher), rows as senders and columns as receivers, with a
    colour key below it.

    Column headers are written across, wrapped onto as many lines as they need (the
    columns widen to fit their longest word); when even that cannot fit, they are set
    upright. With ``directed=False`` (an undirected relation, whose matrix is
    symmetric) a cell's tooltip reads "row – column" instead of "row → column".

    >>> svg = heatmap(["a"], ["b"], [[0.5]], title="mixing")
    >>> "50%" in svg
    True
    >>> "a – b" in heatmap(["a"], ["b"], [[0.5]], title="mixing", directed=False)
    True
    """
    size = SMALL
    line = size * LEADING
    arrow = "→" if directed else "–"
    row_heads = [wrap(str(r), size, 220) for r in rows]
    label_width = max([60.0, *(text_width(t, size) for h in row_heads for t in h)]) + 12
    count = max(len(columns), 1)
    cell = max(48.0, min(72.0, (width - label_width - 10) / count))
    longest_word = max([0.0, *(text_width(w, size) for c in columns for w in str(c).split())])
    cell = max(cell, min(120.0, longest_word + 10))
    upright = longest_word + 10 > cell
    if upright:
        heads = [[str(c)] for c in columns]
        header = max([0.0, *(text_width(str(c), size) for c in columns)]) + 12
    else:
        heads = [wrap(str(c), size, cell - 10) for c in columns]
        header = max([1, *(len(h) for h in heads)]) * line + 10
    # rows as tall as their labels need (not square): the map fits a projector's height
    row_height = max([40.0, *(len(h) * line + 10 for h in row_heads)])
    grid_right = label_width + cell * len(columns)
    finite = [v for r in values for v in r if _finite(v)]
    top = max(finite) if finite and max(finite) > 0 else 1.0
    missing = len(finite) < sum(len(r) for r in values)
    key_steps = [0.0, 0.25, 0.5, 0.75, 1.0]
    key = [(_blend(s), value_format.format(s * top)) for s in key_steps]
    if missing:
        key.append(("#eeeeee", "– none possible"))
    key_title = f"{scale_label}:"
    key_width = text_width(key_title, size) + 10 + sum(22 + text_width(t, size) + 12
                                                      for _, t in key)
    full = max(grid_right + 10, key_width + 4)
    bottom = header + row_height * len(rows)
    height = bottom + 14 + line + 6
    parts = [_open(full, height, title, size)]
    for j, head in enumerate(heads):
        x = label_width + j * cell + cell / 2
        if upright:
            parts.append(f'<text transform="translate({_n(x + (ASCENT - DESCENT) / 2 * size)},'
                         f'{_n(header - 6)}) rotate(-90)">{escape(head[0])}</text>')
        else:
            first = header - 6 - DESCENT * size - line * (len(head) - 1)
            parts.append(_lines_text(x, first, head, size, anchor="middle"))
    for i, (row, head) in enumerate(zip(rows, row_heads, strict=True)):
        y = header + i * row_height
        centre = y + (row_height - 2) / 2
        parts.append(_lines_text(label_width - 8,
                                 _baseline(centre - line * (len(head) - 1) / 2, size),
                                 head, size, anchor="end"))
        for j, column in enumerate(columns):
            value = values[i][j]
            x = label_width + j * cell
            shade = value / top if _finite(value) else 0.0
            fill = _blend(shade) if _finite(value) else "#eeeeee"
            text = value_format.format(value) if _finite(value) else "–"
            ink = "#fff" if shade > 0.55 else INK
            parts.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(cell - 2)}" '
                         f'height="{_n(row_height - 2)}" fill="{fill}"><title>{escape(row)} '
                         f'{arrow} {escape(column)}: {escape(text)}</title></rect>'
                         + _text(x + (cell - 2) / 2, _baseline(centre, size), text,
                                 anchor="middle", fill=ink))
    centre = bottom + 14 + line / 2
    parts.append(_text(0, _baseline(centre, size), key_title, fill=MUTED))
    x = text_width(key_title, size) + 10
    for fill, label in key:
        parts.append(f'<rect x="{_n(x)}" y="{_n(centre - 7)}" width="18" height="14" '
                     f'fill="{fill}" stroke="#c5ccd3"/>')
        parts.append(_text(x + 22, _baseline(centre, size), label, fill=MUTED))
        x += 22 + text_width(label, size) + 12
    parts.append("</svg>")
    return Markup("".join(parts))


def _blend(share: float) -> str:
    """White → deep blue."""
    low, high = (247, 251, 255), (8, 48, 107)
    rgb = [round(a + (b - a) * max(0.0, min(1.0, share))) for a, b in zip(low, high,
                                                                          strict=True)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


def _marker(shape: int, x: float, y: float, colour: str, tip: str = "") -> str:
    """A point of series number ``shape``: circle, square, diamond, triangle…, so that
    the series differ by more than colour (print, colour blindness)."""
    r = 4.5
    title = f"<title>{escape(tip)}</title>" if tip else ""
    kind = shape % 4
    if kind == 0:
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{r}" fill="{colour}">{title}</circle>'
    if kind == 1:
        return (f'<rect x="{_n(x - r)}" y="{_n(y - r)}" width="{2 * r}" height="{2 * r}" '
                f'fill="{colour}">{title}</rect>')
    d = (f"M{_n(x)} {_n(y - r - 1)}L{_n(x + r + 1)} {_n(y)}L{_n(x)} {_n(y + r + 1)}"
         f"L{_n(x - r - 1)} {_n(y)}Z" if kind == 2 else
         f"M{_n(x)} {_n(y - r - 1)}L{_n(x + r + 1)} {_n(y + r)}L{_n(x - r - 1)} {_n(y + r)}Z")
    return f'<path d="{d}" fill="{colour}">{title}</path>'


def lines(x_labels: Sequence[str], series: dict[str, Sequence[float | None]], *, title: str,
          reference: float | None = None, reference_label: str = "",
          value_format: str = "{:.2f}", axis_label: str = "",
          width: int = 720, height: int = 280) -> Markup:
    """A line chart across waves: one line per series, a point per wave, a value axis
    with ticks and grid lines, and each series named at its end (in its colour, with
    its marker; names that would overlap are moved apart, with a leader line to their
    point). A dashed line marks ``reference``, named ``reference_label`` the same way.

    >>> "polyline" in lines(["2024", "2025", "2026"], {"LE": [0.4, 0.7, 0.9]}, title="t")
    True
    """
    size = SIZE
    line = size * LEADING
    values = [v for vs in series.values() for v in vs if _finite(v)]
    ticks = nice_ticks(max([*values, reference or 0.0, 1e-9]), intervals=4)
    high = ticks[-1]
    step_value = ticks[1] - ticks[0] if len(ticks) > 1 else high
    tick_labels = [tick_text(t, step_value, value_format) for t in ticks]
    left = max(text_width(t, size) for t in tick_labels) + 14
    names = list(series)
    ends = [*names, *([reference_label] if reference is not None and reference_label
                      else [])]
    right = max([0.0, *(text_width(n, size) for n in ends)]) + 44
    count = len(x_labels)
    plot_w = max(float(width) - left - right, 360.0)
    # x labels: wrapped to the room between points; the plot widens for a long word
    inset = 18.0
    words = max([0.0, *(text_width(w, size) for x in x_labels for w in str(x).split())])
    if count > 1:
        plot_w = max(plot_w, (words + 14) * (count - 1) + 2 * inset)
    step = (plot_w - 2 * inset) / max(count - 1, 1)
    room = step - 14 if count > 1 else plot_w
    x_heads = [wrap(str(x), size, room) for x in x_labels]
    first_half = max(text_width(t, size) for t in x_heads[0]) / 2 if count else 0.0
    inset_left = max(inset, first_half + 2 - left)
    step = (plot_w - inset_left - inset) / max(count - 1, 1)
    top = ASCENT * size + 4 + ((line + 4) if axis_label else 0.0)
    x_lines = max([1, *(len(h) for h in x_heads)])
    half = (ASCENT + DESCENT) / 2 * size                # half a label's height
    gap = 2 * half + 3                                  # label to label, centre to centre
    # tall enough for every end label between the plot's top and its axis
    plot_h = max(float(height) - top - 10 - x_lines * line, 120.0, gap * len(ends) + 2)
    axis = top + plot_h
    full = left + plot_w + right
    full_height = axis + 8 + x_lines * line + 4

    def x_of(i: int) -> float:
        return left + plot_w / 2 if count == 1 else left + inset_left + i * step

    def y_of(v: float) -> float:
        return top + plot_h * (1 - v / high)

    parts = [_open(full, full_height, title, size)]
    if axis_label:
        parts.append(_text(2, ASCENT * size + 2, axis_label, fill=MUTED))
    for t, label in zip(ticks, tick_labels, strict=True):
        y = y_of(t)
        parts.append(f'<line x1="{_n(left - 4)}" x2="{_n(left + plot_w)}" y1="{_n(y)}" '
                     f'y2="{_n(y)}" stroke="{GRID if t else AXIS}"/>'
                     + _text(left - 8, _baseline(y, size), label, anchor="end", fill=MUTED))
    parts.append(f'<line x1="{_n(left)}" x2="{_n(left)}" y1="{_n(top)}" y2="{_n(axis)}" '
                 f'stroke="{AXIS}"/>')
    for i, head in enumerate(x_heads):
        parts.append(_lines_text(x_of(i), axis + 8 + ASCENT * size, head, size,
                                 anchor="middle"))
    end_x = left + plot_w
    wanted: list[float] = []
    if reference is not None:
        y = y_of(reference)
        parts.append(f'<line x1="{_n(left)}" x2="{_n(end_x)}" y1="{_n(y)}" y2="{_n(y)}" '
                     f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="5 4"/>')
    ends_at: list[tuple[float, float] | None] = []
    for s, (name, vs) in enumerate(series.items()):
        colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
        points = [(x_of(i), y_of(v)) for i, v in enumerate(vs) if _finite(v)]
        if len(points) > 1:
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" '
                         f'points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in points)}"/>')
        for i, v in enumerate(vs):
            if _finite(v):
                parts.append(_marker(s, x_of(i), y_of(v), colour,
                                     f"{name}, {x_labels[i]}: {value_format.format(v)}"))
        ends_at.append(points[-1] if points else None)
        wanted.append(points[-1][1] if points else axis)
    if reference is not None and reference_label:
        ends_at.append((end_x, y_of(reference)))
        wanted.append(y_of(reference))
    placed = spread(wanted, gap, top, axis - 2)
    label_x = end_x + 30
    last_x = x_of(count - 1) if count else end_x
    for k, (label, at, y) in enumerate(zip(ends, ends_at, placed, strict=True)):
        is_reference = k >= len(names)
        colour = INK if is_reference else SERIES_COLOURS[k % len(SERIES_COLOURS)]
        if is_reference and at is not None and abs(at[1] - y) > 0.5:
            parts.append(f'<line x1="{_n(end_x)}" y1="{_n(at[1])}" x2="{_n(end_x + 12)}" '
                         f'y2="{_n(y)}" stroke="{INK}" stroke-width="1" '
                         f'stroke-dasharray="2 2"/>')
        elif not is_reference and at is not None:
            # from the series' last point to its name; dotted across the plot (a series
            # without a value in the last wave)
            dots = ' stroke-dasharray="2 2"' if at[0] < last_x - 1 else ""
            parts.append(f'<line x1="{_n(at[0] + 7)}" y1="{_n(at[1])}" x2="{_n(end_x + 12)}" '
                         f'y2="{_n(y)}" stroke="{colour}" stroke-width="1"{dots}/>')
        if is_reference:
            parts.append(f'<line x1="{_n(end_x + 12)}" x2="{_n(end_x + 24)}" y1="{_n(y)}" '
                         f'y2="{_n(y)}" stroke="{INK}" stroke-width="1.5" '
                         f'stroke-dasharray="4 2"/>')
        else:
            parts.append(_marker(k, end_x + 18, y, colour))
        parts.append(_text(label_x, _baseline(y, size), label, fill=colour))
    parts.append("</svg>")
    return Markup("".join(parts))
