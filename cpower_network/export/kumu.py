"""Kumu: a spreadsheet for Kumu's import, and the same map as a JSON blueprint.

The workbook (``.xlsx``: Kumu rejects ``.xls``) has two sheets, as Kumu's import wants:

* ``Elements``: ``Label`` in A1, then ``Type`` (the member's silo, or ``Member``),
  ``Member ID``, the roster attributes (``Yes``/``No`` for flags), one ``Yes``/``No``
  field per focus group named by its label (empty where the roster cell was blank: not
  known), every other roster column as written, every measure (named as in
  :func:`~cpower_network.export.tables.member_table`) and ``Tags``: the member's focus
  groups, ``|`` between several. A header that would repeat another (Kumu ignores case)
  gets ``Roster`` in front.
* ``Connections``: ``From`` and ``To`` in A1 and B1 (element labels), ``Type`` (the
  relation's label), ``Direction`` (``directed``: the tie is one member's answer;
  ``undirected``: a tie of an undirected relation, both members' reports combined) and
  ``Strength`` (the weight).

Kumu merges elements that share a label, so labels are made unique: when several
members have the same name (ignoring case and spacing), each of their labels gets the
member id appended, ``"Ana Ruiz (m012)"``. Kumu reads ``|`` as a separator between
values, so a ``|`` inside any text becomes ``/``; characters XML cannot hold become �
(in ``Member ID``: ``_xHHHH_``, so ids stay distinct).
Text starting with ``=`` is stored as text, never as a formula.

The blueprint (``.kumu.json``) mirrors the keys of a Kumu project export:
``{"name", "description", "attributes": [{_id, name, format, private, limit, category,
prompt, locked, values}], "elements": [{_id, attributes: {label, "element type", …,
tags}}], "connections": [{_id, direction, delayed, reversed, attributes:
{"connection type", strength}, from, to}], "loops": []}`` with deterministic ids
(``elem-1``, ``conn-1``, ``attr-1``…). Missing values are left out.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd

from ..common.files import write_atomically
from ..common.wording import wave_name
from ..results.model import Results
from ._common import (
    ExportError,
    clean_text,
    column_kind,
    edge_directions,
    stable_zip,
    typed_value,
    xml_id,
)
from .results_json import dumps
from .tables import member_table, tie_table

BLUEPRINT_SUFFIX = ".kumu.json"
ROSTER_HEADERS = ("organisation", "role", "leader", "consent")
#: Headers Kumu gives a meaning of its own (compared ignoring case).
RESERVED_HEADERS = {"label", "type", "element type", "member id", "tags"}
LIST_FIELDS = ("Element Type", "Connection Type", "Role")


def kumu_text(value: Any) -> str:
    """Text as Kumu can take it: no XML-forbidden characters, ``/`` instead of ``|``.

    >>> kumu_text("Parents | carers")
    'Parents / carers'
    """
    return clean_text(value).replace("|", "/")


def unique_labels(names: dict[str, Any]) -> dict[str, str]:
    """Member id -> a Kumu label unique among all members (id appended to shared names).

    >>> unique_labels({"m1": "Ana Ruiz", "m2": "ana  ruiz", "m3": "Bo", "m4": ""})
    {'m1': 'Ana Ruiz (m1)', 'm2': 'ana  ruiz (m2)', 'm3': 'Bo', 'm4': 'm4'}
    """
    base = {m: kumu_text(n).strip() if isinstance(n, str) and n.strip() else kumu_text(m)
            for m, n in names.items()}
    counts = pd.Series([_fold(b) for b in base.values()]).value_counts()
    labels = {m: f"{b} ({kumu_text(m)})" if counts[_fold(b)] > 1 else b
              for m, b in base.items()}
    taken: set[str] = set()
    for member, label in labels.items():
        candidate, number = label, 2
        while _fold(candidate) in taken:
            candidate, number = f"{label} ({number})", number + 1
        taken.add(_fold(candidate))
        labels[member] = candidate
    return labels


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def duplicate_names(results: Results) -> list[str]:
    """Member ids whose Kumu label had to carry their id (names shared with others).

    >>> import cpower_network as cp
    >>> duplicate_names(cp.analyze(cp.load_study(cp.example_study_path()), seed=1))
    []
    """
    names = member_table(results)["name"].to_dict()
    labels = unique_labels(names)
    return [m for m, n in names.items() if labels[m] != unique_labels({m: n})[m]]


def kumu_tables(results: Results) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``Elements`` and ``Connections`` sheets as DataFrames, with Kumu's headers.

    Parameters
    ----------
    results : Results

    Returns
    -------
    elements, connections : DataFrame
        One row per member and one per arc of every relation; missing values are
        ``None``, flags ``"Yes"``/``"No"``.

    Examples
    --------
    >>> import cpower_network as cp
    >>> results = cp.analyze(cp.load_study(cp.example_study_path()), seed=1)
    >>> elements, connections = kumu_tables(results)
    >>> elements.columns[:4].tolist()
    ['Label', 'Type', 'Member ID', 'Organisation']
    >>> connections.columns.tolist()
    ['From', 'To', 'Type', 'Direction', 'Strength']
    """
    table = member_table(results)
    labels = unique_labels(table["name"].to_dict())
    focus = dict(results.study.focus_groups)
    columns: dict[str, list[Any]] = {
        "Label": [labels[m] for m in table.index],
        "Type": [kumu_text(s) if typed_value(s, "string") else "Member"
                 for s in table.get("silo", pd.Series(None, index=table.index))],
        "Member ID": [xml_id(m).replace("|", "/") for m in table.index],
    }
    for column in table.columns:
        if column not in ("name", "silo"):
            header = kumu_header(column, focus, columns)
            kind = column_kind(table[column])
            columns[header] = [_cell(v, kind) for v in table[column]]
    columns["Tags"] = [_tags(table, member, focus) for member in table.index]
    elements = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()})
    ties = tie_table(results)
    names = {k: kumu_text(r.label) for k, r in results.wave.relations.items()}
    directions = edge_directions(results)[0]
    connections = pd.DataFrame({
        "From": [labels[m] for m in ties["from"]], "To": [labels[m] for m in ties["to"]],
        "Type": [names[k] for k in ties["relation"]],
        "Direction": [directions[k] for k in ties["relation"]],
        "Strength": ties["weight"].astype(float)})
    return elements, connections


