"""View model of the weaver's worklist: lists of members and the two kinds of introduction
(evaluator), counts and bridge opportunities between silos (both audiences)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..common.wording import either
from ..weave.introductions import KINDS
from .format import silo_name
from .sections import Context
from .tables import Table, make_table, number, records, share, text

#: Suggestions of each kind shown in the report (all of them are in the JSON and CSV).
SHOWN_PER_KIND = 20

#: How to read each kind of suggestion (titles: weave.introductions.KINDS).
HOW_TO_READ = (
    ("bridge",
     "Members of the silo pairs least in touch for their size (the bridge opportunities "
     "above), who share at most one contact, favouring members on the edge and in focus "
     "groups; then one for every isolated or peripheral member. The introducer is the "
     "member best placed to make the introduction; each reason says whom they know."),
    ("triangle",
     "Two members who both answered, share a contact, and neither named the other in a "
     "contact relation; the "
     "shared contact can introduce them. Pairs across silos first, and members with few "
     "contacts or in a focus group."),
)


def worklist_view(ctx: Context) -> dict[str, Any]:
    """Lists of members and introductions (evaluator), counts (retreat), silo gaps (both)."""
    w = ctx.results.wave.worklist
    lists = [("Isolates: in touch with no one", w.isolates),
             ("Pendants: a single contact", w.pendants),
             ("Outside the main component", w.outside_main),
             ("No tie outside their own silo", w.no_cross_silo),
             ("Periphery: core number 1 or less", w.periphery)]
    counts = [(label, len(members)) for label, members in lists]
    if w.not_asked:
        counts.append(("Not asked about in this wave: ties unknown, not absent",
                       len(w.not_asked)))
    view: dict[str, Any] = {"counts": counts, "gaps": _gaps(ctx),
                            "in_touch": either(w.in_touch, "no relation"),
                            "in_touch_note": w.in_touch_note}
    if not ctx.evaluator:
        return view
    silent = set(w.did_not_answer)

    def listed(member: str) -> str:
        mark = ", did not answer" if member in silent else ""
        return f"{ctx.name(member)} ({ctx.silos[member]}{mark})"

    view["lists"] = [(label, [listed(m) for m in members]) for label, members in lists]
    view["not_asked"] = [(f"{ctx.name(m)} ({ctx.silos[m]})", why)
                         for m, why in w.not_asked.items()]
    view["did_not_answer"] = len(w.did_not_answer)
    gate = make_table(["Member", "Reaches the rest of the coalition only through"],
                      [False, False])
    for member, through in w.gatekeepers.items():
        gate.add(text(listed(member)), ctx.name_cell(through))
    view["gatekeepers"] = gate
    points = make_table(["Member", "Silo", "Members who depend on them"],
                        [False, False, True], "Articulation points")
    for member, cut_off in w.articulation_points["cut_off"].items():
        points.add(ctx.name_cell(member), ctx.silo_cell(member), number(cut_off, 0))
    view["points"] = points
    view["kinds"] = [_kind(ctx, kind, how, silent) for kind, how in HOW_TO_READ]
    return view


def _kind(ctx: Context, kind: str, how: str,
          silent: set[str]) -> tuple[str, str, Table, int]:
    """One kind of suggestion as the worklist lists it: its title, how to read it, the
    table of the first :data:`SHOWN_PER_KIND` and how many there are."""
    frame = ctx.results.wave.worklist.introductions_of(kind)
    return KINDS[kind], how, _introductions(ctx, frame, silent), len(frame)


def _gaps(ctx: Context) -> Table:
    w = ctx.results.wave.worklist
    gaps = make_table(["Silo", "Silo", "Pairs in touch", "Pairs", "Share"],
                      [False, False, True, True, True],
                      "Silo pairs whose members are least in touch for their size")
    column = ctx.results.study.silo_label
    for row in records(w.silo_gaps.head(8)):
        gaps.add(text(ctx.silo_label(silo_name(row["silo_a"], column))),
                 text(ctx.silo_label(silo_name(row["silo_b"], column))),
                 number(row["ties"], 0), number(row["possible"], 0), share(row["density"]))
    return gaps


def _introductions(ctx: Context, frame: pd.DataFrame, silent: set[str]) -> Table:
    """One kind of suggestion: who, to whom, through whom (``silent``: members who did not
    answer, marked), and why."""
    table = make_table(["Introduce", "to", "Silos", "Through", "Why"],
                       [False, False, False, False, False])
    for row in records(frame.head(SHOWN_PER_KIND)):
        through = row["introducer"]
        table.add(text(_who(ctx, row["member"], row["member_answered"])),
                  text(_who(ctx, row["suggested"], row["suggested_answered"])),
                  text(f"{ctx.silos[row['member']]} ↔ {ctx.silos[row['suggested']]}"),
                  text(_who(ctx, through, through not in silent)
                       if isinstance(through, str) and through
                       else "you (nobody knows both sides)"),
                  text(row["reason"]))
    return table


def _who(ctx: Context, member: str, answered: bool) -> str:
    """A member's name, marked when they did not answer (their own ties are unknown)."""
    return ctx.name(member) + ("" if answered else " (did not answer)")
