"""The weaver's worklist (docs/methods.md §Weaver's worklist) on hand-drawn graphs whose
answers are worked
out in the comments, the suggested-introduction score computed by hand, and properties
that hold on any graph.

Gatekeepers come from the block–cut tree of the main component, rooted at its weighted
centroid (the tree node whose removal leaves no part with more than half the members;
ties favour a block). Each hand-drawn case below spells out the tree and the root.
"""

from __future__ import annotations

import itertools

import networkx as nx
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cpower_network as cp
from cpower_network.weave import INTRODUCTION_COLUMNS, silo_gaps, study_worklist, worklist


def graph(edges, silos, nodes=(), directed=False, **attributes):
    """An (un)directed graph with a ``silo`` for every node and optional attributes."""
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(silos)
    G.add_nodes_from(nodes)
    G.add_edges_from(edges)
    nx.set_node_attributes(G, silos, "silo")
    for name, values in attributes.items():
        nx.set_node_attributes(G, values, name)
    return G


def pairs(frame: pd.DataFrame) -> set[frozenset[str]]:
    return {frozenset(p) for p in zip(frame["member"], frame["suggested"], strict=True)}


# ---------------------------------------------------------------------------------------
# Disconnected members
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def mixed():
    """A triangle a, b, c with a tail c–d–e; a separate pair f–g; an isolate h.

    silos: a, b, f, g in X; c, d, e in Y; h in Z.
    """
    silos = {"a": "X", "b": "X", "c": "Y", "d": "Y", "e": "Y", "f": "X", "g": "X",
             "h": "Z"}
    G = graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("f", "g")],
              silos)
    return worklist(G)


def test_isolates_pendants_and_outside_main(mixed):
    assert mixed.isolates == ["h"]
    assert mixed.pendants == ["e", "f", "g"]           # one contact each
    assert mixed.outside_main == ["f", "g"]            # isolates are listed separately


def test_no_cross_silo_tie(mixed):
    # a, b (X) and c (Y) are tied to each other across silos; d and e only know Y members;
    # f and g only know each other (X); h has no tie at all and is an isolate instead.
    assert mixed.no_cross_silo == ["d", "e", "f", "g"]


def test_periphery_is_core_one_or_less(mixed):
    # the triangle is the 2-core; the tail, the pair and the isolate are not
    assert mixed.periphery == ["d", "e", "f", "g", "h"]


def test_gatekeepers_of_a_triangle_with_a_tail(mixed):
    # block–cut tree: {a,b,c} – c – {c,d} – d – {d,e}; weights 2, 1, 0, 1, 1 (total 5).
    # Removing c leaves parts of 2 and 2, every other node a part of 3: the root is c.
    assert mixed.gatekeepers == {"a": "c", "b": "c", "d": "c", "e": "d"}
    assert mixed.articulation_points["cut_off"].to_dict() == {"c": 4, "d": 1}
    assert list(mixed.articulation_points.index) == ["c", "d"]   # most cut off first


def test_star_every_leaf_depends_on_the_hub():
    leaves = ["l1", "l2", "l3", "l4", "l5"]
    G = graph([("hub", leaf) for leaf in leaves],
              {"hub": "X", **dict.fromkeys(leaves, "Y")})
    w = worklist(G)
    assert w.gatekeepers == dict.fromkeys(leaves, "hub")
    assert w.articulation_points["cut_off"].to_dict() == {"hub": 5}
    assert w.pendants == leaves
    assert w.periphery == ["hub", *leaves]            # a star is a 1-core


def test_path_depends_towards_its_middle():
    # a–b–c–d–e: tree {a,b} – b – {b,c} – c – {c,d} – d – {d,e}; removing c leaves 2 + 2.
    G = graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")],
              dict(zip("abcde", "XYXYX", strict=True)))
    w = worklist(G)
    assert w.gatekeepers == {"a": "b", "b": "c", "d": "c", "e": "d"}
    assert w.articulation_points["cut_off"].to_dict() == {"c": 4, "b": 1, "d": 1}
    assert w.pendants == ["a", "e"]
    assert w.periphery == list("abcde")


def test_even_path_is_rooted_at_its_middle_tie():
    # a–b–c–d: the block {b,c}, b and c each leave parts of at most 2; ties favour a block.
    G = graph([("a", "b"), ("b", "c"), ("c", "d")], dict(zip("abcd", "XYXY", strict=True)))
    w = worklist(G)
    assert w.gatekeepers == {"a": "b", "d": "c"}
    assert w.articulation_points["cut_off"].to_dict() == {"b": 1, "c": 1}


