"""View models of the report's analytic sections across silos and power (one panel per
relation), and the :class:`Context` every section builder reads (decisions:
:mod:`.decisions`; data quality: :mod:`.quality`; the worklist: :mod:`.worklist`; trust
and value: :mod:`.ratings`).

The evaluator view shows everything; the retreat view shows group- and silo-level
figures only (no individual scores or names), built from results without the groups too
small to hide anyone (:func:`~cpower_network.report.shared.shared_results`). In both,
a group (focus group or silo) with fewer than ``small`` members is flagged "n = 4, read
with care" wherever its figures are shown, and a focus group with fewer than
``suppress`` members has its p-values withheld (a one-person group's test is noise).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..config import groups as groups_policy
from ..indicators.reasons import NO_FOCUS_GROUPS, defines_focus_groups
from ..results.model import MEASURE_LABELS, POWER_MEASURES, RelationResult, Results
from . import charts
from .format import fdr_sentence, flagged, num, p_value, q_value, silo_name
from .maps import UNDIRECTED_LABELS
from .shared import silo_sizes
from .tables import Cell, Table, difference, make_table, number, records, share, sort_key, text

ROLE_COLUMNS = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
#: What a relation's ``not_measured`` keys are called in the report.
NOT_MEASURED_LABELS = {"reciprocity": "Reciprocity", "brokerage": "Brokerage roles"}
#: Not-measured reasons shown where their measure's table would be, not in the reading.
SHOWN_IN_PLACE = ("brokerage",)
#: What the E-I's p-value says when even the most extreme relabelling could not reject.
NOT_TESTABLE = "not testable with these data"


@dataclass
class RelationView:
    """One relation's panel in the silos and power sections."""

    key: str
    label: str
    ei: dict[str, str]
    ei_groups: Table
    heatmap: Markup
    assortativity: str
    bridging: Table
    brokerage: Table
    communities: dict[str, str]
    community_table: Table
    parity_chart: Markup
    parity: Table
    differences: Table
    concentration: Table
    rule: str
    reading: str = ""
    #: False when the E-I could not be tested with these data (p and q then say so).
    ei_testable: bool = True
    not_measured: list[str] = field(default_factory=list)
    brokerage_note: str = ""
    density_reading: str = "row reported column"


