"""The ``cpower`` command line: a thin shell over the library.

Each command checks its options, calls the library, and turns the library's typed
errors into a one-line message and an exit code (0 clean, 1 problems in the data,
2 bad usage or configuration). No analysis happens here.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import EXIT_DATA, EXIT_OK, CpowerError

EPILOG = """\b
Examples:
  cpower demo                      write the example coalition's report
  cpower init my-study/            start a study folder from templates
  cpower validate my-study/        check every file, list every problem
"""


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a :class:`CpowerError` into ``Error: …`` on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CpowerError as error:
            click.echo(f"Error: {error.message}", err=True)
            for problem in error.problems:
                click.echo(f"  - {problem}", err=True)
            sys.exit(error.exit_code)

    return wrapper


def progress(message: str) -> None:
    """A progress line on stderr (stdout stays for results)."""
    click.echo(f"… {message}", err=True)


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"],
                                              "max_content_width": 100})
@click.version_option(__version__, prog_name="cpower")
def main() -> None:
    """cpower: coalition surveys to member networks and reports on how power is shared.

    A study is a folder with a cpower.toml that says where the roster and each wave's
    survey exports are, and what their columns mean.
    """


@main.command(epilog="""\b
Examples:
  cpower init my-study/
  cpower init my-study/ --force    overwrite template files already there
""")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files the templates would replace.")
@handle_errors
def init(folder: Path, force: bool) -> None:
    """Start a study folder: a commented cpower.toml, roster and survey templates, README."""
    from .init import write_study_templates

    written = write_study_templates(folder, force=force)
    click.echo(f"Wrote a study template in {folder}/:")
    for path in written:
        click.echo(f"  {path.relative_to(folder)}")
    click.echo(f"Next: fill in {folder}/roster.csv, put your survey exports in place, "
               f"adapt cpower.toml, then run: cpower validate {folder}")


@main.command(epilog="""\b
Examples:
  cpower validate my-study/
  cpower validate my-study/cpower.toml
  cpower validate my-study/ --errors-only

\b
Exit codes: 0 no errors (warnings allowed), 1 problems in the data,
2 bad usage or configuration.
""")
@click.argument("study", type=click.Path(path_type=Path))
@click.option("--errors-only", is_flag=True, help="List errors only, not warnings.")
@handle_errors
def validate(study: Path, errors_only: bool) -> None:
    """Read every file of STUDY and list every problem, with a data-quality summary."""
    code = run_validate(study, errors_only=errors_only)
    sys.exit(code)


def run_validate(study_path: Path, *, errors_only: bool = False) -> int:
    """Load, print the quality summary and problems; return the exit code."""
    from .console import problem_lines, quality_lines, verdict
    from .ingest import load_study
    from .summary import quality_summary

    progress(f"reading {study_path}")
    study = load_study(study_path)
    summary = quality_summary(study)
    for line in quality_lines(summary, study_name=study.name, path=str(study_path)):
        click.echo(line)
    problems = study.quality.errors if errors_only else study.quality.problems
    if problems:
        click.echo("")
        click.echo(f"Problems ({summary.errors} errors, {summary.warnings} warnings):")
        for line in problem_lines(problems):
            click.echo(line)
    click.echo("")
    click.echo(verdict(summary))
    return EXIT_DATA if summary.errors else EXIT_OK


@main.command(epilog="""\b
Examples:
  cpower demo
""")
@handle_errors
def demo() -> None:
    """Run cpower on the bundled example study (a fictional child-care coalition)."""
    from . import example_study_path

    sys.exit(run_validate(example_study_path()))
