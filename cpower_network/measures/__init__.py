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

import importlib
from typing import Any

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


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


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
