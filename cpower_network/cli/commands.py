"""The ``cpower`` command line: a thin shell over the library.

Each command checks its options, calls the library, and turns the library's typed
errors into a one-line message and an exit code (0 clean, 1 problems in the data,
2 bad usage or configuration). No analysis happens here.

This module holds the command group :func:`main` and its commands; what they share is
beside it: :mod:`.shell` (errors into messages and exit codes, output lines),
:mod:`.options` (shared options and how option values are read) and :mod:`.runs`
(loading a study, and the work behind validate and analyze).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .._version import __version__
from .options import (
    _draws_option,
    _export_formats,
    _wave_keys,
    allow_outside_files_option,
    allow_problems_option,
    anonymize_option,
    audience_option,
    report_out_option,
    seed_option,
)
from .runs import _check_outputs, _load, reports_folder, run_analyze, run_validate
from .shell import echo, handle_errors, progress

EPILOG = """\b
Examples:
  cpower demo                      write the example coalition's report
  cpower init my-study/            start a study folder from templates
  cpower validate my-study/        check every file, list every problem
  cpower analyze my-study/         write the interactive report
  cpower weave my-study/           who to call and whom to introduce
  cpower compare my-study/         is power being redistributed across waves?
  cpower export my-study/ --format gexf   open the network in Gephi
"""


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"],
                                              "max_content_width": 100})
@click.version_option(__version__, prog_name="cpower")
def main() -> None:
    """cpower: coalition surveys to member networks and reports on how power is shared.

    A study is a folder with a cpower.toml that says where the roster and each wave's
    survey exports are, and what their columns mean.
    """


@main.command(short_help="Start a study folder from commented templates.", epilog="""\b
Examples:
  cpower init my-study/
  cpower init my-study/ --force    overwrite template files already there
  cpower init my-study/ --roster members.csv --from relationships.csv
  cpower init my-study/ --roster members.xlsx --from network.csv --from decisions.xlsx
      --wave 2025 --silo sector --focus lived_experience --focus "LEVEL<=2"

