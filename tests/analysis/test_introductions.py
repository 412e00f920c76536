"""Suggested introductions (docs/methods.md §Weaver's worklist): the weaver's two moves.

* close a triangle: both answered, neither named the other, a shared contact introduces;
* bridge a gap: members of the sparsest silo pairs who share at most one contact,
  introduced by someone who knows both sides; then every peripheral member gets one.

Hand-drawn graphs with the expected suggestions worked out in comments, the example
study's bridges, and properties on any graph.
"""

from __future__ import annotations

import itertools
import math
import statistics

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cpower_network as cp
from cpower_network.graphs import build_graph, contact_graph
from cpower_network.weave import INTRODUCTION_COLUMNS, study_worklist, worklist
from cpower_network.weave.introductions import MAX_SHARED_FOR_BRIDGE, PER_GAP


def graph(edges, silos, **attributes):
    G = nx.Graph()
    G.add_nodes_from(silos)
    G.add_edges_from(edges)
    nx.set_node_attributes(G, silos, "silo")
    for name, values in attributes.items():
        nx.set_node_attributes(G, values, name)
    return G


def rows(frame, *columns):
    return frame[list(columns)].values.tolist()


# ---------------------------------------------------------------------------------------
# Close a triangle
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def diamond():
    """u (A) and w (B) share z1 and z2 (both C); x (C) hangs off z1; w is in focus group
    "lived".

    Degrees: u 2, w 2, z1 3, z2 2, x 1. The 4-cycle u z1 w z2 is the 2-core; x (core 1)
    is peripheral. Favoured: x (periphery) and w (focus).
    """
    return graph([("u", "z1"), ("u", "z2"), ("w", "z1"), ("w", "z2"), ("z1", "x")],
                 {"u": "A", "w": "B", "z1": "C", "z2": "C", "x": "C"},
                 name={"u": "Una", "w": "Wes", "z1": "Ana Ruiz", "z2": "Kim Tran",
                       "x": "Xi"},
                 lived={"w": True})


# triangle score = AA · (1 + ½[u∈F] + ½[w∈F]) · c / (1 + min(k_u, k_w)),
# AA = Σ_shared 1/ln k_z, c = 1 across silos (every pair below is)
SCORE_UW = (1 / math.log(3) + 1 / math.log(2)) * 1.5 / 3    # w favoured, both k = 2
SCORE_WX = (1 / math.log(3)) * 2.0 / 2                      # both favoured, k_x = 1


def test_diamond_suggestions_by_hand(diamond):
    found = worklist(diamond, focus=["lived"], focus_labels={"lived": "Lived experience"})
    frame = found.introductions
    assert list(frame.columns) == INTRODUCTION_COLUMNS
    # Silo gaps: A–B 0 of 1 in touch, A–C 2 of 3, B–C 2 of 3; across silos 4 of 7 (0.571),
    # so only A–B is sparse. u and w share z1 and z2: more than one contact, not a bridge.
    # x (core 1) is peripheral and in no bridge: paired with the silo its own (C) is
    # least in touch with, A (first of the tied A–C and B–C): u, through z1 (shared).
    # The triangle u–x is then not repeated; z1–z2 share contacts but are one silo and
    # not favoured, so no triangle.
    assert rows(frame, "kind", "member", "suggested", "introducer") == [
        ["bridge", "x", "u", "z1"],
        ["triangle", "u", "w", "z1"],
        ["triangle", "w", "x", "z1"]]
    assert frame["score"].tolist() == pytest.approx([1 - 2 / 3, SCORE_UW, SCORE_WX],
                                                    abs=1e-6)
    assert frame["shared"].tolist() == [["z1"], ["z1", "z2"], ["z1"]]
    assert frame["reason"].tolist() == [
        "C and A: 2 of 3 pairs of their members in touch; Xi: a single contact; ask Ana "
        "Ruiz, who knows both of them, to introduce them",
        "both are in touch with Ana Ruiz and 1 other: ask Ana Ruiz to introduce them; "
        "Wes: focus group Lived experience",
        "both are in touch with Ana Ruiz: ask Ana Ruiz to introduce them; Wes: focus group "
        "Lived experience; Xi: a single contact"]


def test_the_introducer_is_the_shared_contact_most_strongly_tied_to_both():
    # p and q share h1 (tied to each by 1 relation) and h2 (by 3 and 2): h2's weaker tie
    # (2) beats h1's (1), although h1 comes first on the roster.
    G = graph([("p", "h1"), ("q", "h1")], {"p": "X", "q": "Y", "h1": "Z", "h2": "Z"})
    G.add_edge("p", "h2", weight=3.0)
    G.add_edge("q", "h2", weight=2.0)
    triangle = worklist(G).introductions_of("triangle")
    assert rows(triangle, "member", "suggested", "introducer") == [["p", "q", "h2"]]


