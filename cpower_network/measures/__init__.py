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

from __future__ import annotations

from ..common.lazy import lend

#: Public name -> the module defining it. Loaded on first use (PEP 562), so importing one
#: measure (``measures.inference`` for its constants) does not load every other one
#: and its libraries.
_WHERE = {
    "brokerage_roles": "brokerage",
    "betweenness": "centrality",
    "core_number": "centrality",
    "degree_table": "centrality",
    "harmonic_closeness": "centrality",
    "member_centralities": "centrality",
    "pagerank": "centrality",
    "CommunityResult": "community_detection",
    "communities": "community_detection",
    "normalized_mutual_information": "partitions",
    "partition_modularity": "partitions",
    "EIResult": "crosssilo",
    "assortativity": "crosssilo",
    "bridging_members": "crosssilo",
    "ei_index": "crosssilo",
    "mixing_matrix": "crosssilo",
    "decision_parity": "decisions",
    "formal_and_informal": "decisions",
    "influence_gini": "decisions",
    "influence_scores": "decisions",
    "participation_by_group": "decisions",
    "voice_by_group": "decisions",
    "blau_index": "diversity",
    "GroupDifference": "parity",
    "ParityResult": "parity",
    "degree_centralization": "parity",
    "gini": "parity",
    "group_difference": "parity",
    "group_differences": "parity",
    "group_parity": "parity",
    "response_rates": "response",
    "StructureResult": "structure",
    "fragmentation": "structure",
    "network_structure": "structure",
}


__getattr__, __dir__ = lend(__name__, _WHERE, globals())


__all__ = sorted(_WHERE)
