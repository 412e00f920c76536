"""``cpower init``: a new study folder, from templates or from the exports themselves.

:mod:`.templates` writes the template study (``cpower init STUDY``). The other modules
serve ``cpower init STUDY --roster roster.csv --from export.csv``: a first
``cpower.toml`` written from the exports themselves.

The platform and header rows come from :func:`~cpower_network.ingest.tables.read_table`;
the respondent column, roster grids, multi-selects, name generators, decisions,
perception items and answer scales are recognised here, each with a comment saying what
was seen, and whatever could not be decided is marked ``# CHECK:``.
"""

from .build import GENERATED_NAME, InitResult, init_from_exports
from .templates import TEMPLATE_PACKAGE, template_files, write_study_templates

__all__ = ["GENERATED_NAME", "TEMPLATE_PACKAGE", "InitResult", "init_from_exports",
           "template_files", "write_study_templates"]
