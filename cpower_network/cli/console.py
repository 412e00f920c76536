"""Plain-text rendering of summaries for the terminal (no analysis here).

Every line meant for a terminal passes through :func:`~cpower_network.common.terminal.safe`
(survey text may hold escape sequences or bidi controls; they are shown escaped).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..common.terminal import safe, safe_lines
from ..common.wording import counted, labelled_count, silo_name, wave_name
from ..errors import Problem

if TYPE_CHECKING:  # pandas is loaded where used: error messages and --help stay quick
    from ..ingest.summary import QualitySummary, WaveQuality


def percent(share: float) -> str:
    """A share as a whole percentage.

    >>> percent(0.815), percent(float("nan"))
    ('82 %', 'n/a')
    """
    return "n/a" if share != share else f"{share * 100:.0f} %"


@safe_lines
def quality_lines(summary: QualitySummary, *, study_name: str, path: str,
                  silo_column: str = "silo") -> Iterator[str]:
    """The data-quality summary, line by line.

    Parameters
    ----------
    summary : QualitySummary
    study_name, path : str
        Shown on the first line.
    silo_column : str
        The roster's silo column: numeric silo codes are named with it ("sector 1: 4").
    """
    yield f"Study: {study_name} ({path})"
    silos = ", ".join(labelled_count(silo_name(name, silo_column), count)
                      for name, count in summary.silos.items())
    yield (f"Roster: {counted(summary.members, 'member')} in "
           f"{counted(len(summary.silos), 'silo')} ({silos})")
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
    yield wave_name(heading, capital=True)
    overall = wave.rates.loc["all"]
    yield (f"  members {wave.members}, respondents {wave.respondents} "
           f"(response rate {percent(overall['rate'])})")
    for group, row in wave.rates.iloc[1:].iterrows():
        flag = "  ← below the warning threshold" if group in wave.low_groups else ""
        yield (f"    {group}: {int(row['respondents'])} of {int(row['members'])} "
               f"({percent(row['rate'])}){flag}")
    ties = ", ".join(f"{r} {n} ({wave.nonzero_ties[r]} non-zero)" if n != wave.nonzero_ties[r]
                     else f"{r} {n}" for r, n in wave.ties.items())
    yield f"  answers read: {ties}"
    yield f"  perception answers {wave.perceptions}, decision responses {wave.decisions}"
    if wave.set_aside:
        aside = ", ".join(f"{reason} {n}" for reason, n in wave.set_aside.items())
        yield f"  set aside: {aside}"


#: Locations a grouped problem shows (``--verbose`` shows every problem on its own line).
GROUP_SHOWN = 3


@safe_lines
def problem_lines(problems: list[Problem], *, verbose: bool = False) -> Iterator[str]:
    """Every problem, errors first, one line each; the same problem met in many cells
    (the same unknown label in 250 answers) is one line with its count and first
    locations, unless ``verbose``."""
    for severity in ("error", "warning"):
        chosen = [p for p in problems if p.severity == severity]
        groups = [[p] for p in chosen] if verbose else group_problems(chosen)
        for group in groups:
            yield f"  {severity:<7} {group[0] if len(group) == 1 else grouped_text(group)}"
            if verbose:
                yield from (f"          at {cell}" for cell in group[0].cells)


#: Problems about a value (a label, a name): grouped only when the value is the same too.
VALUE_CODES = {"off-scale", "unknown-name", "ambiguous-name", "write-in", "numeric-codes",
               "decimal-comma", "unknown-relation"}


def group_problems(problems: list[Problem]) -> list[list[Problem]]:
    """Identical problems met in several cells, in first-seen order: they differ only in
    row and column (and in value, for problems that are not about their value)."""
    groups: dict[tuple, list[Problem]] = {}
    for problem in problems:
        value = problem.value if problem.code in VALUE_CODES else None
        key = (problem.code, problem.file, problem.message, problem.expected, problem.fix,
               value)
        groups.setdefault(key, []).append(problem)
    return list(groups.values())


def grouped_text(group: list[Problem]) -> str:
    """One line for a group: where, what, how many times and where first, how to fix.

    >>> p = [Problem("warning", "x", "odd", file="s.csv", row=r, column="c", value="v")
    ...      for r in (2, 3, 4, 5)]
    >>> text = grouped_text(p)
    >>> text.startswith("s.csv: odd (4 times: row 2, column 'c': 'v'; row 3")
    True
    >>> text.endswith("; and 1 more; cpower validate --verbose lists every one)")
    True

    The same place is listed once, and a problem with no place (a file read by two
    waves) is only counted:

    >>> grouped_text([Problem("error", "x", "empty", file="e.csv")] * 2)
    'e.csv: empty (2 times)'
    """
    first = group[0]
    places = list(dict.fromkeys(
        f"{p.cell}{f': {p.value!r}' if p.value is not None else ''}" for p in group))
    places = [place for place in places if place]
    shown = "; ".join(places[:GROUP_SHOWN])
    more = len(places) - GROUP_SHOWN
    tail = f"; and {more} more; cpower validate --verbose lists every one" if more > 0 else ""
    where = f": {shown}{tail}" if shown else ""
    return first.framed(f"{first.message} ({len(group)} times{where})", first.file)


def plural(count: int, noun: str) -> str:
    """``1 error``, ``2 errors``.

    >>> plural(1, "warning"), plural(0, "error")
    ('1 warning', '0 errors')
    """
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def verdict(summary: QualitySummary) -> str:
    if summary.errors:
        return (f"Found {plural(summary.errors, 'error')} and "
                f"{plural(summary.warnings, 'warning')}: fix the errors above (each line "
                "says where and how), then run validate again.")
    if summary.warnings:
        return (f"No errors; {plural(summary.warnings, 'warning')} (listed above). "
                "The data can be analysed.")
    return "No problems found. The data can be analysed."


LIST_LIMIT = 20


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:LIST_LIMIT])
    more = len(names) - LIST_LIMIT
    return shown + (f" … and {more} more" if more > 0 else "")


@safe_lines
def worklist_lines(found) -> Iterator[str]:
    """The weaver's worklist in plain words."""
    w = found.worklist
    members = found.graph.number_of_nodes()
    yield (f"Weaver's worklist: {wave_name(found.wave)}, {counted(members, 'member')}; "
           f"in touch = a tie in {found.relation}")
    if w.in_touch_note:
        yield f"Note: {w.in_touch_note}."

    silent = set(w.did_not_answer)

    def who(member: str) -> str:
        mark = ", did not answer" if member in silent else ""
        return (f"{found.name(member)} "
                f"({silo_name(found.silo(member), found.silo_label)}{mark})")

    sections = [
        ("In touch with no one (isolates)", w.isolates, "reach out personally; they are "
         "not connected to anyone yet"),
        ("A single contact (pendants)", w.pendants, "one relationship away from dropping out"),
        ("Outside the main group", w.outside_main, "connected only among themselves"),
        ("No tie outside their own silo", w.no_cross_silo, "introduce them across silos"),
    ]
    for title, listed, why in sections:
        yield ""
        if listed:
            yield f"{title}: {len(listed)}, {why}."
            yield "  " + _listed([who(m) for m in listed])
        else:
            yield f"{title}: none."
    if w.not_asked:
        yield ""
        yield (f"Not asked about in this wave: {len(w.not_asked)} (no survey question "
               "listed them, so their ties are unknown, not absent; they are in none of "
               "the lists above).")
        for member, reason in list(w.not_asked.items())[:LIST_LIMIT]:
            yield f"  {who(member)}: {reason}"
        if len(w.not_asked) > LIST_LIMIT:
            yield f"  … and {len(w.not_asked) - LIST_LIMIT} more"
    yield ""
    if w.gatekeepers:
        yield ("Members who reach the rest of the coalition only through one person: "
               f"{len(w.gatekeepers)}.")
        for member, through in list(w.gatekeepers.items())[:LIST_LIMIT]:
            yield f"  {who(member)}: only through {found.name(through)}"
        if len(w.gatekeepers) > LIST_LIMIT:
            yield f"  … and {len(w.gatekeepers) - LIST_LIMIT} more"
    else:
        yield "Members who reach the rest of the coalition only through one person: none."
    if len(w.articulation_points):
        yield ""
        yield ("Single points of failure: if one of these members left, others would be "
               "cut off.")
        for member, row in w.articulation_points.head(LIST_LIMIT).iterrows():
            noun = "member depends" if row["cut_off"] == 1 else "members depend"
            yield f"  {who(member)}: {int(row['cut_off'])} {noun} on them"
    yield ""
    yield ("Silo pairs whose members are least in touch for their size (bridge "
           "opportunities):")
    for _, row in w.silo_gaps.head(5).iterrows():
        yield (f"  {silo_name(row['silo_a'], found.silo_label, capital=True)} and "
               f"{silo_name(row['silo_b'], found.silo_label)}: {int(row['ties'])} of "
               f"{counted(int(row['possible']), 'pair')} in touch "
               f"({percent(row['density'])})")
    yield from _introduction_lines(w, who)