class Context:
    """What every section builder needs: results, audience, names, group labels, and
    the small-group thresholds.

    Parameters
    ----------
    results : Results
        For a shared view, the results without suppressed groups
        (:func:`~cpower_network.report.shared.shared_results`).
    audience : {"evaluator", "retreat"}
    small : int
        Groups with fewer members are flagged "n = 4, read with care".
    suppress : int
        Focus groups with fewer members have their p-values withheld (and are hidden
        from a shared view).
    """

    def __init__(self, results: Results, audience: str, *, small: int,
                 suppress: int) -> None:
        self.results = results
        self.audience = audience
        self.evaluator = audience == "evaluator"
        self.names = _as_text(results.roster["name"])
        column = results.study.silo_label
        #: Member -> their silo as sentences name it ("sector 1" for a numeric code).
        silos = _as_text(results.roster["silo"])
        named = {s: silo_name(s, column) for s in set(silos.values())}
        self.silos = {m: named[s] for m, s in silos.items()}
        self.groups = {g.key: g for g in results.wave.groups}
        #: Whether cpower.toml defines no focus group: every group figure is then "not
        #: measured", and the tables that would hold them say so.
        self.no_focus_groups = not defines_focus_groups(results)
        self.small = small
        self.suppress = suppress
        self.tests = results.wave.tests_run
        self._silo_sizes = _silo_sizes(results)
        #: Whether any relation is undirected: only then does each say its direction
        #: (a study of directed relations reads as it always has).
        self.any_undirected = any(not r.graph.is_directed()
                                  for r in results.wave.relations.values())
        self._name_cells: dict[str, Cell] = {}
        self._silo_cells: dict[str, Cell] = {}

    def name(self, member: str) -> str:
        return self.names.get(member, member)

    def name_cell(self, member: str) -> Cell:
        """``text(self.name(member))``, made once per member: a member listed in several
        tables shares one (cells are frozen)."""
        cell = self._name_cells.get(member)
        if cell is None:
            cell = self._name_cells[member] = text(self.name(member))
        return cell

    def silo_cell(self, member: str) -> Cell:
        """``text(self.silos[member])``, made once per member (see :meth:`name_cell`)."""
        cell = self._silo_cells.get(member)
        if cell is None:
            cell = self._silo_cells[member] = text(self.silos[member])
        return cell

    def label(self, key: str) -> str:
        group = self.groups.get(key)
        return group.label if group else key

    def group_label(self, key: str) -> str:
        """A group's label, flagged when it has fewer than ``small`` members."""
        group = self.groups.get(key)
        return flagged(group.label, group.size, self.small) if group else key

    def silo_label(self, silo: str) -> str:
        """A silo's name (raw, or as sentences or headings name it), flagged when it has
        fewer than ``small`` members in the wave."""
        size = self._silo_sizes.get(str(silo))
        return silo if size is None else flagged(silo, size, self.small)

    def silo_heading(self, silo: Any) -> str:
        """A silo (roster value) as a chart's heading names it ("Sector 1"), flagged
        when small."""
        return self.silo_label(silo_name(silo, self.results.study.silo_label,
                                         capital=True))

    def too_small(self, key: str) -> bool:
        """Whether a focus group is too small for its tests to mean anything."""
        group = self.groups.get(key)
        return group is not None and group.key != "all" and \
            groups_policy.too_small(group.size, self.suppress)

    def hidden(self, key: str) -> bool:
        """Suppress a group's figures in shared views when it is too small."""
        return (not self.evaluator) and self.too_small(key)

    def focus(self) -> list[Any]:
        return [g for g in self.results.wave.groups[1:] if not self.hidden(g.key)]

    def of_focus_groups(self, table: Table, what: str) -> Table:
        """``table`` of focus-group figures; in a study without focus groups it says
        "<what>: not measured: no focus groups are defined in cpower.toml." instead of
        "nothing to show"."""
        if self.no_focus_groups:
            table.empty = f"{what}: not measured: {NO_FOCUS_GROUPS}."
        return table


def _as_text(column: Any) -> dict[str, Any]:
    """``column.astype(str).to_dict()`` (a roster column), made from plain lists: many
    times faster on a text column."""
    text = column.astype(str)
    return dict(zip(text.index.tolist(), text.tolist(), strict=True))


def _silo_sizes(results: Results) -> dict[str, int]:
    """Members of the wave per silo, under every name a silo is shown by: its roster
    value, and as sentences and headings name it ("sector 1", "Sector 1")."""
    column = results.study.silo_label
    sizes: dict[str, int] = {}
    for silo, size in silo_sizes(results).items():
        for name in (silo, silo_name(silo, column), silo_name(silo, column, capital=True)):
            sizes[str(name)] = int(size)
    return sizes


def relation_views(ctx: Context) -> list[RelationView]:
    return [_relation(ctx, r) for r in ctx.results.wave.relations.values()]


#: What the E-I index shows when every member is in one silo: −1 by definition, no
#: evidence about crossing silos.
ONE_SILO = "not measured: one silo (the E-I index needs two or more)"


def _relation(ctx: Context, r: RelationResult) -> RelationView:
    ei = r.ei
    testable = ei.testable
    one_silo = len(ei.by_group) == 1
    column = ctx.results.study.silo_label
    return RelationView(
        key=r.key, label=r.label,
        ei={"value": num(ei.value) if not one_silo else ONE_SILO,
            "expected": num(ei.expected) if not one_silo else ONE_SILO,
            "p": p_value(ei.p_value) if testable else NOT_TESTABLE,
            "q": q_value(ei.q_value) if testable else "–",
            "external": num(ei.external, 0), "internal": num(ei.internal, 0)},
        ei_groups=_ei_groups(ctx, r),
        heatmap=_heatmap(r, column, ctx.silo_heading),
        assortativity=num(r.assortativity),
        bridging=_bridging(ctx, r), brokerage=_brokerage(ctx, r),
        communities={"count": str(r.communities.count),
                     "modularity": num(r.communities.modularity),
                     "silo_modularity": num(r.communities.attribute_modularity),
                     "nmi": num(r.communities.nmi), "engine": r.communities.engine,
                     "ami": num(r.communities.ami), "runs": r.communities.runs},
        community_table=_community_table(ctx, r),
        parity_chart=_parity_chart(ctx, r),
        parity=ctx.of_focus_groups(_parity(ctx, r), "Parity ratios of focus groups"),
        differences=ctx.of_focus_groups(_differences(ctx, r),
                                        "Focus groups against everyone else"),
        concentration=_concentration(r),
        rule=_rule(r), ei_testable=testable, **_reading_fields(ctx, r),
    )


