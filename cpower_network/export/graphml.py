"""GraphML for yEd, Cytoscape, Gephi, igraph and networkx: same content as the GEXF.

The document validates against the GraphML 1.1 XSD (``graphml.xsd``):

* ``<key>`` declarations (ids ``d0``, ``d1``…): for the graph ``study``, ``wave``,
  ``wave_label``, ``anonymized``; for nodes ``label`` (the name), ``member_id`` and every
  other column of :func:`~cpower_network.export.tables.member_table` with its type
  (``boolean``, ``int``, ``double``, ``string``), named by :func:`attribute_names` (a
  roster header's spaces become ``_``); for edges ``relation`` (key) and ``weight``.
  Missing values (a blank roster cell, a focus group not known) are simply omitted.
* one ``<graph>``: every member of the wave, then every tie of every relation with an
  edge id (``e1``, ``e2``…), so ties of different relations between the same two
  members are parallel edges. ``edgedefault`` is ``undirected`` when every relation is
  undirected, else ``directed``; an edge whose relation differs from it carries
  ``directed="false"`` (or ``"true"``).

GraphML node ids must be XML name tokens (letters, digits, ``.``, ``-``, ``_``, ``:``).
When every member id is one (``m001``, ``17``), it is the node id; otherwise nodes are
``n1``, ``n2``… in roster order, and ``member_id`` always carries the real id (a
character XML cannot hold written ``_xHHHH_``, reversibly: :func:`~._common.xml_id`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from ..common.files import write_atomically
from ..results.model import Results
from ._common import (
    clean_text,
    column_kind,
    edge_directions,
    xml_bytes,
    xml_ids,
    xml_value,
)
from .tables import member_table, tie_table

NAMESPACE = "http://graphml.graphdrawing.org/xmlns"
SCHEMA_LOCATION = ("http://graphml.graphdrawing.org/xmlns "
                   "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd")
XSI = "http://www.w3.org/2001/XMLSchema-instance"
TYPES = {"boolean": "boolean", "integer": "int", "double": "double", "string": "string"}
NAME_TOKEN = re.compile(r"[A-Za-z0-9._:-]+")
NOT_IN_TOKEN = re.compile(r"[^\w.:-]")


def node_ids(members: list[str]) -> dict[str, str]:
    """Member id -> GraphML node id (the member id when every id is a name token).

    >>> node_ids(["m1", "m2"])
    {'m1': 'm1', 'm2': 'm2'}
    >>> node_ids(["ana@x.org", "bo"])
    {'ana@x.org': 'n1', 'bo': 'n2'}
    """
    if all(NAME_TOKEN.fullmatch(str(m)) for m in members):
        return xml_ids(members)           # unique as written, or a DataError naming both
    return {m: f"n{i}" for i, m in enumerate(members, start=1)}


def attribute_names(columns: list[str]) -> dict[str, str]:
    """Column -> its ``attr.name``: an XML name token (GraphML requires one), unique and
    apart from the node keys ``label`` and ``member_id``. Measure names stay as they
    are; other characters of a roster header become ``_``.

    >>> attribute_names(["collaborate_pagerank", "Home county", "label", "Home_county"])
    ... # doctest: +NORMALIZE_WHITESPACE
    {'collaborate_pagerank': 'collaborate_pagerank', 'Home county': 'Home_county',
     'label': 'roster_label', 'Home_county': 'roster_Home_county'}
    """
    taken = {"label", "member_id"}
    names = {}
    for column in columns:
        name = NOT_IN_TOKEN.sub("_", clean_text(column)) or "_"
        while name in taken:
            name = f"roster_{name}"
        taken.add(name)
        names[column] = name
    return names


def graphml_document(results: Results) -> bytes:
    """The GraphML document of ``results`` (UTF-8 bytes, deterministic).

    Parameters
    ----------
    results : Results

    Returns
    -------
    bytes

    Examples
    --------
    >>> import cpower_network as cp
    >>> results = cp.analyze(cp.load_study(cp.example_study_path()), seed=1)
    >>> b'attr.name="collaborate_pagerank"' in graphml_document(results)
    True
    """
    table = member_table(results)
    kinds = {c: column_kind(table[c]) for c in table.columns if c != "name"}
    root = ET.Element("graphml", {"xmlns": NAMESPACE, "xmlns:xsi": XSI,
                                  "xsi:schemaLocation": SCHEMA_LOCATION})
    keys: dict[tuple[str, str], str] = {}

    def declare(domain: str, name: str, kind: str) -> None:
        key = f"d{len(keys)}"
        keys[domain, name] = key
        ET.SubElement(root, "key", {"id": key, "for": domain, "attr.name": name,
                                    "attr.type": TYPES[kind]})

    graph_data = {"study": results.study.name, "wave": results.wave.wave,
                  "wave_label": results.wave.label, "anonymized": results.anonymized}
    for name, value in graph_data.items():
        declare("graph", name, "boolean" if isinstance(value, bool) else "string")
    declare("node", "label", "string")
    declare("node", "member_id", "string")
    names = attribute_names(list(kinds))
    for column, kind in kinds.items():
        declare("node", names[column], kind)
    declare("edge", "relation", "string")
    declare("edge", "weight", "double")

    directions, default = edge_directions(results)
    graph = ET.SubElement(root, "graph", {"id": "G", "edgedefault": default})
    for name, value in graph_data.items():
        _data(graph, keys["graph", name], xml_value(value, "boolean" if isinstance(
            value, bool) else "string"))
    ids = node_ids(list(table.index))
    member_ids = xml_ids(table.index)
    for member, row in table.iterrows():
        node = ET.SubElement(graph, "node", {"id": ids[member]})
        _data(node, keys["node", "label"],
              xml_value(row.get("name"), "string") or clean_text(member))
        _data(node, keys["node", "member_id"], member_ids[member])
        for column, kind in kinds.items():
            _data(node, keys["node", names[column]], xml_value(row[column], kind))
    for number, (source, target, relation, weight) in enumerate(
            tie_table(results).itertuples(index=False), start=1):
        edge = ET.SubElement(graph, "edge", {"id": f"e{number}", "source": ids[source],
                                             "target": ids[target]})
        if directions[relation] != default:
            edge.set("directed", "true" if directions[relation] == "directed" else "false")
        _data(edge, keys["edge", "relation"], clean_text(relation))
        _data(edge, keys["edge", "weight"], repr(float(weight)))
    return xml_bytes(root)


def _data(parent: ET.Element, key: str, value: str | None) -> None:
    if value is not None:
        ET.SubElement(parent, "data", {"key": key}).text = value


def write_graphml(results: Results, path: str | Path) -> list[Path]:
    """Write the GraphML file of ``results`` to ``path`` (atomically).

    Parameters
    ----------
    results : Results
    path : str or Path
        The ``.graphml`` file; overwritten if it exists.

    Returns
    -------
    list of Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> import cpower_network as cp
    >>> results = cp.analyze(cp.load_study(cp.example_study_path()), seed=1)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in write_graphml(results, Path(folder) / "2025.graphml")]
    ['2025.graphml']
    """
    return write_atomically({Path(path): graphml_document(results)})
