"""GEXF 1.3 for Gephi: one graph per wave, every relation's ties in it.

The document (namespace ``http://gexf.net/1.3``, ``version="1.3"``) validates against
the GEXF 1.3 XSD:

* ``<meta>``: ``<creator>`` (cpower-network and its version) and ``<description>`` (study
  and wave). GEXF's optional ``lastmodifieddate`` is **left out**: a date would make two
  exports of the same results differ, and Gephi does not need it.
* ``<attributes class="node">``: one declared attribute per column of
  :func:`~cpower_network.export.tables.member_table` except ``name`` (the node label),
  with its type (``boolean``, ``integer``, ``double`` or ``string``); id and title are the
  column name, e.g. ``collaborate_pagerank`` or a roster column's header. Missing values
  (a blank roster cell, a focus group not known) are simply omitted.
* ``<attributes class="edge">``: ``relation`` (the relation key, for Gephi's partition
  filters).
* nodes: every member of the wave (id = member id, label = name), roster order. A
  character XML cannot hold is written ``_xHHHH_`` in an id (:func:`~._common.xml_id`),
  so ids stay distinct (``m0\\x01`` and ``m0\\x02`` are ``m0_x0001_`` and ``m0_x0002_``).
* edges: every tie of every relation (ids ``e1``, ``e2``…), with ``kind`` = relation key
  (Gephi's edge type, so ties of different relations between the same two members stay
  parallel), ``label`` = relation label and ``weight``.
* direction: ``defaultedgetype`` is ``undirected`` when every relation is undirected,
  else ``directed``; an edge whose relation differs from it carries its own ``type``
  (an undirected relation's edge appears once, its two ends in roster order).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..common.files import write_atomically
from ..common.wording import wave_name
from ..results.model import Results
from ._common import (
    clean_text,
    column_kind,
    edge_directions,
    xml_bytes,
    xml_id,
    xml_ids,
    xml_value,
)
from .tables import member_table, tie_table

NAMESPACE = "http://gexf.net/1.3"
SCHEMA_LOCATION = "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
TYPES = {"boolean": "boolean", "integer": "integer", "double": "double", "string": "string"}


def gexf_document(results: Results) -> bytes:
    """The GEXF 1.3 document of ``results`` (UTF-8 bytes, deterministic).

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
    >>> document = gexf_document(results)
    >>> document.splitlines()[1].startswith(b'<gexf xmlns="http://gexf.net/1.3"')
    True
    >>> advice = results.wave.relations["advice"].graph
    >>> document.count(b'kind="advice"') == advice.number_of_edges()
    True
    """
    table = member_table(results)
    kinds = {c: column_kind(table[c]) for c in table.columns if c != "name"}
    root = ET.Element("gexf", {"xmlns": NAMESPACE, "xmlns:xsi": XSI,
                               "xsi:schemaLocation": SCHEMA_LOCATION, "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = f"cpower-network {results.version}"
    ET.SubElement(meta, "description").text = clean_text(_description(results))
    directions, default = edge_directions(results)
    graph = ET.SubElement(root, "graph", {"mode": "static", "defaultedgetype": default,
                                          "idtype": "string"})
    declared = ET.SubElement(graph, "attributes", {"class": "node", "mode": "static"})
    for column, kind in kinds.items():
        ET.SubElement(declared, "attribute", {"id": xml_id(column),
                                              "title": clean_text(column),
                                              "type": TYPES[kind]})
    edge_declared = ET.SubElement(graph, "attributes", {"class": "edge", "mode": "static"})
    ET.SubElement(edge_declared, "attribute", {"id": "relation", "title": "relation",
                                               "type": "string"})
    ids = xml_ids(table.index)
    nodes = ET.SubElement(graph, "nodes", {"count": str(len(table))})
    for member, row in table.iterrows():
        name = xml_value(row.get("name"), "string") or clean_text(member)
        node = ET.SubElement(nodes, "node", {"id": ids[member], "label": name})
        values = [(c, xml_value(row[c], kind)) for c, kind in kinds.items()]
        values = [(c, v) for c, v in values if v is not None]
        if values:
            attvalues = ET.SubElement(node, "attvalues")
            for column, value in values:
                ET.SubElement(attvalues, "attvalue", {"for": xml_id(column),
                                                      "value": value})
    ties = tie_table(results)
    labels = {key: relation.label for key, relation in results.wave.relations.items()}
    edges = ET.SubElement(graph, "edges", {"count": str(len(ties))})
    for number, tie in enumerate(ties.itertuples(index=False), start=1):
        source, target, relation, weight = tie
        edge = ET.SubElement(edges, "edge", {
            "id": f"e{number}", "source": ids[source], "target": ids[target],
            "kind": clean_text(relation), "label": clean_text(labels[relation]),
            "weight": repr(float(weight))})
        if directions[relation] != default:
            edge.set("type", directions[relation])
        attvalues = ET.SubElement(edge, "attvalues")
        ET.SubElement(attvalues, "attvalue", {"for": "relation",
                                              "value": clean_text(relation)})
    return xml_bytes(root)


def _description(results: Results) -> str:
    wave = results.wave
    text = f"{results.study.name}: {wave_name(wave.label or wave.wave)}"
    return text + (", anonymised" if results.anonymized else "")


def write_gexf(results: Results, path: str | Path) -> list[Path]:
    """Write the GEXF 1.3 file of ``results`` to ``path`` (atomically).

    Parameters
    ----------
    results : Results
    path : str or Path
        The ``.gexf`` file; overwritten if it exists.

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
    ...     [p.name for p in write_gexf(results, Path(folder) / "2025.gexf")]
    ['2025.gexf']
    """
    return write_atomically({Path(path): gexf_document(results)})