def test_a_triangle_needs_both_to_have_answered():
    # a and b share m; b did not answer, so whether a and b are in touch is unknown
    G = graph([("a", "m"), ("m", "b")], {"a": "X", "b": "Y", "m": "Z"},
              respondent={"a": True, "m": True, "b": False})
    found = worklist(G)
    assert found.introductions_of("triangle").empty
    assert found.did_not_answer == ["b"]
    # ... but b is peripheral (core 1) and still gets a bridge, marked as not answered
    bridges = found.introductions_of("bridge")
    assert ["b", False] in rows(bridges, "suggested", "suggested_answered") + \
        rows(bridges, "member", "member_answered")
    assert any("did not answer" in reason for reason in bridges["reason"])


def test_same_silo_triangles_only_for_favoured_members():
    # a1, a2 (silo A) share m: not favoured, no triangle within one silo; with a2 in a
    # focus group, suggested at half the cross-silo score
    edges = [("a1", "m"), ("a2", "m"), ("a1", "k"), ("a2", "k"), ("m", "k")]
    silos = {"a1": "A", "a2": "A", "m": "B", "k": "B"}
    assert worklist(graph(edges, silos)).introductions_of("triangle").empty
    G = graph(edges, silos, focus={"a2": True})
    triangle = worklist(G, focus=["focus"]).introductions_of("triangle")
    # AA over m and k (degree 3 each) = 2/ln 3; boost 1.5; c = ½; 1 + min(2, 2) = 3
    assert rows(triangle, "member", "suggested") == [["a1", "a2"]]
    assert triangle["score"].iloc[0] == pytest.approx(2 / math.log(3) * 1.5 * 0.5 / 3,
                                                      abs=1e-6)


# ---------------------------------------------------------------------------------------
# Bridge a gap
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def three_silos():
    """Silos X (x1–x4), Y (y1–y4), Z (z1–z2). Every X–Z and Y–Z pair is in touch except
    x4–z2, X and Y only through x1–y1; within each silo a path.

    In touch across silos: X–Y 1 of 16 (0.0625), X–Z 7 of 8, Y–Z 8 of 8; overall 16 of
    32 (0.5): X–Y is the one sparse pair.
    """
    silos = {**{f"x{i}": "X" for i in range(1, 5)}, **{f"y{i}": "Y" for i in range(1, 5)},
             "z1": "Z", "z2": "Z"}
    edges = [("x1", "x2"), ("x2", "x3"), ("x3", "x4"), ("y1", "y2"), ("y2", "y3"),
             ("y3", "y4"), ("x1", "y1"), ("z1", "z2")]
    edges += [(v, z) for v in silos if v[0] in "xy" for z in ("z1", "z2")
              if (v, z) != ("x4", "z2")]
    return graph(edges, silos)


def test_bridges_go_to_the_sparsest_silo_pair(three_silos):
    bridges = worklist(three_silos).introductions_of("bridge")
    pairs = rows(bridges, "member", "suggested")
    assert all({three_silos.nodes[u]["silo"], three_silos.nodes[w]["silo"]} == {"X", "Y"}
               for u, w in pairs)
    # every member in at most one bridge of the gap, none already in touch (x1–y1), and
    # every pair shares at most one contact; here each shares z1 or z2 with the other,
    # so every pair shares two, except pairs with x4 (only z1): x4 is the only candidate
    for u, w in pairs:
        shared = set(three_silos[u]) & set(three_silos[w])
        assert len(shared) <= MAX_SHARED_FOR_BRIDGE and not three_silos.has_edge(u, w)
    assert pairs == [["x4", "y2"]]       # y1 is tied to x1: y2 has fewest ties into X
    assert bridges["introducer"].tolist() == ["z1"]       # the one shared contact
    assert bridges["score"].tolist() == pytest.approx([1 - 1 / 16])


def test_at_most_per_gap_bridges_each_member_once():
    # two silos of 8 with no tie between them, each a path: 8 candidate pairs, PER_GAP kept
    silos = {**{f"a{i}": "A" for i in range(8)}, **{f"b{i}": "B" for i in range(8)}}
    edges = [(f"a{i}", f"a{i + 1}") for i in range(7)] + \
        [(f"b{i}", f"b{i + 1}") for i in range(7)]
    bridges = worklist(graph(edges, silos)).introductions_of("bridge")
    gap = bridges.head(PER_GAP)
    assert len(set(gap["member"])) == len(gap) and len(set(gap["suggested"])) == len(gap)
    # favoured (core ≤ 1, every path member) and nobody knows both sides
    assert gap["introducer"].isna().all()
    assert gap["reason"].str.endswith("nobody in the network knows people on both sides: "
                                      "introduce them yourself").all()


def test_influence_alone_does_not_put_members_in_touch():
    study = cp.load_study(cp.example_study_path())
    G = contact_graph(study, "2025")
    assert G.graph["in_touch"] == ["Work together", "Trust", "Go to for advice"]
    influence = build_graph(study, "influence", "2025")
    only_influence = [(u, v) for u, v in influence.edges() if not G.has_edge(u, v)
                      and not G.has_edge(v, u)]
    assert only_influence  # naming someone as influential is not being in touch


