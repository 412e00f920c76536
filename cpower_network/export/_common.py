"""What every export shares: safe text, typed values, XML bytes and stable zip files
(files are written by :func:`cpower_network.common.files.write_atomically`, the one way
cpower writes any output file).

Survey strings are untrusted. XML 1.0 forbids most C0 control characters (everything
below U+0020 except tab, line feed and carriage return), lone surrogates and U+FFFE/U+FFFF,
and no escaping can carry them; :func:`clean_text` replaces each with U+FFFD (�) so the
document stays well-formed and the spot stays visible. Identifiers must stay distinct, so
:func:`xml_id` escapes such characters reversibly instead (``_x0001_``). Everything else
(``<``, ``&``, quotes, line breaks) is escaped by :mod:`xml.etree.ElementTree`, which
builds every XML document here: no XML is ever assembled by string formatting.
"""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET
import zipfile
from typing import TYPE_CHECKING, Any

from ..errors import DataError, ExportError, UsageError  # noqa: F401  (ExportError: its old home)

if TYPE_CHECKING:  # pandas and the results are loaded where used: `cpower --help` stays quick
    import pandas as pd

#: Characters XML 1.0 cannot hold, escaped or not (openpyxl rejects the same C0 set).
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_DATES = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def clean_text(text: Any) -> str:
    """``text`` as a string XML 1.0 and XLSX can hold: forbidden characters become �.

    >>> clean_text("Ana\\x01 <b> & Bo")
    'Ana� <b> & Bo'
    """
    return INVALID_XML.sub(REPLACEMENT, str(text))


def has_invalid_xml(text: Any) -> bool:
    """Whether :func:`clean_text` would change ``text``.

    >>> has_invalid_xml("ok\\tfine"), has_invalid_xml("bell\\x07")
    (False, True)
    """
    return isinstance(text, str) and INVALID_XML.search(text) is not None


#: ``_xHHHH_`` already in a text: its ``_`` is escaped too, so :func:`xml_id` is reversible.
_LOOKS_ESCAPED = re.compile("_(?=x[0-9A-Fa-f]{4}_)")


def xml_id(text: Any) -> str:
    """``text`` as an identifier XML can hold, reversibly: each character XML cannot hold
    becomes ``_xHHHH_`` (its code point, as Office files escape them), and a ``_`` that
    starts such a sequence in the text itself becomes ``_x005F_``; so two different ids
    stay different (:func:`clean_text` would make ``m0\\x01`` and ``m0\\x02`` both
    ``m0�``). Ids without such characters are unchanged.

    >>> xml_id("m0\\x01"), xml_id("m0\\x02"), xml_id("m_x0001_"), xml_id("m001")
    ('m0_x0001_', 'm0_x0002_', 'm_x005F_x0001_', 'm001')
    """
    text = _LOOKS_ESCAPED.sub("_x005F_", str(text))
    return INVALID_XML.sub(lambda found: f"_x{ord(found.group()):04X}_", text)


def xml_ids(members: Any) -> dict[Any, str]:
    """Member id -> :func:`xml_id`; a :class:`~cpower_network.errors.DataError` naming
    both ids when two members would get the same one (ids ``1`` and ``"1"``).

    >>> xml_ids(["m1", "m1\\x07"])
    {'m1': 'm1', 'm1\\x07': 'm1_x0007_'}
    """
    found: dict[Any, str] = {}
    seen: dict[str, Any] = {}
    for member in members:
        written = xml_id(member)
        if written in seen:
            raise DataError(f"members {seen[written]!r} and {member!r} would both be "
                            f"written as id {written!r}. Fix: give one of them another id "
                            "in the roster")
        seen[written] = member
        found[member] = written
    return found


def column_kind(series: pd.Series) -> str:
    """``"boolean"``, ``"integer"``, ``"double"`` or ``"string"``: one type per column.

    >>> import pandas as pd
    >>> column_kind(pd.Series([1, 2])), column_kind(pd.Series([0.5, None]))
    ('integer', 'double')
    """
    import pandas as pd

    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "double"
    return "string"


def typed_value(value: Any, kind: str) -> bool | int | float | str | None:
    """A cell as a plain Python value of its column's ``kind``; ``None`` when missing.

    Missing means NaN, NA, ``None`` or an empty string: exports omit such values.

    >>> typed_value(3.0, "integer"), typed_value(float("nan"), "double"), typed_value("", "string")
    (3, None, None)
    """
    from .results_json import plain

    value = plain(value)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if kind == "boolean":
        return bool(value)
    if kind == "integer":
        return int(value)
    if kind == "double":
        return float(value)
    text = str(value)
    return text if text.strip() else None


def xml_value(value: Any, kind: str) -> str | None:
    """A cell as XML Schema text (``true``, ``3``, ``0.25``, escaped-ready text) or ``None``.

    >>> xml_value(True, "boolean"), xml_value(0.25, "double"), xml_value("a\\x00b", "string")
    ('true', '0.25', 'a�b')
    """
    found = typed_value(value, kind)
    if found is None:
        return None
    if isinstance(found, bool):
        return "true" if found else "false"
    if isinstance(found, float):
        return repr(found)
    return clean_text(found)


def xml_bytes(root: ET.Element) -> bytes:
    """Indented UTF-8 XML with a declaration and a final newline."""
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def stable_zip(data: bytes) -> bytes:
    """Re-pack a zip-based office file (XLSX) so the same content gives the same bytes:
    fixed entry times, and no creation or modification dates in ``docProps/core.xml``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _DATES.sub(b"", content)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()


def edge_directions(results: Any) -> tuple[dict[str, str], str]:
    """Each relation's edge type (``"directed"`` or ``"undirected"``), and the type of
    the whole exported graph: ``"undirected"`` when every relation is, else
    ``"directed"`` (an edge whose relation differs then says so itself).

    >>> from types import SimpleNamespace as NS
    >>> import networkx as nx
    >>> relation = lambda G: NS(graph=G)
    >>> wave = NS(relations={"a": relation(nx.DiGraph()), "k": relation(nx.Graph())})
    >>> edge_directions(NS(wave=wave))
    ({'a': 'directed', 'k': 'undirected'}, 'directed')
    """
    kinds = {key: "directed" if relation.graph.is_directed() else "undirected"
             for key, relation in results.wave.relations.items()}
    undirected = bool(kinds) and set(kinds.values()) == {"undirected"}
    return kinds, "undirected" if undirected else "directed"
