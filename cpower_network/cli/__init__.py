"""The ``cpower`` command line: a thin shell over the Python API.

:mod:`.commands` defines the commands (``cpower = cpower_network.cli:main``);
:mod:`.shell` turns errors into messages and prints lines, :mod:`.options` holds the
options commands share, :mod:`.runs` loads a study and does the work of validate and
analyze; :mod:`.console` renders summaries, problems and the worklist as terminal lines.
"""

from __future__ import annotations

from ..common.lazy import lend
from .commands import main

#: The names this package's module once held, loaded on first use (PEP 562): importing
#: one module of the package does not load the others.
_WHERE = {
    **dict.fromkeys(["EPILOG", "analyze", "compare", "config_command", "demo", "export",
                     "init", "validate", "weave"], "commands"),
    **dict.fromkeys(["echo", "handle_errors", "progress"], "shell"),
    **dict.fromkeys(["AUDIENCES", "allow_outside_files_option", "allow_problems_option",
                     "anonymize_option", "audience_option", "report_out_option",
                     "seed_option"], "options"),
    **dict.fromkeys(["default_report_path", "run_analyze", "run_validate"], "runs"),
}


__getattr__, __dir__ = lend(__name__, _WHERE, globals())


__all__ = [
    "AUDIENCES",
    "EPILOG",
    "allow_outside_files_option",
    "allow_problems_option",
    "analyze",
    "anonymize_option",
    "audience_option",
    "compare",
    "config_command",
    "default_report_path",
    "demo",
    "echo",
    "export",
    "handle_errors",
    "init",
    "main",
    "progress",
    "report_out_option",
    "run_analyze",
    "run_validate",
    "seed_option",
    "validate",
    "weave",
]