def _reading_fields(ctx: Context, r: RelationResult) -> dict[str, Any]:
    """The :class:`RelationView` fields saying how the relation is to be read: its
    direction (only in a study with an undirected relation), why measures are not
    measured, and how to read its silo densities."""
    directed = r.graph.is_directed()
    reasons = not_measured_reasons(r)
    return {
        "reading": relation_reading(r) if ctx.any_undirected else "",
        "not_measured": [sentence for key, sentence in reasons.items()
                         if key not in SHOWN_IN_PLACE],
        "brokerage_note": reasons.get("brokerage", ""),
        "density_reading": ("row reported column" if directed else
                            "each tie counts for both its members' silos, so the table is "
                            "symmetric"),
    }


def _ei_groups(ctx: Context, r: RelationResult) -> Table:
    """Each silo's E-I: of the ties its members sent, or (undirected) of their ties;
    beside it, when the relation marks who answered, the share of the silo's members
    who did (the test conditions on who could send ties). Small silos are flagged."""
    rates = r.ei.response_rates
    columns = ["Silo", "E-I of ties its members sent" if r.graph.is_directed()
               else "E-I of its members' ties"]
    if rates:
        columns.append("Members who answered")
    table = make_table(columns, [False, True, True][:len(columns)],
                       "E-I by silo, beside the share of each silo's members who answered"
                       if rates else "")
    column = ctx.results.study.silo_label
    for group, value in r.ei.by_group.items():
        cells = [text(ctx.silo_label(silo_name(group, column))), number(value)]
        if rates:
            cells.append(share(rates.get(group)))
        table.add(*cells)
    return table


def _heatmap(r: RelationResult, column: str = "silo",
             label: Callable[[Any], str] | None = None) -> Markup:
    """Tie density between silos; an undirected relation's is symmetric, without arrows.
    Numeric silo codes are named with their column ("Sector 1"); ``label`` names a silo
    (default: that name)."""
    density = r.density
    directed = r.graph.is_directed()
    name = label or (lambda s: silo_name(s, column, capital=True))
    return charts.heatmap([name(i) for i in density.index],
                          [name(c) for c in density.columns],
                          density.to_numpy().tolist(), directed=directed,
                          title=f"{r.label}: tie density between silos "
                                f"{'(row → column)' if directed else '(symmetric)'}")


def _rule(r: RelationResult) -> str:
    """How non-respondents' ties were treated, as the power section's captions say it."""
    if not r.graph.is_directed():
        return "combined from both members' reports (a tie one member reported is a tie " \
               "of both)"
    return ("union (non-respondents' ties rebuilt from others' reports)"
            if r.nonrespondents == "union" else "respondents' reports only")


def relation_reading(r: RelationResult) -> str:
    """How a relation's ties are to be read: its direction and, when undirected, its
    reciprocity rule and the note saying how many ties rest on one report.

    >>> import networkx as nx
    >>> from types import SimpleNamespace
    >>> relation_reading(SimpleNamespace(graph=nx.DiGraph()))
    'Directed: a tie u → v is what u reported about v.'
    >>> G = nx.Graph(reciprocity="either", reciprocity_note="Undirected: a tie when "
    ...              "either member reported it. 3 ties rest on one report.")
    >>> print(relation_reading(SimpleNamespace(graph=G)))  # doctest: +NORMALIZE_WHITESPACE
    Undirected (reciprocity = "either"): a tie when either member reported it. 3 ties
    rest on one report.
    """
    about = r.graph.graph
    if r.graph.is_directed():
        return "Directed: a tie u → v is what u reported about v."
    note = str(about.get("reciprocity_note") or "").removeprefix("Undirected:").strip()
    rule = about.get("reciprocity") or "either"
    return f'Undirected (reciprocity = "{rule}"): {note or "ties combined from both reports."}'