def test_example_bridges_close_the_gap_the_report_names():
    # The report's finding: Funders and Parents with lived experience, 1 of 120 pairs in
    # touch in 2025, the fewest of any two silos. Its bridges come first.
    found = study_worklist(cp.load_study(cp.example_study_path()), wave="2025")
    gaps = found.worklist.silo_gaps
    assert (gaps.iloc[0]["silo_a"], gaps.iloc[0]["silo_b"]) == (
        "Funders", "Parents with lived experience")
    table = found.introductions()
    bridges = table[table["kind"] == "bridge"]
    first = bridges.head(PER_GAP)
    assert all({a, b} == {"Funders", "Parents with lived experience"}
               for a, b in zip(first["member_silo"], first["suggested_silo"], strict=True))
    assert statistics.median(bridges["shared_contacts"]) <= 1
    assert bridges["introducer"].ne("").all()   # someone knows both sides of each


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
    return graph(edges, silos, focus={v: draw(st.booleans()) for v in nodes},
                 respondent={v: draw(st.booleans()) for v in nodes},
                 asked={v: draw(st.sampled_from([True, True, True, False])) for v in nodes})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(silo_graphs(), st.integers(min_value=1, max_value=3))
def test_every_suggestion_keeps_the_rules(G, top):
    found = worklist(G, focus=["focus"], top=top)
    frame = found.introductions
    silo = nx.get_node_attributes(G, "silo")
    unknown = {v for v in G if not G.nodes[v]["asked"]}
    answered = {v for v in G if G.nodes[v]["respondent"]}
    favoured = set(found.favoured)
    pairs = [frozenset(p) for p in zip(frame["member"], frame["suggested"], strict=True)]
    assert len(pairs) == len(set(pairs))                        # each pair once
    for _, row in frame.iterrows():
        u, w = row["member"], row["suggested"]
        z = row["introducer"] if isinstance(row["introducer"], str) else None
        shared = set(G[u]) & set(G[w])
        assert u != w and not G.has_edge(u, w)
        assert not {u, w} & unknown and z not in unknown and z not in (u, w)
        assert row["shared"] == [v for v in G if v in shared]
        assert (row["member_answered"], row["suggested_answered"]) == \
            (u in answered, w in answered)
        if row["kind"] == "triangle":
            assert u in answered and w in answered and shared and z in shared
            assert silo[u] != silo[w] or {u, w} & favoured
        else:
            assert silo[u] != silo[w] and len(shared) <= MAX_SHARED_FOR_BRIDGE
            # the reason says what the introducer really knows
            if z is None:
                assert row["reason"].endswith("introduce them yourself")
            elif G.has_edge(z, u) and G.has_edge(z, w):
                assert "who knows both of them" in row["reason"]
            elif G.has_edge(z, u) or G.has_edge(z, w):
                other = w if G.has_edge(z, u) else u
                count = sum(1 for y in G[z] if silo[y] == silo[other] and y not in unknown)
                assert count >= 1 and f"and {count} " in row["reason"]
            else:
                assert f"who knows people in both {silo[u]} and {silo[w]}" in row["reason"]
                assert {silo[y] for y in G[z]} >= {silo[u], silo[w]}
    # every peripheral member whose ties were observed gets a bridge when anyone in
    # another silo is not yet in touch with them
    core = nx.core_number(G)
    bridged = {v for p, kind in zip(pairs, frame["kind"], strict=True) if kind == "bridge"
               for v in p}
    for v in G:
        if v in unknown or core[v] > 1:
            continue
        partners = [w for w in G if w not in unknown and silo[w] != silo[v]
                    and not G.has_edge(v, w)]
        if partners:
            assert v in bridged, v


@pytest.mark.parametrize("roles, in_touch, note", [
    ({"a": "collaboration", "b": "influence", "c": None}, ["A"], ""),
    ({"a": "value", "b": "influence", "c": None}, ["C"], "in a relation without a role"),
    ({"a": "value", "b": "influence", "c": "resources"}, ["A", "B", "C"], "in any relation"),
])
def test_in_touch_falls_back_and_says_so(roles, in_touch, note):
    from types import SimpleNamespace

    relations = {k: SimpleNamespace(role=r, label=k.upper()) for k, r in roles.items()}
    study = SimpleNamespace(config=SimpleNamespace(relations=relations))
    graphs = {k: nx.DiGraph([(f"{k}1", f"{k}2")]) for k in roles}
    for G in graphs.values():
        G.add_nodes_from(["a1", "a2", "b1", "b2", "c1", "c2"])
    G = contact_graph(study, "w", graphs)
    assert G.graph["in_touch"] == in_touch
    assert sorted(G.edges()) == sorted((f"{k.lower()}1", f"{k.lower()}2") for k in in_touch)
    assert G.graph["in_touch_note"].endswith(note) and bool(note) == bool(
        G.graph["in_touch_note"])
