"""The evidence items indicators score, by key: the keys ``[indicators.weights]`` may name.

Kept apart from :mod:`cpower_network.config.indicators` (the ``[indicators]`` reader) and
imports nothing else of the package, so that the reference
(:mod:`cpower_network.config.reference`) lists the items without an import circle.
"""

from __future__ import annotations

#: Every evidence item, in the order indicators list them: the keys ``[indicators.weights]``
#: may name (docs/methods.md §Evidence items). The rules themselves live in
#: :mod:`cpower_network.indicators.items`, which checks that it has exactly these.
ITEM_KEYS = ["diversity", "le_leadership", "newcomers", "table_perception", "tie_strength",
             "trust_across_silos", "mutual_trust", "trust_reaches_le", "safety_perception",
             "connectedness", "collaboration", "silos_dissolving", "not_hub_dependent",
             "cohesion_perception", "resources_reach", "funds_agreement",
             "decision_influence", "le_central", "voices_heard", "prepared_to_lead",
             "trust_score", "valued_partners"]
