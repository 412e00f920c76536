"""Plain words for changes across waves: sentences an evaluator can quote.

A change is called "larger than" its null only when its Benjamini–Hochberg q-value is
below 0.05 within the comparison's tests; every sentence with a p-value shows its q.
"""

from __future__ import annotations

from collections.abc import Collection

from ..common.wording import family_of_tests, probability
from ..measures.inference import ALPHA, NOT_TESTABLE

#: The note of a test that was not run because no draws were asked for.
NO_DRAWS = "not tested: no permutation draws"
#: What each null's draws stand for: (after "larger than", after "within").
NULL_WORDS = {
    "group labels": ("random groups of the same size show",
                     "what random groups of the same size show"),
    "dyad swap": ("swapping pairs' ties between the waves gives",
                  "what swapping pairs' ties between the waves gives"),
    "paired swap": ("swapping members' shares between the waves gives",
                    "what swapping members' shares between the waves gives"),
}


def _fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "not measured"
    return f"{value * 100:.0f} %" if percent else f"{value:.2f}"


def chance_words(item, tests: int, *, family: bool = False) -> str:
    """What a change's test says, in words: "larger than …" only when q < 0.05.

    Parameters
    ----------
    item : MeasureChange
    tests : int
        Tests in the comparison's family (the q-values' m).
    family : bool
        Name the family inside the parentheses.

    >>> from cpower_network.waves import MeasureChange
    >>> item = MeasureChange("k", "K", "power", [1.0, 2.0], [1.0, 2.0], "group labels",
    ...                      p_value=0.004, q_value=0.03)
    >>> chance_words(item, 60)
    'larger than random groups of the same size show (p = 0.004, q = 0.030)'
    >>> item.q_value = 0.2
    >>> chance_words(item, 60)
    'not larger than random groups of the same size show once the 60 tests are counted \
(p = 0.004, q = 0.200)'
    """
    if item.test == "none":
        return "not tested"
    if item.note:
        return item.note
    if item.p_value is None or item.q_value is None:
        return "not tested"
    larger, within = NULL_WORDS[item.test]
    shown = f"{probability('p', item.p_value)}, {probability('q', item.q_value)}"
    if family:
        shown += f"; {family_of_tests(tests, ALPHA)}"
    if item.q_value < ALPHA:
        return f"larger than {larger} ({shown})"
    if item.p_value < ALPHA:
        return f"not larger than {larger} once the {tests} tests are counted ({shown})"
    return f"within {within} ({shown})"


def reading(item, wave_labels: list[str], tests: int = 0) -> str:
    """One sentence on how a measure moved from the first to the last wave, on all
    members and on the members compared (``item.basis``), with its test."""
    first, last = item.values[0], item.values[-1]
    span = f"from {wave_labels[0]} to {wave_labels[-1]}"
    if first is None or last is None:
        text = f"{item.label}: not measured in every wave"
    else:
        change = last - first
        verb = "rose" if change > 1e-9 else ("fell" if change < -1e-9 else "stayed")
        text = f"{item.label} stayed at {_fmt(last)} {span}" if verb == "stayed" else \
            f"{item.label} {verb} from {_fmt(first)} to {_fmt(last)} {span}"
    if not item.comparable:
        return f"{text}; {item.note}."
    if not item.basis:
        return text + "."
    moved = f"{_fmt(item.stayers[0])} → {_fmt(item.stayers[-1])}"
    if item.test == "none":
        return f"{text}; among {item.basis}: {moved}."
    return f"{text}; among {item.basis} ({moved}), the change is " \
           f"{chance_words(item, tests)}."


def summary_sentence(comparison) -> str:
    """How many tests the comparison ran and what passed the false discovery rate."""
    items = comparison.measures
    if any(m.note.startswith(NO_DRAWS) for m in items):
        return "No changes were tested (permutations = 0)."
    larger = sum(1 for m in items if m.larger_than_chance)
    untestable = sum(1 for m in items if m.note == NOT_TESTABLE)
    withheld = sum(1 for m in items if m.note.startswith("withheld"))
    draws = sorted({m.draws for m in items if m.draws})
    each = "" if not draws else f" ({draws[0]:,} draws each)" if len(draws) == 1 else \
        f" ({draws[0]:,}–{draws[-1]:,} draws each)"
    text = (f"{comparison.tests_run} tests of change{each}: {larger} larger "
            f"than chance at a false discovery rate of "
            f"{ALPHA * 100:.0f} % (Benjamini–Hochberg q < {ALPHA})")
    if untestable:
        text += f"; {untestable} {NOT_TESTABLE}"
    if withheld:
        text += f"; {withheld} withheld (a focus group with too few members compared)"
    return text + "."


def redistribution_sentences(comparison, hidden: Collection[str] = ()) -> list[str]:
    """The power-redistribution headline: decision parity of each focus group (except
    those in ``hidden``) and the Gini of influence, first wave to last, each with its
    test."""
    sentences = []
    first, last = comparison.results[0], comparison.results[-1]
    span = f"Between {comparison.waves[0][1]} and {comparison.waves[-1][1]}"
    tests = comparison.tests_run
    keys = {m.key for m in comparison.measures}
    for group in last.wave.groups[1:]:
        key = f"decisions/parity/{group.key}"
        if group.key in hidden or key not in keys:
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
            f"{_fmt(item.values[0])} → {_fmt(item.values[-1])}); among "
            f"{item.basis}, this change is {chance_words(item, tests, family=True)}.")
    if "decisions/gini" in keys:
        sentence = _gini_sentence(comparison.measure("decisions/gini"), tests,
                                  [label for _, label in comparison.waves])
        sentences += [sentence] if sentence else []
    return sentences


def _gini_sentence(item, tests: int, waves: list[str]) -> str:
    before, after = item.values[0], item.values[-1]
    if before is None or after is None:
        return ""
    measure = ("the Gini of decision influence (each member's share of each decision's "
               "nominations, averaged over the wave's decisions)")
    if not item.comparable:
        return (f"The Gini of decision influence was {_fmt(before)} in {waves[0]} and "
                f"{_fmt(after)} in {waves[-1]}; it is {item.note}.")
    trend = "less" if after < before else "more"
    return (f"Influence became {trend} concentrated: {measure} went from {_fmt(before)} "
            f"to {_fmt(after)}; among {item.basis}, this change is "
            f"{chance_words(item, tests, family=True)}.")
