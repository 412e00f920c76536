"""View model of the report's decisions section: each focus group's share of decision
influence against its share of members, the Gini of influence, who took part in and
shaped each decision, whose voice was heard, and the most influential members beside
their formal roles (evaluator view only).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from . import charts
from .format import num
from .sections import Context
from .tables import Table, difference, make_table, number, share, text


@dataclass
class DecisionsView:
    measured: bool
    parity_chart: Markup = field(default_factory=Markup)
    parity: Table = field(default_factory=lambda: make_table([], []))
    gini: str = "–"
    per_decision: Table = field(default_factory=lambda: make_table([], []))
    voice: Table = field(default_factory=lambda: make_table([], []))
    formal: Table = field(default_factory=lambda: make_table([], []))


def decisions_view(ctx: Context) -> DecisionsView:
    d = ctx.results.wave.decisions
    if d is None:
        return DecisionsView(measured=False)
    groups = ctx.focus()
    series = {"Share of influence": [float(d.parity.at[g.key, "share"]) for g in groups],
              "Share of members": [float(d.parity.at[g.key, "membership_share"])
                                   for g in groups]}
    chart = charts.grouped_bars([ctx.group_label(g.key) for g in groups], series,
                                title="Decision influence against membership",
                                value_format="{:.0%}", maximum=1.0) if groups else Markup()
    parity = make_table(["Group", "Share of influence", "Share of members", "Parity"],
                        [False, True, True, True])
    for g in groups:
        row = d.parity.loc[g.key]
        parity.add(text(ctx.group_label(g.key)), share(row["share"]),
                   share(row["membership_share"]), number(row["parity"]))
    return DecisionsView(
        measured=True, parity_chart=chart,
        parity=ctx.of_focus_groups(parity, "Decision influence of focus groups"),
        gini=num(d.gini), per_decision=_per_decision(ctx, d, groups),
        voice=ctx.of_focus_groups(_voice(ctx, d, groups), "Voice of focus groups"),
        formal=_formal(ctx, d))


def _per_decision(ctx: Context, d, groups) -> Table:
    names = [ctx.group_label(g.key).lower() for g in groups]
    columns = ["Decision", "Took part: all"]
    columns += [f"Took part: {n}" for n in names]
    columns += [f"Shaped by: {n}" for n in names]
    table = make_table(columns, [False] + [True] * (len(columns) - 1),
                       "Who took part (share of each group's respondents) and whose input "
                       "shaped each decision (share of mentions)")
    for decision, label in d.decisions:
        cells = [text(label), share(d.participation.at[decision, "all"])
                 if "all" in d.participation else share(None)]
        cells += [share(d.participation.at[decision, g.key]) for g in groups]
        cells += [share(d.named_by_group.at[decision, g.key])
                  if decision in d.named_by_group.index else share(None) for g in groups]
        table.add(*cells)
    return table


def _voice(ctx: Context, d, groups) -> Table:
    table = make_table(["Group", "My input shaped the outcome (mean)", "Everyone else",
                        "Voice gap", "Answers"], [False, True, True, True, True])
    for g in groups:
        if g.key in d.voice.index:
            row = d.voice.loc[g.key]
            table.add(text(ctx.group_label(g.key)), number(row["mean"]),
                      number(row["others"]), difference(row["gap"]),
                      number(row["answers"], 0))
    return table


def _formal(ctx: Context, d) -> Table:
    table = make_table(["Member", "Role", "Leadership role", "Times named", "Rank",
                        "Informal leader"], [False, False, False, True, True, False],
                       "Most influential members beside their formal roles (top 15)")
    if not ctx.evaluator:
        return table
    for member, row in d.formal.head(15).iterrows():
        if not row["named"]:
            continue
        table.add(text(ctx.name(member)), text(row["role"]),
                  text("yes" if row["leader"] else ""), number(row["named"], 0),
                  number(row["rank"], 0), text("yes" if row["informal_leader"] else ""))
    return table
