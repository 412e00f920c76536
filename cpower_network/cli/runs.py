"""The work behind the commands that read a study: loading it, validating, analysing.

:func:`run_validate` and :func:`run_analyze` do what ``cpower validate`` and ``cpower
analyze`` do (``cpower demo`` calls the latter), without click; ``_load`` reads a study
and stops on errors in its data unless they are allowed, and ``_check_outputs`` refuses,
before any work, an output path no file can be written to.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EXIT_DATA, EXIT_OK
from .shell import echo, progress


def run_validate(study_path: Path, *, errors_only: bool = False,
                 verbose: bool = False) -> int:
    """Load, print the quality summary and problems; return the exit code."""
    from ..common.files import protect_inputs
    from ..ingest import load_study
    from ..ingest.summary import quality_summary
    from .console import plural, problem_lines, quality_lines, verdict

    progress(f"reading {study_path}")
    study = load_study(study_path)
    protect_inputs(study.config)  # no output may replace one of the study's own files
    summary = quality_summary(study)
    for line in quality_lines(summary, study_name=study.name, path=str(study_path),
                              silo_column=study.config.roster.silo):
        echo(line)
    problems = study.quality.errors if errors_only else study.quality.problems
    # The heading counts what is listed below it, and says how it is listed: a problem
    # met in several cells is one line with its count, and --errors-only lists no warning.
    unlisted = summary.warnings if errors_only else 0
    if problems:
        lines = list(problem_lines(problems, verbose=verbose))
        shown = sum(1 for line in lines if not line.startswith("          at "))
        counts = plural(summary.errors, "error") + (
            "" if errors_only else f", {plural(summary.warnings, 'warning')}")
        if shown < len(problems):
            counts += (f" in {plural(shown, 'line')}: the same problem met in several "
                       "cells is one line with its count; --verbose lists each on its own")
        if unlisted:
            counts += f"; {plural(unlisted, 'warning')} not listed, as --errors-only asks"
        echo("")
        echo(f"Problems ({counts}):")
        for line in lines:
            echo(line)
    echo("")
    if unlisted and not summary.errors:
        echo(f"No errors; {plural(unlisted, 'warning')} (not listed: run cpower "
                   f"validate without --errors-only to see {'it' if unlisted == 1 else 'them'})"
                   ". The data can be analysed.")
    else:
        echo(verdict(summary))
    return EXIT_DATA if summary.errors else EXIT_OK


def _load(study_path: Path, *, allow_problems: bool):
    """Load a study; stop with exit 1 when it has errors, unless they are allowed."""
    from ..common.files import protect_inputs
    from ..ingest import load_study
    from .console import plural

    progress(f"reading {study_path}")
    study = load_study(study_path)
    protect_inputs(study.config)  # no output may replace one of the study's own files
    errors = study.quality.errors
    if errors and not allow_problems:
        echo(f"Error: {study_path} has {plural(len(errors), 'problem')} in its data; "
                   f"see them with: cpower validate {study_path}", err=True)
        for problem in errors[:5]:
            echo(f"  - {problem}", err=True)
        if len(errors) > 5:
            echo(f"  … and {len(errors) - 5} more", err=True)
        echo("Fix them, or pass --allow-problems to analyse without the answers "
                   "that have problems.", err=True)
        sys.exit(EXIT_DATA)
    if errors:
        progress(f"{plural(len(errors), 'problem')} in the data: those answers are set aside")
    return study


def _check_outputs(*paths: Path | None) -> None:
    """Refuse, before any work, an output path no file can be written to (a folder, a
    path under a file, a device, one of the study's own input files)."""
    from ..common.files import check_target

    for path in paths:
        if path is not None:
            check_target(Path(path))


def run_analyze(study_path: Path, *, wave: str | None, out: Path | None, audience: str,
                anonymize: bool, json_path: Path | None, seed: int | None,
                allow_problems: bool = False):
    """Load, analyse, write the report (and JSON), print the summary; return the results
    and the report's path."""
    from ..api import analyze
    from ..export.results_json import write_json
    from .console import summary_lines

    study = _load(study_path, allow_problems=allow_problems)
    _check_outputs(out, json_path)
    results = analyze(study, wave, seed=seed, anonymize=anonymize, progress=progress,
                      allow_problems=allow_problems)
    target = out or default_report_path(study_path, results.wave.wave, audience, anonymize)
    progress(f"writing the {audience} report")
    results.to_html(target, audience=audience)
    if json_path is not None:
        progress("writing the results as JSON")
        write_json(results, json_path, audience=audience)
    for line in summary_lines(results):
        echo(line)
    echo("")
    echo(f"Report: {target}")
    if json_path is not None:
        echo(f"JSON:   {json_path}")
    return results, target


def reports_folder(study_path: Path) -> Path:
    """Where a study's reports go by default: its ``reports/`` folder (for the bundled
    example, ``./cpower-example/reports/``: never inside the package)."""
    from ..common.files import outputs_folder

    return outputs_folder(study_path if study_path.is_dir() else study_path.parent) / "reports"


def default_report_path(study_path: Path, wave: str, audience: str, anonymize: bool) -> Path:
    suffix = "-anonymised" if anonymize else ""
    return reports_folder(study_path) / f"report-{wave}-{audience}{suffix}.html"