def not_measured_reasons(r: RelationResult) -> dict[str, str]:
    """Measure key -> a sentence saying why it is not measured on this relation (from
    the graph's ``not_measured``; empty for a directed relation).

    >>> import networkx as nx
    >>> from types import SimpleNamespace
    >>> G = nx.Graph(not_measured={"brokerage": "not measured: the relation is "
    ...                            "undirected"})
    >>> not_measured_reasons(SimpleNamespace(graph=G))
    {'brokerage': 'Brokerage roles are not measured: the relation is undirected.'}
    """
    found = {}
    for key, reason in dict(r.graph.graph.get("not_measured") or {}).items():
        label = NOT_MEASURED_LABELS.get(key, key.replace("_", " ").capitalize())
        verb = "are" if label.endswith("s") else "is"
        why = str(reason).rstrip(".") + "."
        found[key] = (f"{label} {verb} {why}" if why.startswith("not measured")
                      else f"{label}: {why}")
    return found


def _bridging(ctx: Context, r: RelationResult) -> Table:
    if ctx.evaluator:
        table = make_table(["Member", "Silo", "Other silos reached"], [False, False, True])
        for member, silos in r.bridging.items():
            table.add(ctx.name_cell(member), ctx.silo_cell(member),
                      Cell(", ".join(map(str, silos)), len(silos)))
        return table
    table = make_table(["Silo", "Bridging members"], [False, True])
    counts = Counter(map(ctx.silos.__getitem__, r.bridging))
    for silo, count in sorted(counts.items()):
        table.add(text(ctx.silo_label(silo)), number(count, 0))
    return table


def _brokerage(ctx: Context, r: RelationResult) -> Table:
    roles = r.brokerage
    columns = [c.capitalize() for c in ROLE_COLUMNS] + ["Total"]
    if ctx.evaluator:
        table = make_table(["Member", "Silo", *columns], [False, False] + [True] * 6,
                           "Members with the most brokerage paths (top 15)")
        top = roles.sort_values("total", ascending=False, kind="stable").head(15)
        top = top[top["total"] > 0]
        for member, row in zip(top.index, records(top), strict=True):
            table.add(ctx.name_cell(member), ctx.silo_cell(member),
                      *[number(row[c], 0) for c in (*ROLE_COLUMNS, "total")])
        return table
    table = make_table(["Silo", *columns], [False] + [True] * 6,
                       "Brokerage paths by silo of the broker")
    # min_count=1: a silo whose brokers were all not measured (NaN) shows "–", not 0
    by_silo = roles.groupby(roles.index.map(ctx.silos)).sum(min_count=1)
    # a bare namespace with only silos (as some tests build) flags nothing
    name = getattr(ctx, "silo_label", str)
    for silo, row in zip(by_silo.index, records(by_silo), strict=True):
        table.add(text(name(silo)), *[number(row[c], 0) for c in (*ROLE_COLUMNS, "total")])
    return table


def _community_table(ctx: Context, r: RelationResult) -> Table:
    partition = r.communities.partition
    silos = sorted(set(ctx.silos[m] for m in partition))
    table = make_table(["Community", "Members", *[ctx.silo_label(s) for s in silos]],
                       [False] + [True] * (len(silos) + 1),
                       "Members of each community by silo")
    counts: dict[int, dict[str, int]] = {}
    in_silo = Counter(zip(partition.values(), map(ctx.silos.__getitem__, partition),
                          strict=True))
    for (community, silo), n in in_silo.items():
        counts.setdefault(community, {})[silo] = n
    for community in sorted(counts):
        row = counts[community]
        size = sum(row.values())
        if size < 2:
            continue
        table.add(Cell(f"Community {community + 1}", community), number(size, 0),
                  *[number(row.get(s, 0), 0) for s in silos])
    return table


