"""The methods appendix: every measure's definition, formula and reference.

What an evaluator pastes into an appendix. Formulas are plain text so they print and
copy anywhere. :data:`METHODS` describes a study whose relations are all directed;
:func:`methods_for` says, for the study at hand, which relations are directed and which
undirected (and how an undirected relation's two reports become one tie), and adds to
each method what changes on an undirected relation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import networkx as nx


@dataclass(frozen=True)
class Method:
    """One entry of the appendix; ``undirected`` is added to the definition when the
    study has an undirected relation."""

    name: str
    definition: str
    formula: str
    reference: str
    undirected: str = ""


METHODS = (
    Method("Relation graphs",
           "One directed graph per relation and wave. An arc u→v means u reported v; its "
           "weight is the answer on the relation's scale (several answers about one pair "
           "combined by the relation's rule). Every member of the wave is a node; zero "
           "answers ('Never') make no arc.",
           "G_r = (V, A_r, w)", "METRICS.md; Wasserman & Faust (1994), Social Network "
           "Analysis, ch. 3."),
    Method("Non-respondents",
           "Non-respondents have no reported ties. For relations symmetric by nature the "
           "'union' rule may rebuild a non-respondent's ties from what others reported. "
           "Out-degree, out-strength and a member's own E-I use respondents only.",
           "union: add v→u for each reported u→v when v did not answer",
           "Stork & Richards (1992), Sociological Methods & Research 20(4).",
           undirected=("An undirected relation keeps every tie one member reported "
                       "with a non-respondent: an edge is a tie of both members.")),
    Method("E-I index",
           "Ties across silos (E) against ties within (I), for the whole network, each "
           "silo (ties its members sent) and each member. Compared with its expectation "
           "under random mixing and a permutation p-value (silo labels shuffled).",
           "EI = (E − I) / (E + I); expected = 1 − 2·Σ n_g(n_g − 1) / (n(n − 1))",
           "Krackhardt & Stern (1988), Social Psychology Quarterly 51(2), 123–140.",
           undirected=("On an undirected relation each tie counts once in the whole-network "
                       "index and once from each end for silos and members.")),
    Method("Silo mixing matrix",
           "Ties from silo a to silo b, and their density: ties divided by possible pairs.",
           "d(a,b) = t(a→b) / (|a|·|b|), or / (|a|(|a|−1)) when a = b",
           "Newman (2003), Physical Review E 67, 026126.",
           undirected=("On an undirected relation a tie counts for both its "
                       "members' silos, so the matrix is symmetric.")),
    Method("Attribute assortativity",
           "How much more members tie within their silo than random mixing would give "
           "(1 = only within, 0 = random).",
           "r = (Σ e_aa − Σ a_a b_a) / (1 − Σ a_a b_a)",
           "Newman (2003), Physical Review E 67, 026126."),
    Method("Brokerage roles",
           "For every two-path a→v→b with no a→b tie, v brokers; the role depends on the "
           "silos of a, v and b: coordinator (all one silo), itinerant (a and b one silo, "
           "v another), representative (a and v one silo), gatekeeper (v and b one silo), "
           "liaison (all different).", "counts of open ordered two-paths per member",
           "Gould & Fernandez (1989), Sociological Methodology 19, 89–126.",
           undirected=("Not measured on an undirected relation: the roles follow "
                       "ties from one member to the next.")),
    Method("Centralities",
           "Ties received and reported (counts and strength), betweenness (exact, "
           "normalised, unweighted), PageRank (weighted, damping 0.85, received ties), "
           "harmonic closeness (incoming distances, ÷ (n − 1)), core number.",
           "b(v) = Σ σ_st(v)/σ_st ÷ ((n−1)(n−2)); h(v) = Σ 1/d(u,v) ÷ (n−1)",
           "Freeman (1978), Social Networks 1, 215–239; Brandes (2001), J. Math. Sociology "
           "25(2); Brin & Page (1998); Marchiori & Latora (2000); Seidman (1983).",
           undirected=("On an undirected relation ties received and reported are both a "
                       "member's contacts (degree, strength), and betweenness, PageRank "
                       "and closeness are their undirected forms.")),
    Method("Group share and parity ratio",
           "A group's share of a centrality divided by its share of the membership. 1.0: "
           "in proportion to its numbers; below 1, under-central.",
           "P_G = (Σ_{v∈G} c(v) / Σ_v c(v)) / (|G| / n)", "METRICS.md §2."),
    Method("Group difference",
           "Difference of a centrality's mean between a group and everyone else, with a "
           "node-label permutation p-value (no t-tests: network data are not independent).",
           "D = mean_G − mean_rest; p = (1 + #{|D_b| ≥ |D|}) / (1 + B)",
           "Borgatti, Everett & Johnson (2018), Analyzing Social Networks, ch. 8."),
    Method("Concentration",
           "Gini coefficient of a centrality (0: equal; 1: one member holds all) and "
           "Freeman's degree centralisation.",
           "G = Σ_i Σ_j |x_i − x_j| / (2 n² x̄); C = Σ (c* − c_v) / max",
           "Freeman (1978), Social Networks 1, 215–239.",
           undirected=("On an undirected relation degree centralisation is Freeman's "
                       "undirected one, over (n − 1)(n − 2).")),
    Method("Decision influence",
           "From the decision survey: u→v when u named v as shaping a decision, weighted by "
           "the number of decisions. Influence share, decision parity ratio, Gini of "
           "influence; participation and 'my input shaped the outcome' by group, and the "
           "voice gap (group mean minus everyone else's).",
           "share(v) = s_in(v) / Σ s_in; gap = mean_G − mean_rest", "METRICS.md §3."),
    Method("Whole-network structure",
           "Density, reciprocity, transitivity, average clustering, weak components and "
           "the share in the largest, its average path length and diameter, "
           "fragmentation (share of ordered pairs that cannot reach each other), degree "
           "centralisation.", "density = m / (n(n − 1)); F = 1 − reachable pairs / (n(n−1))",
           "Wasserman & Faust (1994); Borgatti (2006), Comput. Math. Organ. Theory 12.",
           undirected=("On an undirected relation density is ties over "
                       "unordered pairs, m / (n(n − 1)/2), and reciprocity is not measured: "
                       "every tie is mutual by construction.")),
    Method("Communities",
           "Louvain on the undirected weighted projection (w(u,v) = w(u→v) + w(v→u)), "
           "seeded; its modularity, the silo partition's modularity, and the normalised "
           "mutual information between communities and silos (high = communities mirror "
           "silos).", "Q = Σ_c [L_c/m − (d_c/2m)²]; NMI = 2 I(C;S) / (H(C) + H(S))",
           "Blondel et al. (2008), J. Stat. Mech. P10008; Danon et al. (2005).",
           undirected=("An undirected relation is used as it is (each tie once).")),
    Method("Weaver's worklist",
           "Isolates, pendants, members outside the main component or without cross-silo "
           "ties, gatekeepers (block–cut tree), articulation points, periphery (core ≤ 1), "
           "suggested introductions scored by shared contacts (Adamic–Adar), favouring "
           "members with few contacts and focus-group members.",
           "score = Σ_z 1/log k_z · (1 + ½[u∈F] + ½[w∈F]) / (1 + min(k_u, k_w))",
           "Adamic & Adar (2003), Social Networks 25(3); Burt (1992), Structural Holes."),
    Method("Indicators",
           "Each evidence item's values are scored 0–100 by the rule shown beside it; an "
           "indicator is the weighted mean of its measured items. Bands: Emerging < 40 ≤ "
           "Developing < 70 ≤ Strong (configurable). Items without data are not measured.",
           "score = Σ w_i s_i / Σ w_i over measured items",
           "Innovation Network (2024), Collective Power Framework and Indicators."),
    Method("Blau index", "Diversity of silos, normalised by its maximum.",
           "B = (1 − Σ p_k²) / (1 − 1/K)", "Blau (1977), Inequality and Heterogeneity."),
)


#: How each reciprocity rule makes an undirected relation's tie from its two reports.
RECIPROCITY_WORDS = {
    "either": "a tie when either member reported it, weighted by the larger report",
    "both": "a tie only when both did, weighted by the smaller report",
    "mean": "the mean of the two reports (a report not made counts 0), a tie when above 0",
}


def methods_for(graphs: Iterable[nx.Graph]) -> tuple[Method, ...]:
    """The appendix for a study with these relation graphs (``G.graph`` carries each
    relation's ``label`` and ``reciprocity``).

    All directed: :data:`METHODS` as it is. Otherwise the relation graphs' entry says
    which relations are directed and which undirected, with each undirected relation's
    reciprocity rule, and every method's ``undirected`` note is added.

    >>> methods_for([nx.DiGraph(label="Advice")]) == METHODS
    True
    >>> found = methods_for([nx.DiGraph(label="Advice"),
    ...                      nx.Graph(label="Work together", reciprocity="both")])
    >>> found[0].definition.endswith('Undirected here: Work together (reciprocity = "both").')
    True
    """
    graphs = list(graphs)
    if all(G.is_directed() for G in graphs):
        return METHODS
    first = replace(METHODS[0], definition=_relation_graphs(graphs),
                    formula="directed: G_r = (V, A_r, w); undirected: G_r = (V, E_r, w), "
                            "w(u,v) = max (either), min (both) or mean (mean) of w(u→v) "
                            "and w(v→u)")
    rest = [replace(m, definition=f"{m.definition} {m.undirected}") if m.undirected else m
            for m in METHODS[1:]]
    return (first, *rest)


def _relation_graphs(graphs: list[nx.Graph]) -> str:
    """The relation graphs' definition for a study with an undirected relation."""
    directed = [str(G.graph.get("label", "")) for G in graphs if G.is_directed()]
    undirected = [f'{G.graph.get("label", "")} (reciprocity = "{_rule(G)}")'
                  for G in graphs if not G.is_directed()]
    rules = "; ".join(f"{rule}: {RECIPROCITY_WORDS[rule]}"
                      for rule in dict.fromkeys(_rule(G) for G in graphs
                                                if not G.is_directed()))
    text = ("One graph per relation and wave, directed or undirected as the relation is "
            "set up. Directed: an arc u→v means u reported v; its weight is the answer on "
            "the relation's scale (several answers about one pair combined by the "
            "relation's rule). Undirected: the two members' reports about each other "
            f"become one tie by the relation's reciprocity rule ({rules}); when only one "
            "of the two could report (the other did not answer or was not asked about "
            "them), that report is the tie. Every member of the wave is a node; zero "
            "answers ('Never') make no tie.")
    if directed:
        text += f" Directed here: {', '.join(directed)}."
    return text + f" Undirected here: {', '.join(undirected)}."


def _rule(G: nx.Graph) -> str:
    return str(G.graph.get("reciprocity") or "either")
