"""Evidence items: small rule functions, one per evidence item of docs/methods.md
§Indicators, registered here in the order reports and JSON list them.

Each takes the wave's results and the settings and returns an
:class:`~cpower_network.indicators.evidence.EvidenceItem`: its components (raw value,
0–100 score, how it was scored), a breakdown by group, and notes. Items whose data do not
exist, or on which the measure is undefined or meaningless (no ties, one silo, a group too
small, a centrality that does not vary: see :mod:`cpower_network.indicators.reasons`), are
*not measured*, with their reason (never zero, never a score).

The rules live in one module per milestone (:mod:`.table_items`, :mod:`.trust_items`,
:mod:`.cohesion_items`, :mod:`.financing_items`, :mod:`.lived_experience_items`) and
:mod:`.rating_items` (those read from the trust and value scores); each registers its
rules in :data:`~cpower_network.indicators.evidence.RULES` as it is imported, so the order
of the imports below is the order of the items. Importing this module checks that order
against :data:`~cpower_network.config.evidence_items.ITEM_KEYS`.
"""

from __future__ import annotations

from ..config.evidence_items import ITEM_KEYS
from .evidence import RULES

# isort: off
# The rules register as their modules are imported: this order is the items' order.
from . import (  # noqa: F401
    table_items,
    trust_items,
    cohesion_items,
    financing_items,
    lived_experience_items,
    rating_items,
)
# isort: on

if [key for key, _milestone, _label, _rule in RULES] != ITEM_KEYS:   # a rule added or renamed
    raise RuntimeError("indicators/items.py's rules and ITEM_KEYS in "
                       "config/evidence_items.py disagree: add or rename the key in both")
