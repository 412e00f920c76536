"""The methods appendix: every measure's definition, formula and reference.

What an evaluator pastes into an appendix. Formulas are plain text so they print and
copy anywhere. Each entry cites a section of the project's methods documentation,
``docs/methods.md`` (:data:`DOC`), and public works only; the appendix states every
choice a UCINET or R (sna, igraph) user would otherwise assume differently.

:data:`METHODS` describes a study whose relations are all directed; :func:`methods_for`
says, for the study at hand, which relations are directed and which undirected (and how
an undirected relation's two reports become one tie), and adds to each method what
changes on an undirected relation. :data:`WAVE_METHODS` goes first in a wave
comparison's appendix.
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


#: The project's methods documentation, which every entry cites by section.
DOC = "docs/methods.md"


def _doc(section: str) -> str:
    """A citation of one section of :data:`DOC`.

    >>> _doc("Communities")
    'docs/methods.md §Communities'
    """
    return f"{DOC} §{section}"


METHODS = (
    Method("Relation graphs",
           "One directed graph per relation and wave. An arc u→v means u reported v; its "
           "weight is the answer on the relation's scale (several answers about one pair "
           "combined by the relation's rule). Every member of the wave is a node; zero "
           "answers ('Never') make no arc.",
           "G_r = (V, A_r, w)",
           f"{_doc('Relation graphs')}; Wasserman & Faust (1994), Social Network "
           "Analysis: Methods and Applications, ch. 3–4."),
    Method("Choices that differ from UCINET and R defaults",
           "Read beside UCINET or R (sna, igraph): transitivity, average path length and "
           "diameter are computed on the undirected projection (u and v tied when either "
           "named the other), not on directed paths. Reciprocity is counted by arcs (the "
           "share of arcs whose reverse exists, igraph's default); the dyadic value "
           "(mutual pairs among tied pairs, sna's \"dyadic.nonnull\", UCINET's dyad-based "
           "reciprocity) is not printed and equals r / (2 − r). Degree centralisation is "
           "Freeman's on in-degree, over (n − 1)², not on total degree. Every test is a "
           "two-sided permutation test, p = (k + 1)/(B + 1) from at least 1,000 draws, "
           "with Benjamini–Hochberg q-values within the report; \"larger than chance\" "
           "means q < 0.05. The Gini is the classic one, from 0 to 1 − 1/n (not the "
           "corrected Gini, whose maximum is 1). The E-I's expected value and test are "
           "conditioned on the arcs respondents sent. Communities are compared with silos "
           "by adjusted mutual information, not NMI.",
           "reciprocity r = 2M / (2M + A); dyadic R_d = M / (M + A) = r / (2 − r)",
           f"{_doc('Comparison with UCINET and R')}."),
    Method("Non-respondents",
           "Non-respondents have no reported ties. For relations symmetric by nature the "
           "'union' rule may rebuild a non-respondent's ties from what others reported. "
           "Out-degree, out-strength and a member's own E-I use respondents only. Members "
           "nobody was asked about are 'not asked': their ties are unknown, not absent.",
           "union: add v→u for each reported u→v when v did not answer",
           f"{_doc('Non-respondents')}; Stork & Richards (1992), Group & Organization "
           "Management 17(2), 193–209; Huisman (2009), Journal of Social Structure 10(1).",
           undirected=("An undirected relation keeps every tie one member reported "
                       "with a non-respondent: an edge is a tie of both members.")),
    Method("E-I index",
           "Ties across silos (E) against ties within (I), for the whole network, each "
           "silo (ties its members sent) and each member. Its expected value is "
           "conditioned on who sent ties: it is the exact mean of the E-I over the "
           "relabellings the test draws, so it counts only the ties members could send "
           "from their stratum. The two-sided permutation test permutes silo labels "
           "within strata (respondents "
           "among respondents, non-respondents among non-respondents), a restricted "
           "permutation equivalent to QAP on the respondent rows, so that silos that "
           "answered less do not read as closed. The silos' response rates are shown "
           "beside the E-I.",
           "EI = (E − I) / (E + I); expected E = 1 − 2·Σ w·p_ab / Σ w over ties between "
           "strata a and b, p_ab = Σ_g c_ag·c_bg / (n_a·n_b) (a ≠ b) or "
           "Σ_g c_ag(c_ag − 1) / (n_a(n_a − 1)) (a = b), c_ag the members of silo g in "
           "stratum a",
           f"{_doc('Cross-silo ties')}; Krackhardt & Stern (1988), Social Psychology "
           "Quarterly 51(2), 123–140; Krackhardt (1988), Social Networks 10(4), 359–381.",
           undirected=("On an undirected relation each tie counts once in the whole-network "
                       "index and once from each end for silos and members.")),
    Method("Silo mixing matrix",
           "Ties from silo a to silo b, and their density: ties divided by possible pairs.",
           "d(a,b) = t(a→b) / (|a|·|b|), or / (|a|(|a|−1)) when a = b",
           f"{_doc('Cross-silo ties')}; Newman (2003), Physical Review E 67, 026126.",
           undirected=("On an undirected relation a tie counts for both its "
                       "members' silos, so the matrix is symmetric.")),
    Method("Attribute assortativity",
           "How much more members tie within their silo than random mixing would give "
           "(1 = only within, 0 = random).",
           "r = (Σ e_aa − Σ a_a b_a) / (1 − Σ a_a b_a)",
           "Newman (2003), Mixing patterns in networks, Physical Review E 67, 026126."),
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
           "harmonic closeness (incoming distances, ÷ (n − 1)), core number (total "
           "degree). Weights are tie strengths, not distances, so path-based measures are "
           "unweighted.",
           "b(v) = Σ σ_st(v)/σ_st ÷ ((n−1)(n−2)); h(v) = Σ 1/d(u,v) ÷ (n−1)",
           f"{_doc('Centrality')}; Brandes (2001), J. Mathematical Sociology 25(2), "
           "163–177; Page, Brin, Motwani & Winograd (1999), The PageRank citation "
           "ranking, Stanford InfoLab technical report; Opsahl, Agneessens & Skvoretz "
           "(2010), Social Networks 32(3), 245–251; Marchiori & Latora (2000), Physica A "
           "285, 539–546; Seidman (1983), Social Networks 5(3), 269–287.",
           undirected=("On an undirected relation ties received and reported are both a "
                       "member's contacts (degree, strength), and betweenness (over "
                       "(n − 1)(n − 2)/2), PageRank and closeness are their undirected "
                       "forms.")),
    Method("Group share and parity ratio",
           "A group's share of a centrality divided by its share of the membership. 1.0: "
           "in proportion to its numbers; below 1, under-central.",
           "P_G = (Σ_{v∈G} c(v) / Σ_v c(v)) / (|G| / n)", f"{_doc('Power parity')}."),
    Method("Group difference",
           "Difference of a centrality's mean between a group and everyone else, with a "
           "two-sided node-label permutation p-value (no t-tests: network data are not "
           "independent).",
           "D = mean_G − mean_rest; p = (1 + #{|D_b| ≥ |D|}) / (1 + B)",
           f"{_doc('Power parity')}; Borgatti, Everett & Johnson (2018), Analyzing Social "
           "Networks, 2nd ed., ch. 8."),
    Method("Concentration",
           "Gini coefficient of a centrality: the classic (population) Gini, 0 when "
           "everyone holds the same and at most 1 − 1/n, reached when one member holds "
           "everything (0.95 for 20 members); it is not the corrected Gini "
           "(× n/(n − 1)), whose maximum is 1. Freeman's degree centralisation on "
           "in-degree (concentration of being named), over (n − 1)²: 1 for a star where "
           "everyone names one member, 0 when all are named equally; on an undirected "
           "relation, Freeman's undirected one, over (n − 1)(n − 2).",
           "G = Σ_i Σ_j |x_i − x_j| / (2 n² x̄), 0 ≤ G ≤ 1 − 1/n; "
           "C = Σ_v (k_in,max − k_in(v)) / (n − 1)²; undirected "
           "C = Σ_v (k_max − k(v)) / ((n − 1)(n − 2))",
           f"{_doc('Concentration')}; Freeman (1978/79), Social Networks 1(3), 215–239; "
           "Gini (1912), Variabilità e mutabilità."),
    Method("Decision influence",
           "From the decision survey: u→v when u named v as shaping a decision, weighted by "
           "the number of decisions. Influence share, decision parity ratio, Gini of "
           "influence (0: equally influential; 1 − 1/n: one person named for everything); "
           "participation and 'my input shaped the outcome' by group, and the voice gap "
           "(group mean minus everyone else's).",
           "share(v) = s_in(v) / Σ s_in; gap = mean_G − mean_rest",
           f"{_doc('Decision influence')}; Krackhardt (1990), Administrative Science "
           "Quarterly 35(2), 342–369."),
    Method("Whole-network structure",
           "Density, reciprocity, transitivity, average clustering, weak components and "
           "the share in the largest, its average path length and diameter, "
           "fragmentation, degree centralisation. Transitivity, clustering, average path "
           "length and diameter use the undirected projection (u and v tied when either "
           "named the other; paths within the largest weak component): a tie reported by "
           "one side is still a tie. Fragmentation follows the directed arcs. "
           "Reciprocity is counted by arcs, the share of arcs u→v whose reverse v→u "
           "exists, and that is the number the report shows; the dyadic reciprocity, "
           "the share of tied pairs that are mutual, is not shown and follows from it. "
           "Degree centralisation is on in-degree.",
           "density = m / (n(n − 1)); reciprocity r = 2M / (2M + A) (M mutual pairs, "
           "A one-way pairs); dyadic R_d = M / (M + A) = r / (2 − r); "
           "F = 1 − reachable ordered pairs / (n(n−1))",
           f"{_doc('Whole-network structure')}; Wasserman & Faust (1994); Watts & Strogatz "
           "(1998), Nature 393, 440–442; Borgatti (2006), Computational and Mathematical "
           "Organization Theory 12(1), 21–34.",
           undirected=("On an undirected relation density is ties over "
                       "unordered pairs, m / (n(n − 1)/2), and reciprocity is not measured: "
                       "every tie is mutual by construction.")),
    Method("Communities",
           "Leiden (igraph, modularity objective; a refinement of Louvain whose communities "
           "are always connected) on the undirected weighted projection (w(u,v) = w(u→v) "
           "+ w(v→u)), run from several seeds derived from the report's seed (10, fewer "
           "above 30,000 ties: the run count and the spread of modularity are reported), "
           "keeping the partition with the best modularity; its modularity, the silo "
           "partition's modularity, and the "
           "adjusted mutual information (AMI, corrected for chance) between communities "
           "and silos, with isolates left out (high = communities mirror silos). NMI is "
           "not used: it is biased upward on small networks.",
           "Q = Σ_c [L_c/m − (d_c/2m)²]; AMI = (I(C;S) − E[I]) / (mean(H(C), H(S)) − E[I])",
           f"{_doc('Communities')}; Traag, Waltman & van Eck (2019), Scientific Reports 9, "
           "5233; Blondel, Guillaume, Lambiotte & Lefebvre (2008), "
           "J. Stat. Mech. P10008; Newman & Girvan (2004), Physical Review E 69, 026113; "
           "Vinh, Epps & Bailey (2010), Journal of Machine Learning Research 11, "
           "2837–2854; Good, de Montjoye & Clauset (2010), Physical Review E 81, 046106.",
           undirected=("An undirected relation is used as it is (each tie once).")),
    Method("Permutation tests and p-values",
           "Every test is two-sided: a draw counts when it is at least as far from the "
           "null's centre (the expected value, or no change) as the observed value. "
           "A p-value is printed only from at least 1,000 draws (analysis.permutations; "
           "0 means not tested). A test whose null cannot reach p ≤ 0.05 is reported as "
           "'not testable with these data', never 'within noise'.",
           "p = (k + 1) / (B + 1), k draws at least as extreme among B ≥ 1,000",
           f"{_doc('Tests and p-values')}; Phipson & Smyth (2010), Statistical "
           "Applications in Genetics and Molecular Biology 9(1), article 39; Good (2005), "
           "Permutation, Parametric and Bootstrap Tests of Hypotheses, 3rd ed."),
    Method("Many tests at once",
           "The report states how many tests it ran. Benjamini–Hochberg q-values (false "
           "discovery rate) are given beside the p-values, within each report's family "
           "of tests; what the report calls larger than chance is what has q < 0.05.",
           "q_(i) = min_{j ≥ i} (m / j) · p_(j), p sorted ascending, m tests",
           f"{_doc('Tests and p-values')}; Benjamini & Hochberg (1995), Journal of the "
           "Royal Statistical Society B 57(1), 289–300."),
    Method("Change between waves",
           "Members are matched by roster id; changes are shown on all members and on "
           "stayers (members present in every compared wave). 'Nothing changed' means "
           "each dyad's tie state is exchangeable between waves: the test swaps the two "
           "waves' tie states dyad by dyad among stayers (a dyad-level swap null) and "
           "recomputes the change. Density, out-degree and other measures built on "
           "out-ties are compared on members who answered in both waves. Group-level "
           "measures shuffle group labels among stayers, the same shuffle in every wave.",
           "Δ = s(wave 2) − s(wave 1); swap: (A¹_uv, A²_uv) ↔ (A²_uv, A¹_uv) with "
           "probability ½ for each pair of stayers",
           f"{_doc('Change between waves')}; Good (2005), Permutation, Parametric and "
           "Bootstrap Tests of Hypotheses, 3rd ed."),
    Method("Small groups and measures not measured",
           "Groups under 5 members (analysis.small_group) are flagged in every table and "
           "chart. Groups under 3 (analysis.suppress_group) are suppressed from every "
           "shared view, and their p-values are withheld in the evaluator view too. A "
           "measure undefined on the data (no ties, one silo, an empty group, nothing "
           "varies) is 'not measured' with its reason, never a score or zero.",
           "flag |G| < 5; suppress |G| < 3",
           f"{_doc('Small groups and measures not measured')}."),
    Method("Weaver's worklist",
           "In touch = a tie in a contact relation (collaboration, knows, advice, trust; "
           "a study without one falls back to relations without a role, then to all, and "
           "the worklist says so). "
           "Isolates, pendants, members outside the main component or without cross-silo "
           "contacts, gatekeepers (block–cut tree), articulation points, periphery (core ≤ "
           "1). Introductions in two kinds: bridges between the sparsest silo pairs (pairs "
           "sharing at most one contact, favouring peripheral and focus-group members, "
           "introduced by the member best placed, whom each reason names with whom they "
           "know) and triangles (both answered, neither named the other in a contact "
           "relation, introduced by a shared contact).",
           "triangle score = Σ_z 1/log k_z · (1 + ½[u∈F] + ½[w∈F]) · c / (1 + min(k_u, "
           "k_w)); bridge score = 1 − density of the silo pair",
           _doc("Weaver's worklist") + "; Krebs & Holley (2006), Building Smart "
           "Communities through Network Weaving; Adamic & Adar (2003), Social Networks "
           "25(3), 211–230; Hopcroft & Tarjan (1973), Communications of the ACM 16(6), "
           "372–378."),
    Method("Trust and value scores",
           "Partners rated on trust (reliability, openness, mission) and value (power, "
           "involvement, resources): each rating a share of the scale's maximum, a pair's "
           "score the mean of its facets, a member's the mean of the pairs who rated them, "
           "the network's the mean of all pairs. Focus groups: parity of the score "
           "received and a node-label permutation test, q-values over these tests.",
           "pair = mean_f r_f / h_f; member = mean over raters; network = mean over pairs",
           _doc("Trust and value scores") + "; Varda, Chandra, Stern & Lurie (2008), J "
           "Public Health Management and Practice 14(5); Varda & Retrum (2012), J Public "
           "Health Research 1(2), 170–176."),
    Method("Dyadic agreement",
           "Where both members of a pair rated each other: the pairwise intraclass "
           "correlation of the two ratings, their mean absolute difference, and the pairs "
           "whose ratings differ by half the scale's range or more.",
           "ICC = Pearson r over pairs entered twice, (x, y) and (y, x)",
           _doc("Dyadic agreement") + "; Griffin & Gonzalez (1995), Psychological "
           "Bulletin 118(3), 430–439."),
    Method("Indicators",
           "Each evidence item's values are scored 0–100 by the rule shown beside it; an "
           "indicator is the weighted mean of its measured items. Bands: Emerging < 40 ≤ "
           "Developing < 70 ≤ Strong (configurable). Items without data are not measured.",
           "score = Σ w_i s_i / Σ w_i over measured items",
           f"{_doc('Indicators')}; Marchant, Georgopoulos & Golson-Mickens (2024), "
           "Collective Power Framework and Indicators, Innovation Network."),
    Method("Blau index", "Diversity of silos, normalised by its maximum.",
           "B = (1 − Σ p_k²) / (1 − 1/K)",
           "Blau (1977), Inequality and Heterogeneity, Free Press."),
)

#: For a wave comparison, before :data:`METHODS` (whose "Change between waves" entry
#: states the tests): how members are matched across waves.
WAVE_METHODS = (
    Method("Members compared",
           "Members are matched across waves by roster id. Each measure is shown on all "
           "members of each wave and, separately, on members present in every compared "
           "wave, where a change cannot come from who joined or left. Anything built on "
           "reported ties uses the ties observed in every wave: those sent by members "
           "present throughout who answered in every wave (a directed relation: to any "
           "member present throughout; an undirected relation: among those who answered), "
           "so a member going silent does not read as ties lost. Voice and perception gaps "
           "use the members who answered in every wave.",
           "stayers = V_1 ∩ … ∩ V_k; senders = stayers who answered in every wave",
           f"{_doc('Non-respondents')}; {_doc('Change between waves')}."),
    Method("Permutation tests of change",
           "Group labels: the group's labels are shuffled among the members compared, the "
           "same shuffle in every wave (parity ratios, voice and perception gaps). Dyad "
           "swap: each pair of members' tie state (a directed relation's two arcs "
           "together) is swapped between the first and the last wave with probability ½ "
           "and the statistic recomputed from the swapped ties (E-I index, density, "
           "degree centralisation, whose in-degrees are recomputed). Paired swap: each "
           "member's shares are swapped between the waves (Gini of decision influence). "
           "Two-sided; a test whose null cannot reach p ≤ 0.05 is not testable with "
           "these data and shows no p-value.",
           "p = (1 + #{|Δ_b| ≥ |Δ|}) / (1 + B)",
           "Good (2005), Permutation, Parametric and Bootstrap Tests of Hypotheses; "
           "Phipson & Smyth (2010), SAGMB 9."),
    Method("Many tests",
           "Every p-value gets a Benjamini–Hochberg q-value within the comparison's tests "
           "(the false discovery rate); a change is called larger than chance only when "
           "q < 0.05. Draws per test: 20·m/0.05 for m tests unless set.",
           "q_(i) = min_{j ≥ i} min(1, p_(j) · m / j)",
           "Benjamini & Hochberg (1995), JRSS B 57."),
    Method("Gini of decision influence",
           "Compared on per-decision shares: each member's share of each decision's "
           "nominations, averaged over the wave's decisions, and only between waves "
           "that asked about as many decisions (a count pooled over more decisions is "
           "more even by construction).",
           "x_i = (1/D) Σ_d c_id / Σ_j c_jd;  G = Σ_i Σ_j |x_i − x_j| / (2 n² x̄)",
           f"{_doc('Decision influence')}."),
    Method("Small groups",
           "A focus group with fewer than 5 members compared is flagged (n = …, read with "
           "care) in the tables; "
           "with fewer than 3 its p- and q-values are withheld, and shared (retreat) "
           "views leave it out altogether.",
           "flag: n_G < small_group; withhold: n_G < suppress_group",
           f"{_doc('Small groups and measures not measured')}."),
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
