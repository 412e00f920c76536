"""The GEXF 1.3 and GraphML XSDs the export tests validate against, loaded offline.

The schemas ship with the tests in ``tests/fixtures/schemas`` (sources and licences in
its README.md). ``graphml.xsd`` pulls its parts by URL
(``http://graphml.graphdrawing.org/xmlns/1.1/…``): those URLs are mapped to the local
copies, and every schema is loaded with ``allow="local"``, so a schema that reached for
anything outside its own folder (the network included) fails to load instead of
quietly fetching it.
"""

from __future__ import annotations

import functools
from pathlib import Path

import xmlschema

SCHEMAS = Path(__file__).resolve().parent / "fixtures" / "schemas"
GEXF_XSD = SCHEMAS / "gexf-1.3" / "gexf.xsd"
GRAPHML_XSD = SCHEMAS / "graphml-1.1" / "graphml.xsd"
GRAPHML_REMOTE = "http://graphml.graphdrawing.org/xmlns/1.1/"


def _graphml_local(uri: str) -> str:
    """A GraphML schema URL as the URL of its local copy (other URIs unchanged)."""
    if uri.startswith(GRAPHML_REMOTE):
        return (GRAPHML_XSD.parent / uri[len(GRAPHML_REMOTE):]).as_uri()
    return uri


@functools.cache
def gexf_schema() -> xmlschema.XMLSchema:
    """The GEXF 1.3 schema (``gexf.xsd`` with ``dynamics.xsd`` and ``viz.xsd``)."""
    return xmlschema.XMLSchema(str(GEXF_XSD), allow="local")


@functools.cache
def graphml_schema() -> xmlschema.XMLSchema:
    """The GraphML schema (``graphml.xsd`` over ``graphml-structure.xsd`` and
    ``xlink.xsd``), its imports read from the local copies."""
    return xmlschema.XMLSchema(str(GRAPHML_XSD), uri_mapper=_graphml_local, allow="local")