def kumu_header(column: str, focus: dict[str, str], taken: Any) -> str:
    """The Elements header of a member-table column: a focus group's label, a roster
    attribute capitalised, others as they are; ``Roster …`` when the header is taken
    (Kumu ignores case, and reserves ``Label``, ``Type`` and ``Tags``).

    >>> kumu_header("role", {}, ["Label"]), kumu_header("lived", {"lived": "Lived"}, [])
    ('Role', 'Lived')
    >>> kumu_header("label", {}, ["Label", "Type"]), kumu_header("tags", {}, [])
    ('Roster label', 'Roster tags')
    """
    header = focus.get(column) or (column.capitalize() if column in ROSTER_HEADERS
                                   else kumu_text(column))
    used = {str(t).casefold() for t in taken} | RESERVED_HEADERS
    while header.casefold() in used:
        header = f"Roster {header}"
    return header


def _tags(table: pd.DataFrame, member: str, focus: dict[str, str]) -> str | None:
    """The labels of the member's focus groups, ``|`` between them (``None``: none)."""
    tags = [kumu_text(label) for key, label in focus.items()
            if key in table and typed_value(table.at[member, key], "boolean")]
    return "|".join(tags) or None


def _cell(value: Any, kind: str) -> Any:
    found = typed_value(value, kind)
    if isinstance(found, bool):
        return "Yes" if found else "No"
    return kumu_text(found) if isinstance(found, str) else found


def kumu_workbook(results: Results) -> bytes:
    """The Kumu import workbook as XLSX bytes (deterministic: fixed zip times, no dates).

    Examples
    --------
    >>> import io, openpyxl
    >>> import cpower_network as cp
    >>> results = cp.analyze(cp.load_study(cp.example_study_path()), seed=1)
    >>> book = openpyxl.load_workbook(io.BytesIO(kumu_workbook(results)))
    >>> book["Elements"]["A1"].value, book["Connections"]["B1"].value
    ('Label', 'To')
    """
    from openpyxl import Workbook

    elements, connections = kumu_tables(results)
    book = Workbook()
    book.properties.creator = f"cpower-network {results.version}"
    sheet = book.active
    sheet.title = "Elements"
    _fill(sheet, elements)
    _fill(book.create_sheet("Connections"), connections)
    buffer = io.BytesIO()
    book.save(buffer)
    return stable_zip(buffer.getvalue())


