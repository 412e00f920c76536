"""Plain words for changes across waves: sentences an evaluator can quote."""

from __future__ import annotations


def _fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "not measured"
    return f"{value * 100:.0f} %" if percent else f"{value:.2f}"


def chance_words(p: float | None, test: str) -> str:
    """What a permutation p-value says, in words.

    >>> chance_words(0.004, "group labels")
    'larger than random groups of the same size show (p = 0.004)'
    >>> chance_words(0.4, "paired swap")
    'within wave-to-wave noise (p = 0.400)'
    """
    if p is None or test == "none":
        return "not tested"
    shown = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
    if p < 0.05:
        return {"group labels": "larger than random groups of the same size show",
                "silo labels": "larger than random silo assignments give",
                "paired swap": "larger than wave-to-wave noise in members' scores"}[test] + \
            f" ({shown})"
    return {"group labels": "within what random groups of the same size show",
            "silo labels": "within what random silo assignments give",
            "paired swap": "within wave-to-wave noise"}[test] + f" ({shown})"


def reading(item, wave_labels: list[str]) -> str:
    """One sentence on how a measure moved from the first to the last wave."""
    first, last = item.values[0], item.values[-1]
    if first is None or last is None:
        return f"{item.label}: not measured in every wave."
    change = last - first
    verb = "rose" if change > 1e-9 else ("fell" if change < -1e-9 else "stayed")
    span = f"from {wave_labels[0]} to {wave_labels[-1]}"
    if verb == "stayed":
        text = f"{item.label} stayed at {_fmt(last)} {span}"
    else:
        text = f"{item.label} {verb} from {_fmt(first)} to {_fmt(last)} {span}"
    if item.test != "none":
        words = chance_words(item.p_value, item.test)
        text += f"; among members present throughout, the change is {words}"
    return text + "."


def redistribution_sentences(comparison) -> list[str]:
    """The power-redistribution headline: decision parity of each focus group, the Gini
    of influence and degree centralisation, first wave to last."""
    sentences = []
    first, last = comparison.results[0], comparison.results[-1]
    span = f"Between {comparison.waves[0][1]} and {comparison.waves[-1][1]}"
    for group in last.wave.groups[1:]:
        key = f"decisions/parity/{group.key}"
        if not any(m.key == key for m in comparison.measures):
            continue
        item = comparison.measure(key)
        if item.values[0] is None or item.values[-1] is None:
            continue
        before = first.wave.decisions.parity.loc[group.key]
        after = last.wave.decisions.parity.loc[group.key]
        direction = "rose" if item.values[-1] > item.values[0] else "fell"
        sentences.append(
            f"{span}, {group.label.lower()} members' share of decision influence {direction} "
            f"from {_fmt(before['share'], True)} to {_fmt(after['share'], True)} while they "
            f"made up {_fmt(before['membership_share'], True)} and "
            f"{_fmt(after['membership_share'], True)} of the coalition (decision parity "
            f"{_fmt(item.values[0])} → {_fmt(item.values[-1])}); among members present "
            f"throughout, this change is {chance_words(item.p_value, item.test)}.")
    for key in ("decisions/gini",):
        if any(m.key == key for m in comparison.measures):
            item = comparison.measure(key)
            if item.values[0] is not None and item.values[-1] is not None:
                trend = "less" if item.values[-1] < item.values[0] else "more"
                sentences.append(
                    f"Influence became {trend} concentrated: the Gini of decision influence "
                    f"went from {_fmt(item.values[0])} to {_fmt(item.values[-1])}; this is "
                    f"{chance_words(item.p_value, item.test)}.")
    return sentences