def test_two_triangles_joined_by_a_bridge():
    # {a,b,c} – c – {c,d} – d – {d,e,f}: the bridge block leaves 3 + 3, the root.
    G = graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"),
               ("d", "e"), ("e", "f"), ("f", "d")], dict(zip("abcdef", "XXXYYY", strict=True)))
    w = worklist(G)
    assert w.gatekeepers == {"a": "c", "b": "c", "e": "d", "f": "d"}
    assert w.articulation_points["cut_off"].to_dict() == {"c": 2, "d": 2}
    assert w.pendants == [] and w.periphery == []
    assert w.no_cross_silo == ["a", "b", "e", "f"]    # only c and d reach across


def test_no_articulation_point():
    G = graph(nx.cycle_graph(6).edges(), {i: "XY"[i % 2] for i in range(6)})
    G.add_edge(0, 3)
    w = worklist(G)
    assert w.gatekeepers == {}
    assert w.articulation_points.empty
    assert list(w.articulation_points.columns) == ["cut_off"]
    assert w.isolates == w.pendants == w.outside_main == w.periphery == []


def test_directed_ties_count_either_way():
    # a reported b, c reported b: read undirected, b is the hub of a three-member path
    G = graph([("a", "b"), ("c", "b")], {"a": "X", "b": "Y", "c": "Z"}, directed=True)
    w = worklist(G)
    assert w.pendants == ["a", "c"]
    assert w.gatekeepers == {"a": "b", "c": "b"}


def test_empty_and_edgeless_graphs():
    w = worklist(graph([], {"a": "X", "b": "Y"}))
    assert w.isolates == ["a", "b"] and w.periphery == ["a", "b"]
    assert w.gatekeepers == {}
    assert list(w.introductions.columns) == INTRODUCTION_COLUMNS
    # no tie at all: nothing to close; a and b, both isolates, are bridged to each other
    assert w.introductions[["kind", "member", "suggested", "introducer"]].values.tolist() \
        == [["bridge", "a", "b", None]]
    assert worklist(nx.Graph()).isolates == []


def test_missing_silo_is_a_graph_error():
    G = graph([("a", "b")], {"a": "X"})
    with pytest.raises(cp.GraphError, match="node 'b' has no 'silo' attribute"):
        worklist(G)


# ---------------------------------------------------------------------------------------
# Silo gaps
# ---------------------------------------------------------------------------------------
SILOS = {"x1": "X", "x2": "X", "y1": "Y", "y2": "Y", "y3": "Y", "z": "Z"}


def test_silo_gaps_directed_by_hand():
    G = graph([("x1", "y1"), ("y1", "x1"), ("x2", "y2"), ("y1", "z"), ("x1", "x2")],
              SILOS, directed=True)
    gaps = silo_gaps(G)
    # pairs in touch, however many arcs tie them: X–Y {x1, y1} (reported both ways, one
    # pair) and {x2, y2}: 2 of 2·3 = 6; Y–Z {y1, z}: 1 of 3; X–Z: 0 of 2
    assert gaps.values.tolist() == [
        ["X", "Z", 0, 2, 0.0],
        ["X", "Y", 2, 6, pytest.approx(1 / 3)],
        ["Y", "Z", 1, 3, pytest.approx(1 / 3)]]


def test_silo_gaps_undirected_by_hand():
    G = graph([("x1", "y1"), ("x2", "y2"), ("y1", "z"), ("x1", "x2")], SILOS)
    gaps = silo_gaps(G)
    # X–Y: 2 of 6, Y–Z: 1 of 3 (equal densities: the larger pair first), X–Z: 0 of 2
    assert gaps.values.tolist() == [
        ["X", "Z", 0, 2, 0.0],
        ["X", "Y", 2, 6, pytest.approx(1 / 3)],
        ["Y", "Z", 1, 3, pytest.approx(1 / 3)]]
    assert list(gaps.columns) == ["silo_a", "silo_b", "ties", "possible", "density"]


def test_worklist_carries_silo_gaps(mixed):
    # X = a, b, f, g; Y = c, d, e; Z = h. X–Y ties: b–c, c–a: 2 of 12.
    gaps = mixed.silo_gaps.set_index(["silo_a", "silo_b"])
    assert gaps.loc[("X", "Y"), "ties"] == 2
    assert gaps.loc[("X", "Y"), "density"] == pytest.approx(2 / 12)
    assert gaps.loc[("X", "Z"), "density"] == 0 and gaps.loc[("Y", "Z"), "density"] == 0


# ---------------------------------------------------------------------------------------
# The bundled study
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def example():
    return cp.load_study(cp.example_study_path())


@pytest.fixture(scope="module")
def found_2024(example):
    return study_worklist(example, wave="2024")


def test_example_isolates_2024(found_2024):
    assert [found_2024.name(m) for m in found_2024.worklist.isolates] == [
        "William Foster", "Denise Howard", "Crystal Begay"]
    assert found_2024.relation == "Work together, Trust or Go to for advice"
    assert found_2024.wave == "2024"
    assert found_2024.graph.number_of_nodes() == 70


