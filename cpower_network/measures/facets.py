"""The trust and value facets a rating question can measure (Varda et al. 2008, 2012).

Kept apart from :mod:`~cpower_network.measures.trust_value` (numpy, pandas) so that the
configuration can check a question's ``facet`` without loading them.
"""

#: facet -> the score it belongs to.
FACETS = {"reliability": "trust", "openness": "trust", "mission": "trust",
          "power": "value", "involvement": "value", "resources": "value"}
