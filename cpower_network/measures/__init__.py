"""Network measures: pure functions, graph first, plain Python and pandas results.

Each measure is one function with its formula and reference in its docstring
(docs/methods.md). Nothing here reads files or writes HTML.

>>> import networkx as nx
>>> from cpower_network.measures import ei_index
>>> G = nx.DiGraph([("a", "b"), ("b", "c")])
>>> nx.set_node_attributes(G, {"a": "x", "b": "x", "c": "y"}, "silo")
>>> ei_index(G, "silo", permutations=0).value
0.0
"""

from .brokerage import brokerage_roles
from .centrality import (
    betweenness,
    core_number,
    degree_table,
    harmonic_closeness,
    member_centralities,
    pagerank,
)
from .communities import (
    CommunityResult,
    communities,
    normalized_mutual_information,
    partition_modularity,
)
from .crosssilo import EIResult, assortativity, bridging_members, ei_index, mixing_matrix
from .decisions import (
    decision_parity,
    formal_and_informal,
    influence_gini,
    influence_scores,
    participation_by_group,
    voice_by_group,
)
from .diversity import blau_index
from .parity import (
    GroupDifference,
    ParityResult,
    degree_centralization,
    gini,
    group_difference,
    group_differences,
    group_parity,
)
from .response import response_rates
from .structure import StructureResult, fragmentation, network_structure

__all__ = [
    "CommunityResult", "EIResult", "GroupDifference", "ParityResult", "StructureResult",
    "assortativity", "betweenness", "blau_index", "bridging_members", "brokerage_roles",
    "communities", "core_number", "decision_parity", "degree_centralization",
    "degree_table", "ei_index", "formal_and_informal", "fragmentation", "gini",
    "group_difference", "group_differences", "group_parity", "harmonic_closeness",
    "influence_gini",
    "influence_scores", "member_centralities", "mixing_matrix", "network_structure",
    "normalized_mutual_information", "pagerank", "participation_by_group",
    "partition_modularity", "response_rates", "voice_by_group",
]