def _parity_chart(ctx: Context, r: RelationResult) -> Markup:
    """Each focus group's parity on each power measure (empty without a group)."""
    table = r.parity
    groups = ctx.focus()
    if not groups:
        return Markup()
    parity = {(group, measure): value for group, measure, value
              in zip(table["group"], table["measure"], table["parity"], strict=True)}
    series = {}
    for group in groups:
        series[ctx.group_label(group.key)] = [float(parity[group.key, m])
                                              for m in POWER_MEASURES]
    return charts.grouped_bars([measure_label(r, m) for m in POWER_MEASURES], series,
                               reference=1.0, reference_label="parity 1.0",
                               title=f"{r.label}: parity ratio by centrality")


def _parity(ctx: Context, r: RelationResult) -> Table:
    table = make_table(["Group", "Measure", "Share held", "Share of members", "Parity"],
                       [False, False, True, True, True])
    for row in records(r.parity):
        if ctx.hidden(row["group"]):
            continue
        table.add(text(ctx.group_label(row["group"])),
                  text(measure_label(r, row["measure"])),
                  share(row["share"]), share(row["membership_share"]),
                  _unless_not_measured(number(row["parity"]), row.get("not_measured")))
    return table


def _unless_not_measured(cell: Cell, reason: object) -> Cell:
    """``cell``, or "not measured: <reason>" (sorted as missing) when the analysis gave a
    reason instead of a value."""
    if isinstance(reason, str) and reason:
        return Cell(f"not measured: {reason}", sort_key(None))
    return cell


def _differences(ctx: Context, r: RelationResult) -> Table:
    """Each focus group's mean against everyone else's, with the permutation p-value and
    its q-value beside it; a group too small to test has both withheld."""
    tests = fdr_sentence(ctx.tests)
    table = make_table(["Group", "Measure", "Group mean", "Others' mean", "Difference",
                        "p (permutation)", "q (false discovery rate)"],
                       [False, False, True, True, True, True, True],
                       f"Permutation p-values and Benjamini–Hochberg q-values ({tests})"
                       if tests else "")
    for row in records(r.differences):
        if ctx.hidden(row["group"]):
            continue
        table.add(text(ctx.group_label(row["group"])),
                  text(measure_label(r, row["measure"])),
                  number(row["mean_members"], 3), number(row["mean_rest"], 3),
                  difference(row["difference"]), *p_and_q(ctx, row))
    return table


def p_and_q(ctx: Context, row: Any) -> tuple[Cell, Cell]:
    """A difference's p- and q-value cells, or "withheld" for a group too small to
    test."""
    if ctx.too_small(row["group"]):
        size = ctx.groups[row["group"]].size
        return Cell(f"withheld (n = {size})" if size else "–", ""), Cell("–", "")
    q = row.get("q_value", math.nan)
    p = Cell(p_value(row["p_value"]), sort_key(row["p_value"]))
    return _unless_not_measured(p, row.get("withheld")), Cell(q_value(q), sort_key(q))


def measure_label(r: RelationResult, measure: str) -> str:
    """A centrality's label; on an undirected relation ties are contacts, not received.

    >>> import networkx as nx
    >>> from types import SimpleNamespace
    >>> [measure_label(SimpleNamespace(graph=G()), "in_degree") for G in (nx.DiGraph, nx.Graph)]
    ['Ties received', 'Ties (contacts)']
    """
    if not r.graph.is_directed() and measure in UNDIRECTED_LABELS:
        return UNDIRECTED_LABELS[measure]
    return MEASURE_LABELS[measure]


def _concentration(r: RelationResult) -> Table:
    table = make_table(["Measure", "Value"], [False, True])
    centralisation = ("Degree centralisation (received)" if r.graph.is_directed()
                      else "Degree centralisation")
    for key, value in r.concentration.items():
        label = (centralisation if key == "degree_centralization"
                 else f"Gini of {measure_label(r, key.removeprefix('gini_')).lower()}")
        table.add(text(label), number(value))
    return table
