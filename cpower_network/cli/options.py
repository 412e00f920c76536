"""The options several commands share, and how option values are read and checked.

Each shared option (``--audience``, ``--anonymize``, ``--seed``, ``--allow-problems``,
``--out`` of a report, ``--allow-outside-files``) is defined once so it reads the same
everywhere; beside them, the callbacks and readers of ``--permutations``, ``--waves``
and the choices of ``--format``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click


def _outside_files(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--allow-outside-files``: for this command only, let the study read files outside
    its folder (see :func:`cpower_network.config.files.outside_files_allowed`)."""
    if value:
        from ..config.files import outside_files_allowed

        ctx.with_resource(outside_files_allowed())


allow_outside_files_option = click.option(
    "--allow-outside-files", is_flag=True, expose_value=False, callback=_outside_files,
    help="Let cpower.toml name files outside the study folder (off by default, so a "
         "cpower.toml from someone else cannot bring any file of this computer into a "
         "report).")


AUDIENCES = click.Choice(["evaluator", "retreat"])

#: Options several commands share, defined once so they read the same everywhere.
audience_option = click.option(
    "--audience", type=AUDIENCES, default="evaluator", show_default=True,
    help="evaluator: everything; retreat: group-level figures for a room.")
anonymize_option = click.option(
    "--anonymize", "--anonymise", is_flag=True,
    help="Replace every name, organisation and free text with codes.")
seed_option = click.option(
    "--seed", type=click.IntRange(min=0), help="Seed for permutations, communities and "
    "layouts, 0 or more (default: the study's).")
allow_problems_option = click.option(
    "--allow-problems", is_flag=True,
    help="Run even when the data has errors (those answers are set aside).")
report_out_option = click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the HTML report.")


def _draws_option(_ctx: click.Context, _param: click.Parameter,
                  value: int | None) -> int | None:
    """``--permutations``: 0 (no tests) or 1,000 to 1,000,000, as ``[analysis]
    permutations``."""
    if value is None:
        return None
    from ..config.settings import permutations_problem

    problem = permutations_problem(value, "--permutations")
    if problem is not None:
        raise click.BadParameter(problem.removeprefix("--permutations "))
    return value


def _wave_keys(given: str | None, waves: Any) -> list[str] | None:
    """``--waves``: the keys listed (None when not given); a blank list or a blank item
    is a usage error naming what was given and the study's waves."""
    if given is None:
        return None
    keys = [w.strip() for w in given.split(",")]
    if all(keys):
        return keys
    from ..errors import UsageError

    raise UsageError(f"--waves {given!r} " + ("names no wave" if not any(keys) else
                     "has a blank item") + f"; give wave keys joined by commas, in time "
                     f"order, e.g. --waves {','.join(list(waves)[:2])} (this study's waves: "
                     f"{', '.join(waves)}), or leave --waves out to compare every wave")


def _export_formats() -> list[str]:
    from ..export import FORMATS

    return list(FORMATS)