#: What each kind of suggestion is, in a line (titles: weave.introductions.KINDS).
INTRODUCTION_KINDS = {
    "bridge": "members of the silos least in touch, through the member best placed to "
              "introduce them; then one for each member on the edge",
    "triangle": "two members who both answered, share a contact and neither named the "
                "other in a contact relation; the shared contact introduces them",
}


def _introduction_lines(w, who) -> Iterator[str]:
    """Suggested introductions of each kind, best first."""
    from ..weave.introductions import KINDS

    for kind, what in INTRODUCTION_KINDS.items():
        title = KINDS[kind]
        listed = w.introductions_of(kind)
        yield ""
        if not len(listed):
            yield f"{title}: no suggestion ({what})."
            continue
        yield f"{title} ({len(listed)}; {what}):"
        for number, (_, row) in enumerate(listed.head(LIST_LIMIT).iterrows(), start=1):
            yield (f"  {number}. Introduce {who(row['member'])} to {who(row['suggested'])}: "
                   f"{row['reason']}.")
        if len(listed) > LIST_LIMIT:
            yield f"  … and {len(listed) - LIST_LIMIT} more (write them all with --csv)"


@safe_lines
def summary_lines(results) -> Iterator[str]:
    """The one-screen summary of ``cpower analyze``: bands and top findings."""
    wave = results.wave
    yield (f"{results.study.name}, {wave_name(wave.label)}: "
           f"{counted(len(wave.members), 'member')}, "
           f"response rate {percent(wave.response.at['all', 'rate'])}")
    yield ""
    yield "Collective Power indicators:"
    for indicator in results.indicators.milestones:
        score = "  –" if indicator.score is None else f"{indicator.score:3.0f}"
        yield f"  {indicator.label:<30} {indicator.band:<13} {score}"
    yield ""
    yield "Top findings:"
    for number, finding in enumerate(results.indicators.findings[:3], start=1):
        yield f"  {number}. {finding.text}"