def _fill(sheet, frame: pd.DataFrame) -> None:
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if _missing(v) else v for v in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":         # text starting with "=" stays text
                cell.data_type = "s"
    sheet.freeze_panes = "A2"


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def kumu_blueprint(results: Results) -> dict[str, Any]:
    """The Kumu JSON blueprint, keyed like a Kumu project export (see the module doc).

    Examples
    --------
    >>> import cpower_network as cp
    >>> results = cp.analyze(cp.load_study(cp.example_study_path()), seed=1)
    >>> blueprint = kumu_blueprint(results)
    >>> sorted(blueprint)
    ['attributes', 'connections', 'description', 'elements', 'loops', 'name']
    >>> blueprint["elements"][0]["attributes"]["label"]
    'Elizabeth Carter'
    """
    elements, connections = kumu_tables(results)
    ids = {label: f"elem-{i}" for i, label in enumerate(elements["Label"], start=1)}
    fields = [("Element Type" if h == "Type" else h, elements[h]) for h in elements]
    fields += [("Connection Type", connections["Type"]), ("Strength", connections["Strength"])]
    wave = results.wave
    anonymised = " (anonymised)" if results.anonymized else ""
    return {
        "name": kumu_text(f"{results.study.name}: {wave.label}"),
        "description": kumu_text(f"Members and ties of {wave_name(wave.wave)}{anonymised}, "
                                 f"exported by cpower-network {results.version}."),
        "attributes": [_field(i, name, column) for i, (name, column)
                       in enumerate(fields, start=1)],
        "elements": [{"_id": ids[row["Label"]], "attributes": _element_attributes(row)}
                     for row in elements.to_dict("records")],
        "connections": [{"_id": f"conn-{i}", "direction": row["Direction"],
                         "delayed": False, "reversed": False,
                         "attributes": {"connection type": row["Type"],
                                        "strength": float(row["Strength"])},
                         "from": ids[row["From"]], "to": ids[row["To"]]}
                        for i, row in enumerate(connections.to_dict("records"), start=1)],
        "loops": [],
    }


def _field(number: int, name: str, column: pd.Series) -> dict[str, Any]:
    """A Kumu field definition: a pick list for categories and flags, else autocomplete."""
    known = column.dropna()
    values = sorted({str(v) for v in known})
    pick = name in LIST_FIELDS or (bool(values) and set(values) <= {"Yes", "No"})
    numeric = len(known) > 0 and pd.api.types.is_numeric_dtype(known.infer_objects())
    return {"_id": f"attr-{number}", "name": name,
            "format": "number" if numeric else "string", "private": False,
            "limit": "none" if name == "Tags" else 1, "category": "General",
            "prompt": "list" if pick else "autocomplete", "locked": False,
            "values": values if pick else []}


def _element_attributes(row: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for header, value in row.items():
        if not _missing(value):
            key = "element type" if header == "Type" else header.lower()
            found[key] = value.split("|") if header == "Tags" else value
    return found


def write_kumu(results: Results, path: str | Path) -> list[Path]:
    """Write the Kumu workbook to ``path`` (``.xlsx``) and the blueprint beside it.

    Parameters
    ----------
    results : Results
    path : str or Path
        The workbook; its name must end in ``.xlsx``.

    Returns
    -------
    list of Path
        The workbook and the blueprint (``<name>.kumu.json``), written together.

    Examples
    --------
    >>> import tempfile
    >>> import cpower_network as cp
    >>> results = cp.analyze(cp.load_study(cp.example_study_path()), seed=1)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in write_kumu(results, Path(folder) / "2025.xlsx")]
    ['2025.xlsx', '2025.kumu.json']
    """
    workbook = Path(path)
    if workbook.suffix.lower() != ".xlsx":
        raise ExportError(f"the Kumu export is an .xlsx workbook (Kumu rejects other "
                          f"spreadsheet files): give --out a name ending in .xlsx, "
                          f"not {workbook.name!r}")
    blueprint = workbook.with_suffix(BLUEPRINT_SUFFIX)
    return write_atomically({
        workbook: kumu_workbook(results),
        blueprint: dumps(kumu_blueprint(results)).encode("utf-8"),
    })