\b
With --from, cpower reads the roster and the survey exports (Qualtrics, SurveyMonkey,
Google Forms, KoboToolbox; CSV or XLSX) and writes a cpower.toml that describes them:
who answered, each question's shape, the answer scales and the relations. Every guess
says what it saw (# seen: ...); lines marked # CHECK: need your decision. Files outside
the folder are copied into it and nothing is overwritten: when the folder already has
a cpower.toml, the new file is cpower.generated.toml.

\b
Every cpower.toml key, with its type, default and an example:
  cpower config            (or cpower config roster, cpower config matrix, …)
""")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files the templates would replace.")
@click.option("--from", "exports", multiple=True, metavar="EXPORT",
              type=click.Path(dir_okay=False, path_type=Path),
              help="A survey export to describe in cpower.toml (repeat for several files).")
@click.option("--roster", type=click.Path(dir_okay=False, path_type=Path),
              help="The member roster (CSV or XLSX); needed with --from.")
@click.option("--wave", help="Wave key for the exports, e.g. 2025 (default: wave1).")
@click.option("--silo", metavar="COLUMN",
              help="Roster column holding each member's silo (default: detected).")
@click.option("--focus", multiple=True, metavar="COLUMN[=VALUES|<=N|>=N]",
              help="A focus group from a roster column (repeatable): a yes/no column, "
                   "COLUMN=VALUE,VALUE for listed values, or COLUMN<=N / COLUMN>=N for a "
                   "numeric threshold.")
@handle_errors
def init(folder: Path, force: bool, exports: tuple[Path, ...], roster: Path | None,
         wave: str | None, silo: str | None, focus: tuple[str, ...]) -> None:
    """Start a study folder: a commented cpower.toml, roster and survey templates, README.

    With --from: a cpower.toml written from your own survey exports and roster.
    """
    from ..errors import UsageError

    if exports:
        from ..init import init_from_exports

        if force:
            raise UsageError("--force does not go with --from: init --from never "
                             "overwrites a file")
        if roster is None:
            raise UsageError("--from needs --roster ROSTER: the member list the surveys "
                             "are matched against")
        result = init_from_exports(folder, roster=roster, exports=list(exports), wave=wave,
                                   silo=silo, focus=focus, progress=progress)
        for source, copy in result.copied:
            progress(f"copied {source} to {copy}")
        for check in result.checks:
            echo(f"CHECK: {check}", err=True)
        for line in result.summary:
            echo(line)
        return
    given = [name for name, value in (("--roster", roster), ("--wave", wave),
                                      ("--silo", silo), ("--focus", focus)) if value]
    if given:
        raise UsageError(f"{', '.join(given)} only go with --from EXPORT (a survey export "
                         "to describe)")
    from ..init.templates import write_study_templates

    written = write_study_templates(folder, force=force)
    echo(f"Wrote a study template in {folder}/:")
    for path in written:
        echo(f"  {path.relative_to(folder)}")
    echo(f"Next: fill in {folder}/roster.csv, put your survey exports in place, "
               f"adapt cpower.toml, then run: cpower validate {folder}")


@main.command(short_help="Check every file of a study; list every problem.", epilog="""\b
Examples:
  cpower validate my-study/
  cpower validate my-study/cpower.toml
  cpower validate my-study/ --errors-only
  cpower validate my-study/ --verbose      # every problem on its own line

\b
Exit codes: 0 no errors (warnings allowed), 1 problems in the data,
2 bad usage or configuration, 130 stopped by Ctrl-C.
""")
@click.argument("study", type=click.Path(path_type=Path))
@click.option("--errors-only", is_flag=True, help="List errors only, not warnings.")
@click.option("--verbose", "-v", is_flag=True,
              help="List every problem on its own line (the same problem met in many "
                   "cells is otherwise one line with its count and first locations).")
@allow_outside_files_option
@handle_errors
def validate(study: Path, errors_only: bool, verbose: bool) -> None:
    """Read every file of STUDY and list every problem, with a data-quality summary."""
    code = run_validate(study, errors_only=errors_only, verbose=verbose)
    sys.exit(code)


@main.command(epilog="""\b
Examples:
  cpower analyze my-study/
  cpower analyze my-study/ --wave 2024 --out report-2024.html
  cpower analyze my-study/ --audience retreat --anonymize --out retreat.html
  cpower analyze my-study/ --json results.json --seed 7

\b
The report goes to STUDY/reports/report-<wave>-<audience>.html unless --out says
otherwise. Exit codes: 0 done, 1 problems in the data or an output that cannot be written,
2 bad usage or configuration, 130 stopped by Ctrl-C (nothing half-written is left).
""")
@click.argument("study", type=click.Path(path_type=Path))
@click.option("--wave", help="Wave to analyse (default: the latest).")
@report_out_option
@audience_option
@anonymize_option
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the results as JSON, for the same audience as the report "
                   "(retreat: group-level figures only, no member's name or score).")
@seed_option
@allow_problems_option
@allow_outside_files_option
@handle_errors
def analyze(study: Path, wave: str | None, out: Path | None, audience: str,
            anonymize: bool, json_path: Path | None, seed: int | None,
            allow_problems: bool) -> None:
    """Measure a study and write one offline HTML report (and JSON).

    The report holds the Collective Power scorecard, network maps, cross-silo and power
    measures, decisions, the weaver's worklist, data quality and methods.
    """
    run_analyze(study, wave=wave, out=out, audience=audience, anonymize=anonymize,
                json_path=json_path, seed=seed, allow_problems=allow_problems)


@main.command(epilog="""\b
Examples:
  cpower demo
  cpower demo --out /tmp/cpower-demo --open
""")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("cpower-demo"), show_default=True,
              help="Folder for the demo reports.")
@click.option("--open", "open_browser", is_flag=True, help="Open the report in a browser.")
@handle_errors
def demo(out: Path, open_browser: bool) -> None:
    """Write the example coalition's reports (the bundled study)."""
    from .. import example_study_path

    echo("The example: the Riverbend Child Care Coalition, 75 members in 6 silos, "
               "surveyed in 2024 and 2025.")
    results, report = run_analyze(example_study_path(), wave=None, out=out / "report.html",
                                  audience="evaluator", anonymize=False, json_path=None,
                                  seed=None)
    retreat = out / "report-retreat.html"
    progress("writing the retreat view")
    results.to_html(retreat, audience="retreat")
    echo(f"Retreat view: {retreat}")
    echo("Open the report in any browser; it works offline.")
    if open_browser:
        import webbrowser

        webbrowser.open(report.resolve().as_uri())


@main.command(epilog="""\b
Examples:
  cpower weave my-study/
  cpower weave my-study/ --relation trust --top 5
  cpower weave my-study/ --wave 2024 --csv introductions.csv
""")
@click.argument("study", type=click.Path(path_type=Path))
@click.option("--wave", help="Wave (default: the latest).")
@click.option("--relation", help="One relation (default: members in touch in any "
              "relation that means contact: collaboration, knows, advice or trust).")
@click.option("--top", type=click.IntRange(min=1), default=3, show_default=True,
              help="Triangle suggestions kept per member.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write every suggested introduction as CSV (columns: kind, "
                   "member_id, member, member_silo, member_answered, suggested_id, "
                   "suggested, suggested_silo, suggested_answered, introducer_id, "
                   "introducer, shared_contacts, score, reason).")
@allow_problems_option
@allow_outside_files_option
@handle_errors
def weave(study: Path, wave: str | None, relation: str | None, top: int,
          csv_path: Path | None, allow_problems: bool) -> None:
    """Who is disconnected, and whom to introduce to whom, through whom.

    Isolates, pendants, members outside the main group or tied only within their silo,
    members whose ties all run through one person, single points of failure, the silo
    pairs least in touch, and suggested introductions of two kinds: bridges between the
    silos least in touch (through the member best placed to introduce them) and
    triangles to close (two members who both answered, share a contact and named neither
    each other). Members who did not answer are marked: their own ties are unknown.
    """
    from ..weave import study_worklist
    from .console import worklist_lines

    loaded = _load(study, allow_problems=allow_problems)
    _check_outputs(csv_path)
    found = study_worklist(loaded, wave=wave, relation=relation, top=top, progress=progress,
                           allow_problems=allow_problems)
    for line in worklist_lines(found):
        echo(line)
    if csv_path is not None:
        from ..common.files import write_atomically
        from ..export.tables import csv_bytes

        write_atomically({csv_path: csv_bytes(found.introductions())})
        echo(f"\nIntroductions written to {csv_path}")


@main.command(epilog="""\b
Examples:
  cpower compare my-study/
  cpower compare my-study/ --waves 2024,2025 --out compare.html
  cpower compare my-study/ --audience retreat --anonymize
  cpower compare my-study/ --json compare.json --permutations 5000

\b
The report goes to STUDY/reports/compare-<first>-<last>-<audience>.html unless --out
says otherwise. Exit codes: 0 done, 1 problems in the data or an output that cannot be written,
2 bad usage or configuration, 130 stopped by Ctrl-C (nothing half-written is left).
""")
@click.argument("study", type=click.Path(path_type=Path))
@click.option("--waves", "wave_list", help="Comma-separated wave keys in time order "
              "(default: every wave).")
@report_out_option
@audience_option
@anonymize_option
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the comparison as JSON.")
@seed_option
@click.option("--permutations", type=int, callback=_draws_option,
              help="Draws per permutation test: 0 (no tests) or 1000 to 1000000 (default: "
                   "[analysis] permutations, else enough for the q-values of all tests).")
@allow_problems_option
@allow_outside_files_option
@handle_errors
def compare(study: Path, wave_list: str | None, out: Path | None, audience: str,
            anonymize: bool, json_path: Path | None, seed: int | None,
            permutations: int | None, allow_problems: bool) -> None:
    """Compare waves: is power being redistributed?

    Members matched by roster id, ties gained and lost, every measure per wave with a
    permutation test of its change, power redistribution first.
    """
    from ..waves.comparison import compare as run_compare

    loaded = _load(study, allow_problems=allow_problems)
    _check_outputs(out, json_path)
    keys = _wave_keys(wave_list, loaded.waves)
    found = run_compare(loaded, keys, seed=seed, permutations=permutations,
                        anonymize=anonymize, progress=progress,
                        allow_problems=allow_problems)
    first, last = found.waves[0][0], found.waves[-1][0]
    suffix = "-anonymised" if anonymize else ""
    target = out or reports_folder(study) / f"compare-{first}-{last}-{audience}{suffix}.html"
    progress(f"writing the {audience} comparison report")
    found.to_html(target, audience=audience)
    if json_path is not None:
        found.to_json(json_path)
    echo(f"{found.study.name}: {' → '.join(label for _, label in found.waves)}, "
               f"{len(found.stayers)} members present throughout")
    echo("")
    echo("Power redistribution:")
    for sentence in found.headline:
        echo(f"  • {sentence}")
    if found.summary:
        echo(f"  {found.summary}")
    echo("")
    echo(f"Report: {target}")
    if json_path is not None:
        echo(f"JSON:   {json_path}")


@main.command(short_help="Export members, ties and measures to Gephi, Kumu, GraphML or CSV.",
              epilog="""\b
Examples:
  cpower export my-study/ --format gexf          open in Gephi
  cpower export my-study/ --format kumu          import the .xlsx into Kumu
  cpower export my-study/ --format graphml --wave 2024 --out network.graphml
  cpower export my-study/ --format csv --anonymize
  cpower export my-study/ --format json --seed 7

\b
Formats: gexf (GEXF 1.3 for Gephi), graphml (yEd, Cytoscape, igraph, networkx),
kumu (an .xlsx for Kumu's import and a .kumu.json blueprint), csv (a folder with
members.csv, ties.csv, indicators.csv, introductions.csv,
disagreements.csv), json (the versioned results JSON).
Output goes to STUDY/exports/<wave>.<ext> (a folder for csv; -anonymised in the name
with --anonymize) unless --out says otherwise; files there are replaced.
Exit codes: 0 done, 1 problems in the data or an output that cannot be written,
2 bad usage or configuration, 130 stopped by Ctrl-C (nothing half-written is left).
""")
@click.argument("study", type=click.Path(path_type=Path))
@click.option("--format", "format_", type=click.Choice(_export_formats()), required=True,
              help="What to write.")
@click.option("--wave", help="Wave to export (default: the latest).")
@click.option("--out", type=click.Path(path_type=Path),
              help="File to write (for csv: a folder; for kumu: an .xlsx file).")
@anonymize_option
@seed_option
@allow_problems_option
@allow_outside_files_option
@handle_errors
def export(study: Path, format_: str, wave: str | None, out: Path | None, anonymize: bool,
           seed: int | None, allow_problems: bool) -> None:
    """Export one wave's members, ties and measures for Gephi, Kumu and other tools.

    Every member is a node with roster attributes and every measure of every relation;
    every tie of every relation is an edge with its relation and weight.
    """
    from ..api import analyze as run_analysis
    from ..common.wording import counted, wave_name
    from ..export import FORMATS, default_path, export_notes
    from ..export import export as write_export

    loaded = _load(study, allow_problems=allow_problems)
    results = run_analysis(loaded, wave, seed=seed, anonymize=anonymize, progress=progress,
                           allow_problems=allow_problems)
    chosen = FORMATS[format_]
    target = out or default_path(study, results.wave.wave, format_, anonymized=anonymize)
    progress(f"writing {chosen.label}")
    written = write_export(results, format_, target)
    anonymised = ", anonymised" if anonymize else ""
    echo(f"{results.study.name}: {wave_name(results.wave.label)}, "
               f"{counted(len(results.wave.members), 'member')}{anonymised}")
    echo(f"Exported as {chosen.label}:")
    for path in written:
        echo(f"  {path}")
    for note in export_notes(results, format_):
        echo(f"Note: {note}")


def _config_epilog() -> str:
    import textwrap

    from ..config.reference import SECTIONS

    names = textwrap.fill("Sections: " + ", ".join(s.name for s in SECTIONS) + ".",
                          width=88)
    return f"""\b
Examples:
  cpower config                    every section of cpower.toml
  cpower config roster             the keys of [roster]
  cpower config long               a question of shape "long" (or matrix, decision…)
  cpower config questions          every question shape
  cpower config write_in           the sections with a key write_in
  cpower config --markdown > docs/configuration.md

\b
{names}
Exit codes: 0 done, 2 no such section or key.
"""


@main.command("config", short_help="Every cpower.toml key: type, default, example, meaning.",
              epilog=_config_epilog())
@click.argument("section", required=False)
@click.option("--markdown", is_flag=True,
              help="Write Markdown (the text of docs/configuration.md).")
@handle_errors
def config_command(section: str | None, markdown: bool) -> None:
    """Show the cpower.toml reference: every key of SECTION (default: every section)
    with its type, default, an example and what it means.

    SECTION is a section (roster, [analysis]), a question shape (long, matrix…), a
    group (questions, indicators) or a key name.
    """
    from ..config import reference
    from ..config.schema import closest
    from ..errors import UsageError

    if section is not None and not reference.select(section):
        hint = closest(section.strip("[] "), reference.names())
        tip = f"; did you mean {hint!r}?" if hint else ""
        sections = ", ".join(s.name for s in reference.SECTIONS)
        raise UsageError(f"no section or key {section!r} in cpower.toml{tip} (sections: "
                         f"{sections})")
    click.echo(reference.markdown(section) if markdown else reference.text(section), nl=False)