def interrupted(written: list) -> str:
    """The one line shown when Ctrl-C stops a command: what was written, if anything
    (every output is written atomically, so nothing is half-written).

    >>> interrupted([])
    'Interrupted; nothing was written.'
    >>> interrupted(["out/report.html"])
    'Interrupted; written before that: out/report.html; nothing else was written.'
    """
    if not written:
        return "Interrupted; nothing was written."
    return (f"Interrupted; written before that: {safe(', '.join(map(str, written)))}; "
            "nothing else was written.")


def os_error(error: OSError) -> str | None:
    """The one-line message for an operating system's refusal to read or write a file
    (no permission, a read-only or full disk, a folder where a file was meant, …):
    the path, the reason and a fix; ``None`` for any other error, which is a bug to
    report rather than a user's problem.

    >>> import errno
    >>> os_error(OSError(errno.ENOSPC, "No space left on device", "out/r.html"))
    'out/r.html: No space left on device. Fix: free some disk space, or write somewhere else'
    >>> os_error(OSError(errno.EBADF, "Bad file descriptor", "x")) is None
    True
    """
    from ..common.files import WRITE_FIXES

    if error.errno not in WRITE_FIXES or error.filename is None:
        return None
    reason = error.strerror or type(error).__name__
    return safe(f"{error.filename}: {reason}. Fix: {WRITE_FIXES[error.errno]}")
