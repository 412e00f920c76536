"""Text safe for a terminal: survey strings shown, never obeyed.

Every line meant for a terminal passes through :func:`safe`: survey text (names, silos,
labels, cell values) may hold escape sequences that would retitle, clear or recolour
the terminal, or bidi controls that reorder what it shows; they are shown escaped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

#: What a terminal must not receive raw: C0 controls (line feed allowed only on request),
#: DEL, C1 controls, the bidi marks, embeddings, overrides and isolates that reorder what
#: is shown, line and paragraph separators, the byte-order mark, and lone surrogates
#: (which cannot even be encoded). Joiners (U+200C, U+200D) stay: scripts and emoji need
#: them.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e"
                    "\u2066-\u2069\ufeff\ud800-\udfff]")
_NAMED = {"\t": "\\t", "\r": "\\r", "\n": "\\n"}


def _escaped(found: re.Match[str]) -> str:
    char = found.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: object, *, newlines: bool = False) -> str:
    """``text`` as it may reach a terminal: control characters, escape sequences and
    bidi overrides shown escaped (``\\x1b``, ``\\u202e``), never sent raw.

    Parameters
    ----------
    text : object
        Converted with :func:`str`.
    newlines : bool
        Keep line feeds (a multi-line text built by cpower itself); by default they are
        escaped too (``\\n``), so a cell value cannot start a line of its own.

    Returns
    -------
    str

    Examples
    --------
    >>> safe("\\x1b]0;title\\x07Ana\\x1b[2J")
    '\\\\x1b]0;title\\\\x07Ana\\\\x1b[2J'
    >>> safe("a\\u202eb\\tc\\x9b"), safe("one\\ntwo", newlines=True)
    ('a\\\\u202eb\\\\tc\\\\x9b', 'one\\ntwo')
    >>> safe("Zoë → Ana, 100 %")
    'Zoë → Ana, 100 %'
    """
    text = str(text)
    if newlines:
        return "\n".join(UNSAFE.sub(_escaped, line) for line in text.split("\n"))
    return UNSAFE.sub(_escaped, text)


def safe_lines(lines: Callable[..., Iterator[str]]) -> Callable[..., Iterator[str]]:
    """Decorate a function that yields terminal lines: each line goes through
    :func:`safe`."""

    @functools.wraps(lines)
    def wrapper(*args, **kwargs) -> Iterator[str]:
        return (safe(line) for line in lines(*args, **kwargs))

    return wrapper