def test_example_introductions_table(found_2024, example):
    table = found_2024.introductions()
    assert list(table.columns) == [
        "kind", "member_id", "member", "member_silo", "member_answered", "suggested_id",
        "suggested", "suggested_silo", "suggested_answered", "introducer_id", "introducer",
        "shared_contacts", "score", "reason"]
    assert set(table["kind"]) == {"bridge", "triangle"}
    roster = example.roster
    assert (table["member"] == roster.loc[table["member_id"], "name"].to_numpy()).all()
    G = found_2024.graph
    assert not any(G.has_edge(u, v) or G.has_edge(v, u)
                   for u, v in zip(table["member_id"], table["suggested_id"], strict=True))
    triangles = table[table["kind"] == "triangle"]
    assert (triangles["shared_contacts"] >= 1).all()
    assert triangles["score"].is_monotonic_decreasing
    assert triangles["member_answered"].all() and triangles["suggested_answered"].all()
    bridges = table[table["kind"] == "bridge"]
    assert (bridges["member_silo"] != bridges["suggested_silo"]).all()
    assert (bridges["shared_contacts"] <= 1).all()


def test_example_focus_groups_are_favoured(found_2024, example):
    roster = example.roster
    focus = {m for m in found_2024.graph
             if roster.at[m, "lived_experience"] or roster.at[m, "grassroots"]}
    assert focus and focus <= set(found_2024.worklist.favoured)


def test_example_one_relation(example):
    found = study_worklist(example, wave="2025", relation="advice", top=1)
    assert found.relation == "advice"
    assert found.graph.graph["relation"] == "advice"
    # advice is sparse: far more members are isolated than on any tie
    anything = study_worklist(example, wave="2025")
    assert len(found.worklist.isolates) > len(anything.worklist.isolates)


def test_example_progress_messages(example):
    said = []
    study_worklist(example, wave="2024", progress=said.append)
    assert said == ["building the graphs of wave 2024",
                    "finding gatekeepers and articulation points",
                    "choosing suggested introductions"]


def test_example_unknown_relation(example):
    with pytest.raises(cp.UsageError, match="no relation 'trst'"):
        study_worklist(example, relation="trst")


# ---------------------------------------------------------------------------------------
# Properties on any graph
# ---------------------------------------------------------------------------------------
@st.composite
def silo_graphs(draw):
    n = draw(st.integers(min_value=1, max_value=11))
    nodes = [f"n{i:02d}" for i in range(n)]
    possible = list(itertools.combinations(nodes, 2))
    edges = draw(st.lists(st.sampled_from(possible), unique=True,
                          max_size=len(possible))) if possible else []
    silos = {v: draw(st.sampled_from("XYZ")) for v in nodes}
    focus = {v: draw(st.booleans()) for v in nodes}
    return graph(edges, silos, nodes=nodes, focus=focus)


def main_component(U: nx.Graph) -> set:
    components = sorted(nx.connected_components(U), key=lambda c: (-len(c), min(c)))
    return components[0]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(silo_graphs())
def test_gatekeepers_follow_the_block_cut_tree(G):
    w = worklist(G)
    degree = dict(G.degree())
    assert w.isolates == [v for v in G if degree[v] == 0]
    assert w.pendants == [v for v in G if degree[v] == 1]
    main = main_component(G) if len(G) else set()
    sub = G.subgraph(main)
    points = set(nx.articulation_points(sub)) if sub.number_of_edges() else set()
    assert set(w.articulation_points.index) == points
    if not points:
        assert w.gatekeepers == {}
        return
    keys = set(w.gatekeepers)
    assert keys <= main
    for v, g in w.gatekeepers.items():
        assert g in points and g != v
        # all of v's ties to the larger rest run through g: without g, v's side is at
        # most half the main component
        rest = sub.subgraph(main - {g})
        assert len(nx.node_connected_component(rest, v)) <= len(main) / 2
    # the members who depend on nobody are the root of the tree: one articulation point,
    # or members of one biconnected block (never a member outside it)
    root = main - keys
    assert root
    blocks = [set(b) for b in nx.biconnected_components(sub)]
    assert (len(root) == 1 and root <= points) or any(root <= b for b in blocks)
    # a pendant of the main component depends on its only contact
    for v in main:
        if degree[v] == 1 and len(main) > 2:
            assert w.gatekeepers[v] == next(iter(G[v]))
    # cut_off counts the members separated from the root when the point leaves
    for p, row in w.articulation_points.iterrows():
        anchor = root - {p}
        rest = sub.subgraph(main - {p})
        if not anchor:
            expected = len(main) - 1
        else:
            reach = nx.node_connected_component(rest, next(iter(anchor)))
            expected = len(main) - 1 - len(reach)
        assert row["cut_off"] == expected, (p, dict(w.gatekeepers))
