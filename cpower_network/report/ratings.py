"""View model of trust and value scores (both audiences: network, silos, focus groups)
and of dyadic agreement (evaluator only: it names pairs of members)."""

from __future__ import annotations

from typing import Any

from .format import num, pct
from .sections import Context, p_and_q
from .tables import Cell, Table, make_table, number, share, sort_key, text

#: Disagreeing pairs shown in the report (all are in the JSON and exports).
SHOWN_DISAGREEMENTS = 20
SCORE_LABELS = {"trust": "Trust", "value": "Value"}
FACET_WORDS = {"reliability": "reliability", "openness": "openness",
               "mission": "commitment to the mission", "power": "power and influence",
               "involvement": "level of involvement", "resources": "resource contribution"}


def ratings_view(ctx: Context) -> dict[str, Any]:
    """Network, silo and focus-group trust and value scores; agreement for the evaluator."""
    ratings = ctx.results.wave.ratings
    if ratings is None or not ratings.asked:
        return {"asked": False}
    scores = ratings.scores
    view: dict[str, Any] = {
        "asked": True,
        "network": [_network_line(score, found, ratings.floors.get(score, 0.0))
                    for score, found in scores.network.items() if found["pairs"]],
        "silos": _silos(ctx),
        "groups": ctx.of_focus_groups(_groups(ctx), "Scores received by focus groups"),
    }
    if ctx.evaluator:
        view["agreement"] = _agreement(ratings)
        view["disagreements"] = _disagreements(ctx, ratings)
    return view


def _network_line(score: str, found: dict, floor: float) -> dict[str, str]:
    top = found["scale_max"]
    points = f" ({num(found['share'] * top, 2)} of {num(top, 0)})" if top else ""
    facets = ", ".join(FACET_WORDS[f] for f in found["facets"])
    lowest = f"; the lowest possible is {pct(floor)}" if floor > 0 else ""
    return {"label": SCORE_LABELS[score], "value": pct(found["share"]) + points,
            "basis": f"{found['pairs']} ratings of a partner by {found['raters']} members; "
                     f"facets: {facets}{lowest}"}


def _silos(ctx: Context) -> Table:
    scores = ctx.results.wave.ratings.scores
    table = make_table(["Silo", "Members rated", "Trust received", "Value received"],
                       [False, True, True, True],
                       "Mean score each silo's members received, as a share of the maximum")
    frame = scores.silos
    for silo in dict.fromkeys(frame["silo"]):
        rows = frame[frame["silo"] == silo].set_index("score")
        rated = int(rows["members_rated"].max())
        table.add(text(ctx.silo_heading(silo)), number(rated, 0),
                  *[share(rows.at[s, "mean"]) if s in rows.index else share(None)
                    for s in ("trust", "value")])
    return table


def _groups(ctx: Context) -> Table:
    scores = ctx.results.wave.ratings.scores
    table = make_table(["Score", "Group", "Members rated", "Group's mean", "All rated members'",
                        "Parity", "p", "q"], [False, False, True, True, True, True, True,
                                              True],
                       "Scores received by each focus group: parity = group's mean ÷ every "
                       "rated member's mean (1 = as much as anyone)")
    for _, row in scores.groups.iterrows():
        if ctx.hidden(row["group"]):
            continue
        p, q = p_and_q(ctx, row)
        if row["withheld"] and not ctx.too_small(row["group"]):
            p, q = Cell(f"withheld ({int(row['members_rated'])} rated)", ""), Cell("–", "")
        table.add(text(SCORE_LABELS[row["score"]]), text(ctx.group_label(row["group"])),
                  number(row["members_rated"], 0), share(row["mean"]),
                  share(row["mean_all"]), number(row["parity"]), p, q)
    return table


def _agreement(ratings) -> Table:
    table = make_table(["Measure", "Pairs rated both ways", "Agreement (pairwise ICC)",
                        "Mean difference", "Pairs who disagree"],
                       [False, True, True, True, True],
                       "Where both members of a pair rated each other (on a relation's "
                       "own scale, pairs where either reported a tie)")
    for _, row in ratings.agreement.iterrows():
        shares = ratings.units.get(row["measure"]) == "share"
        gap = row["mean_difference"]
        top = row["low"] + row["range"]
        shown = (pct(gap) + " points" if shares else f"{num(gap, 2)} of {num(top, 0)}") \
            if gap == gap else "–"
        table.add(text(row["label"]), number(row["pairs"], 0), number(row["icc"]),
                  Cell(shown, sort_key(gap / row["range"] if row["range"] else None)),
                  number(row["disagree"], 0))
    return table


def _disagreements(ctx: Context, ratings) -> Table:
    count = len(ratings.disagreements)
    shown = (f"the first {SHOWN_DISAGREEMENTS} of {count} shown (all are in the JSON and "
             "disagreements.csv); " if count > SHOWN_DISAGREEMENTS else "")
    table = make_table(["Measure", "Member", "Their rating", "Partner", "Partner's rating"],
                       [False, False, True, False, True],
                       "Pairs whose ratings of each other differ by half the scale or more, "
                       f"{shown}a conversation starter, not a verdict")
    summary = ratings.agreement.set_index("measure")
    for _, row in ratings.disagreements.head(SHOWN_DISAGREEMENTS).iterrows():
        measure = row["measure"]
        shares = ratings.units.get(measure) == "share"
        low, span = float(summary.at[measure, "low"]), float(summary.at[measure, "range"])
        table.add(text(summary.at[measure, "label"]), text(ctx.name(row["member"])),
                  _rating(row["rating"], shares, low, span),
                  text(ctx.name(row["partner"])),
                  _rating(row["rating_back"], shares, low, span))
    return table


def _rating(value: float, shares: bool, low: float, span: float) -> Cell:
    """A rating in its own units ("92 %" of the maximum, or "3 of 3" on a relation's
    scale), sorted by its place on its scale (0–1), so ratings on different scales sort
    together."""
    return Cell(pct(value) if shares else f"{num(value, 2)} of {num(low + span, 0)}",
                sort_key((value - low) / span if span else None))
