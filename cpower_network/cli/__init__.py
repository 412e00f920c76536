"""The ``cpower`` command line: a thin shell over the Python API.

:mod:`.commands` defines the commands (``cpower = cpower_network.cli:main``);
:mod:`.shell` turns errors into messages and prints lines, :mod:`.options` holds the
options commands share, :mod:`.runs` loads a study and does the work of validate and
analyze; :mod:`.console` renders summaries, problems and the worklist as terminal lines.
"""

from __future__ import annotations

import importlib
from typing import Any

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


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


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
