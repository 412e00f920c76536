"""Plain-text rendering of summaries for the terminal (no analysis here)."""

from __future__ import annotations

from collections.abc import Iterator

from .errors import Problem
from .summary import QualitySummary, WaveQuality


def percent(share: float) -> str:
    """A share as a whole percentage.

    >>> percent(0.815), percent(float("nan"))
    ('82 %', 'n/a')
    """
    return "n/a" if share != share else f"{share * 100:.0f} %"


def quality_lines(summary: QualitySummary, *, study_name: str, path: str) -> Iterator[str]:
    """The data-quality summary, line by line."""
    yield f"Study: {study_name} ({path})"
    silos = ", ".join(f"{name} {count}" for name, count in summary.silos.items())
    yield f"Roster: {summary.members} members in {len(summary.silos)} silos ({silos})"
    if summary.focus_groups:
        yield "Focus groups: " + ", ".join(f"{g} {n}" for g, n in summary.focus_groups.items())
    for wave in summary.waves:
        yield ""
        yield from _wave_lines(wave)
    if summary.unmatched:
        yield ""
        yield "Names not on the roster:"
        for name in summary.unmatched:
            times = f" ({name.count}×)" if name.count > 1 else ""
            yield f"  {name.text!r}{times}: {name.fix}"


def _wave_lines(wave: WaveQuality) -> Iterator[str]:
    heading = wave.wave if wave.label == wave.wave else f"{wave.wave} ({wave.label})"
    yield f"Wave {heading}"
    overall = wave.rates.loc["all"]
    yield (f"  members {wave.members}, respondents {wave.respondents} "
           f"(response rate {percent(overall['rate'])})")
    for group, row in wave.rates.iloc[1:].iterrows():
        flag = "  ← below the warning threshold" if group in wave.low_groups else ""
        yield (f"    {group}: {int(row['respondents'])} of {int(row['members'])} "
               f"({percent(row['rate'])}){flag}")
    ties = ", ".join(f"{r} {n} ({wave.nonzero_ties[r]} non-zero)" if n != wave.nonzero_ties[r]
                     else f"{r} {n}" for r, n in wave.ties.items())
    yield f"  ties read: {ties}"
    yield f"  perception answers {wave.perceptions}, decision responses {wave.decisions}"
    if wave.set_aside:
        aside = ", ".join(f"{reason} {n}" for reason, n in wave.set_aside.items())
        yield f"  set aside: {aside}"


def problem_lines(problems: list[Problem]) -> Iterator[str]:
    """Every problem, errors first, one line each."""
    for severity in ("error", "warning"):
        for problem in problems:
            if problem.severity == severity:
                yield f"  {severity:<7} {problem}"


def verdict(summary: QualitySummary) -> str:
    if summary.errors:
        noun = "error" if summary.errors == 1 else "errors"
        return (f"Found {summary.errors} {noun} and {summary.warnings} warnings: fix the "
                "errors above (each line says where and how), then run validate again.")
    if summary.warnings:
        return f"No errors; {summary.warnings} warnings (listed above). The data can be analysed."
    return "No problems found. The data can be analysed."
