"""View model of the report's data-quality section: response rates by group, answers set
aside, ties read per relation, the data problems found, and who nobody was asked about.
"""

from __future__ import annotations

from typing import Any

from .format import pct, size_note
from .maps import shown_members
from .sections import Context
from .tables import make_table, number, share, text


def quality_view(ctx: Context) -> dict[str, Any]:
    results = ctx.results
    threshold = results.settings.response_rate_warning
    rates = make_table(["Group", "Members", "Respondents", "Response rate", "Note"],
                       [False, True, True, True, False])
    for key, row in results.wave.response.iterrows():
        if ctx.hidden(key):
            continue
        low = row["rate"] == row["rate"] and row["rate"] < threshold
        notes = [size_note(ctx.groups[key].size, ctx.small) if key in ctx.groups else "",
                 f"below {pct(threshold)}: read with care" if low else ""]
        rates.add(text(ctx.label(key)), number(row["members"], 0),
                  number(row["respondents"], 0), share(row["rate"]),
                  text("; ".join(n for n in notes if n)))
    wave = next((w for w in results.quality.waves if w.wave == results.wave.wave), None)
    aside = make_table(["Reason", "Answers set aside"], [False, True])
    for reason, count in (wave.set_aside.items() if wave else []):
        aside.add(text(reason), number(count, 0))
    ties = make_table(["Relation", "Answers read", "Non-zero ties"], [False, True, True])
    for relation, count in (wave.ties.items() if wave else []):
        ties.add(text(relation), number(count, 0), number(wave.nonzero_ties[relation], 0))
    view = {"rates": rates, "aside": aside, "ties": ties,
            "errors": results.quality.errors, "warnings": results.quality.warnings,
            "codes": results.quality.counts, "not_asked": not_asked_sentence(ctx)}
    if ctx.evaluator and not results.anonymized:
        view["unmatched"] = [(u.text, u.count) for u in results.quality.unmatched]
    return view


def not_asked_sentence(ctx: Context) -> str:
    """Who nobody was asked about, per relation; empty when everyone was asked about.

    The evaluator view names every such member; the retreat view names only members who
    consented to be named and counts the others (an anonymised report's names are codes).

    Returns
    -------
    str
        E.g. "Not asked about: Grace Okafor (collaborate, trust) — their ties are
        unknown, not absent."
    """
    relations = _not_asked_relations(ctx.results.wave.not_asked, ctx.results.wave.members)
    if not relations:
        return ""
    members = list(relations)
    shown = dict(zip(members, shown_members(ctx.results.roster, members, ctx.audience),
                     strict=True))
    parts = [f"{ctx.name(m)} ({', '.join(relations[m])})" for m in members if shown[m]]
    unnamed = [m for m in members if not shown[m]]
    if unnamed:
        parts.append(_unnamed_count(unnamed, relations, list(ctx.results.wave.not_asked),
                                    other=bool(parts)))
    return f"Not asked about: {'; '.join(parts)} — their ties are unknown, not absent."


def _not_asked_relations(not_asked: dict[str, list[str]],
                         members: list[str]) -> dict[str, list[str]]:
    """Member -> the relations nobody was asked about them in, members in wave order.

    >>> _not_asked_relations({"trust": ["g", "a"], "collaborate": ["g"]}, ["a", "g"])
    {'a': ['trust'], 'g': ['trust', 'collaborate']}
    """
    found: dict[str, list[str]] = {}
    for relation, listed in not_asked.items():
        for member in listed:
            found.setdefault(member, []).append(relation)
    return {m: found[m] for m in members if m in found}


def _unnamed_count(unnamed: list[str], relations: dict[str, list[str]], order: list[str],
                   *, other: bool) -> str:
    """Members not named, counted per relation (in ``order``).

    >>> _unnamed_count(["a", "b"], {"a": ["trust"], "b": ["collaborate", "trust"]},
    ...                ["collaborate", "trust"], other=True)
    '2 other members (collaborate: 1, trust: 2)'
    """
    counts = {r: sum(1 for m in unnamed if r in relations[m]) for r in order}
    noun = "member" if len(unnamed) == 1 else "members"
    listed = ", ".join(f"{r}: {n}" for r, n in counts.items() if n)
    return f"{len(unnamed)} {'other ' if other else ''}{noun} ({listed})"
